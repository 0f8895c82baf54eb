/**
 * Each API's answer to invalid input, in that API's own error body and status, worded as the
 * reference server words it (its messages come from the same Ajv wording): a frontend that shows
 * `error.message` or FastAPI's `detail[0].msg` sees the same text against MSW as against the server.
 */
import type { components as Matching } from '../generated/matching.ts';
import type { components as Samples } from '../generated/samples.ts';
import type { components as Taxonomy } from '../generated/taxonomy.ts';
import type { components as Telemetry } from '../generated/telemetry.ts';
import type { components as Workflows } from '../generated/workflows.ts';
import type { ApiName } from './scenarios.ts';
import type { InputIssue } from './validate.ts';

type WorkflowsItem = Workflows['schemas']['WorkflowsValidationError']['detail'][number];

export interface ErrorAnswer {
  status: number;
  body: unknown;
}

/** The server's one-line message: `Invalid query parameter 'limit': must be <= 100.` */
function sentence(issue: InputIssue): string {
  return `Invalid ${issue.location} parameter '${issue.name}': ${issue.message.replace(/\.+$/, '')}.`;
}

/** The bad-input answer of `api`, at the status the operation declares for it (400, or 422). */
export function invalidInput(api: ApiName, issue: InputIssue, status: number): ErrorAnswer {
  const message = sentence(issue);
  switch (api) {
    case 'telemetry': {
      const body: Telemetry['schemas']['TelemetryError'] = { error: { code: 'bad_request', message } };
      return { status, body };
    }
    case 'matching': {
      const body: Matching['schemas']['MatchingError'] = { error: { code: 'bad_request', message } };
      return { status, body };
    }
    case 'taxonomy': {
      const body: Taxonomy['schemas']['TaxonomyError'] = { code: 'bad_request', message };
      return { status, body };
    }
    case 'samples': {
      const details = { parameter: issue.name, location: issue.location };
      const body: Samples['schemas']['SamplesError'] = { code: 'bad_request', message, details };
      return { status, body };
    }
    case 'workflows': {
      const body: Workflows['schemas']['WorkflowsValidationError'] = { detail: [pydanticItem(issue)] };
      return { status, body };
    }
  }
}

const enumList = (values: string): string => {
  const quoted = values.split(', ').map((v) => `'${v}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted.join('');
};

/** How pydantic v2 words what Ajv reports (the workflows API is FastAPI). */
const RULES: Array<[RegExp, (m: RegExpExecArray) => Omit<WorkflowsItem, 'loc'>]> = [
  [
    /^must be integer$/,
    () => ({ msg: 'Input should be a valid integer, unable to parse string as an integer', type: 'int_parsing' }),
  ],
  [/^must be <= (\S+)$/, (m) => ({ msg: `Input should be less than or equal to ${m[1]}`, type: 'less_than_equal' })],
  [
    /^must be >= (\S+)$/,
    (m) => ({ msg: `Input should be greater than or equal to ${m[1]}`, type: 'greater_than_equal' }),
  ],
  [
    /^must be equal to one of the allowed values: (.*)$/,
    (m) => ({ msg: `Input should be ${enumList(m[1] ?? '')}`, type: 'enum' }),
  ],
  [
    /^must NOT have more than (\d+) characters$/,
    (m) => ({ msg: `String should have at most ${m[1]} characters`, type: 'string_too_long' }),
  ],
  [
    /^must NOT have fewer than (\d+) characters$/,
    (m) => ({ msg: `String should have at least ${m[1]} characters`, type: 'string_too_short' }),
  ],
  [/^Unknown query parameter/, () => ({ msg: 'Extra inputs are not permitted', type: 'extra_forbidden' })],
];

function pydanticItem(issue: InputIssue): WorkflowsItem {
  const loc = [issue.location, issue.name];
  if (issue.message.includes('[0-9a-fA-F]{8}-')) {
    return { loc, msg: `Input should be a valid UUID, ${uuidError(issue.value ?? '')}`, type: 'uuid_parsing' };
  }
  for (const [pattern, word] of RULES) {
    const match = pattern.exec(issue.message);
    if (match) return { loc, ...word(match) };
  }
  return { loc, msg: `Value error, ${issue.message}`, type: 'value_error' };
}

/** What Rust's `uuid` crate (behind pydantic) says about a string it cannot parse. */
function uuidError(input: string): string {
  const byteLength = (s: string) => new TextEncoder().encode(s).length;
  let body = input;
  let offset = 0;
  let simple = true;
  if (input.length >= 2 && input.startsWith('{') && input.endsWith('}')) {
    [body, offset, simple] = [input.slice(1, -1), 1, false];
  } else if (input.startsWith('urn:uuid:')) {
    [body, offset, simple] = [input.slice(9), 9, false];
  }
  const hyphens: number[] = [];
  let index = 0;
  for (const ch of body) {
    if (ch === '-') hyphens.push(index);
    else if (!/^[0-9a-fA-F]$/.test(ch)) {
      return `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${ch}\` at ${index + offset + 1}`;
    }
    index += byteLength(ch);
  }
  const total = byteLength(input);
  if (hyphens.length === 0 && simple) {
    if (total === 32) return 'failed to parse a UUID';
    return `invalid length: expected length 32 for simple format, found ${total}`;
  }
  if (hyphens.length !== 4) return `invalid group count: expected 5, found ${hyphens.length + 1}`;
  const starts = [0, 9, 14, 19, 24];
  const expected = [8, 4, 4, 4, 12];
  for (let g = 0; g < 4; g++) {
    const end = hyphens[g] ?? 0;
    if (end !== (starts[g + 1] ?? 0) - 1) {
      return `invalid group length in group ${g}: expected ${expected[g]}, found ${end - (starts[g] ?? 0)}`;
    }
  }
  const last = total - 24;
  return last !== 12 ? `invalid group length in group 4: expected 12, found ${last}` : 'failed to parse a UUID';
}
