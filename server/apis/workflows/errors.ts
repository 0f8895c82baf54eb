import type { Request } from 'express';
import type { components } from '../../../generated/workflows.ts';
import type { InputIssue, Problem } from '../../core/problems.ts';
import type { RenderedError } from '../../core/types.ts';
import { AUTH_MESSAGES } from './auth.ts';

type WorkflowsError = components['schemas']['WorkflowsError'];
type ValidationError = components['schemas']['WorkflowsValidationError'];
type Item = ValidationError['detail'][number];

/**
 * FastAPI bodies: `{detail: "..."}`, and 422 (never 400) with pydantic-style items for invalid
 * input. The 401 for a request with no Authorization header says "Not authenticated", as
 * FastAPI's HTTPBearer does.
 */
export function renderWorkflowsError(problem: Problem, req: Request): RenderedError {
  if (problem.kind === 'bad_request') {
    const body: ValidationError = { detail: validationItems(problem, req) };
    return { status: 422, body };
  }
  const detail =
    problem.kind === 'unauthorized' && !req.headers.authorization ? AUTH_MESSAGES.missing : problem.message;
  const body: WorkflowsError = { detail };
  return { status: problem.status, body };
}

function validationItems(problem: Problem, req: Request): [Item, ...Item[]] {
  const items = problem.issues.map((issue) => toItem(issue, req));
  const [first, ...rest] = items;
  if (first) return [first, ...rest];
  // Our own refusals (the cursor) name their parameter in details rather than in issues.
  const parameter = problem.details.parameter;
  if (typeof parameter === 'string') {
    return [
      {
        loc: [String(problem.details.location ?? 'query'), parameter],
        msg: `Value error, ${parameter} is malformed or unknown`,
        type: 'value_error',
      },
    ];
  }
  return [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }];
}

const enumList = (values: string) => {
  const quoted = values.split(', ').map((v) => `'${v}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted.join('');
};

/** The validator's (Ajv) wording, and how pydantic v2 words the same failure. */
const RULES: Array<[RegExp, (m: RegExpExecArray) => Omit<Item, 'loc'>]> = [
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

function toItem(issue: InputIssue, req: Request): Item {
  const loc = [issue.location, issue.name];
  if (issue.message.includes('format "uuid"') || issue.message.includes('[0-9a-fA-F]{8}-')) {
    return { loc, msg: `Input should be a valid UUID, ${uuidError(rawValue(issue, req))}`, type: 'uuid_parsing' };
  }
  for (const [pattern, word] of RULES) {
    const match = pattern.exec(issue.message);
    if (match) return { loc, ...word(match) };
  }
  return { loc, msg: `Value error, ${issue.message}`, type: 'value_error' };
}

function rawValue(issue: InputIssue, req: Request): string {
  const pathParams = (req.openapi as { pathParams?: Record<string, unknown> } | undefined)?.pathParams;
  const value = issue.location === 'path' ? pathParams?.[issue.name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** What Rust's `uuid` crate (behind pydantic) says about a string it cannot parse. */
export function uuidError(input: string): string {
  const bytes = Buffer.from(input, 'utf8');
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
    index += Buffer.byteLength(ch);
  }
  if (hyphens.length === 0 && simple) {
    if (bytes.length === 32) return 'failed to parse a UUID'; // the crate takes it; the spec's format does not
    return `invalid length: expected length 32 for simple format, found ${bytes.length}`;
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
  // Every group boundary is right; a string the crate would accept is still not what the spec allows.
  const last = bytes.length - 24;
  return last !== 12 ? `invalid group length in group 4: expected 12, found ${last}` : 'failed to parse a UUID';
}
