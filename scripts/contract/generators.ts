/**
 * Property-based requests with fast-check, from each operation's parameter schemas:
 * - valid values (boundaries included: min, max, each enum value, empty where allowed, longest,
 *   non-ASCII, injection-looking strings that the schema allows) must be accepted: 2xx, or the
 *   operation's data-dependent 404;
 * - invalid values (wrong type, out of bounds, overlong, empty, not in the enum, unicode and
 *   injection-looking strings the schema refuses, a required parameter left out; against a
 *   target with data, a cursor it never issued) must be refused with the operation's declared
 *   bad-input status, in the API's own error shape.
 * Whether a value is valid is decided by the document (paramAccepts), not by the generator.
 * Every response also goes through the response checks of the harness.
 *
 * Fast path: fc.sample with a fixed seed, sent a few at a time. If anything fails, fc.check
 * replays the same seed one request at a time and shrinks to a minimal counterexample.
 * Replay: CONTRACT_SEED=<seed> npx vitest run test/contract/fuzz.test.ts; longer: CONTRACT_RUNS=20000.
 */
import fc from 'fast-check';
import {
  type ApiRequest,
  type ApiSpec,
  type BaseRequest,
  buildRequest,
  type CheckName,
  curl,
  type Expectation,
  evaluate,
  type OperationSpec,
  type ParamSpec,
  paramAccepts,
  type SentCase,
  send,
  type Target,
} from './harness.ts';

export const FUZZ_SEED: number = Number(process.env.CONTRACT_SEED ?? 20260523);
export const FUZZ_RUNS: number = Number(process.env.CONTRACT_RUNS ?? 1000);

export const INJECTION: string[] = [
  "' OR '1'='1",
  '1; DROP TABLE runs; --',
  '" OR ""="',
  "admin'--",
  '1 UNION SELECT NULL--',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-looking payload, on purpose
  '${jndi:ldap://example.invalid/a}',
  '{{7*7}}',
  '$(id)',
  '`id`',
  '%s%s%s%n',
  '{"$gt": ""}',
  '\r\nX-Injected: 1',
  '%00',
  '*',
  '%',
  '_',
  '\\',
  '/',
  '.',
  '..',
];

export const UNICODE: string[] = [
  'é',
  'ü',
  'ß',
  'İ',
  'Ω',
  '中文',
  '😀',
  '𝕦𝕟𝕚𝕔𝕠𝕕𝕖',
  'e\u0301',
  '\u202e',
  '\u200b',
  '\ufeff',
  'ﷺ',
];

/** Control characters: NUL has its own switch (see `allowNul`). */
const CONTROL = ['\t', '\n', '\u0007', '\u001f', '\u007f'];

export interface GeneratorOptions {
  /** Allow U+0000 in generated strings (valid per every string schema here). */
  allowNul?: boolean;
  /** Send "Infinity" and "1e999" (not integers: the document refuses them) to integer parameters. */
  nonFinite?: boolean;
  /** Generate `urn:uuid:<uuid>`, which format "uuid" admits. */
  urnUuid?: boolean;
  /** Unbounded integers go up to this many digits (the schema sets no maximum). */
  unboundedDigits?: number;
  /** The target is Prism: leave out what it cannot tell (cursors never issued, empty optional query values). */
  prefer?: boolean;
}

const sendableHeader = (v: string) => v === '' || /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(v);
const sendable = (p: ParamSpec, v: string | undefined) =>
  v === undefined ||
  (p.in === 'header' ? sendableHeader(v) : !/[\ud800-\udfff]/.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')));

function types(schema: Record<string, unknown>): unknown[] {
  return ([] as unknown[]).concat(schema.type ?? 'string');
}

/** Strings in many shapes: ASCII, any code point, unicode, injection-looking, control characters. */
function anyString(minLength: number, maxLength: number, options: GeneratorOptions): fc.Arbitrary<string> {
  const cap = Math.min(maxLength, minLength + 64);
  const pool = [...INJECTION, ...UNICODE, ...CONTROL, ...(options.allowNul ? ['\u0000', 'a\u0000b'] : [])];
  const arbs: fc.Arbitrary<string>[] = [
    fc.string({ unit: 'grapheme-ascii', minLength, maxLength: cap }),
    fc.string({ unit: 'binary', minLength, maxLength: cap }),
    fc.string({ unit: fc.constantFrom(...UNICODE), minLength, maxLength: Math.min(cap, 8) }),
    fc.constantFrom(...pool),
    fc.constantFrom('a'.repeat(Math.max(minLength, 1)), 'z'.repeat(Math.min(maxLength, 10_000))),
  ];
  if (maxLength < 10_000) arbs.push(fc.constant('😀'.repeat(maxLength)));
  const out = fc.oneof(...arbs);
  return options.allowNul ? out : out.filter((s) => !s.includes('\u0000'));
}

/** Values the document accepts for one parameter (`known`: values the target's data has). */
export function validValue(p: ParamSpec, known: string[], options: GeneratorOptions = {}): fc.Arbitrary<string> {
  const s = p.schema;
  const t = types(s);
  let arb: fc.Arbitrary<string>;
  if (Array.isArray(s.enum)) arb = fc.constantFrom(...s.enum.map(String));
  else if (t.includes('integer')) {
    const min = typeof s.minimum === 'number' ? BigInt(s.minimum) : -(2n ** 31n);
    const max = typeof s.maximum === 'number' ? BigInt(s.maximum) : 10n ** BigInt(options.unboundedDigits ?? 15) - 1n;
    const near = (n: bigint) => (n < min ? min : n > max ? max : n);
    arb = fc
      .oneof(
        fc.constantFrom(min, max, near(min + 1n), near(max - 1n)),
        fc.bigInt({ min, max }),
        fc.bigInt({ min: near(min), max: near(min + 1000n) }),
      )
      .map(String);
  } else if (s.format === 'uuid') {
    arb = fc.oneof(
      fc.uuid(),
      fc.uuid().map((u) => u.toUpperCase()),
      fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
      // RFC 4122's URN form: ajv-formats' "uuid" (and so the document) accepts it.
      ...(options.urnUuid ? [fc.uuid().map((u) => `urn:uuid:${u}`)] : []),
    );
  } else {
    const min = Number(s.minLength ?? 0);
    const max = Number(s.maxLength ?? 1024);
    arb =
      p.in === 'header'
        ? fc.oneof(
            fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: Math.min(max, min + 64) }),
            fc.constant('z'.repeat(max)),
          )
        : anyString(min, max, options);
  }
  if (known.length) arb = fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 2 }, { arbitrary: arb, weight: 3 });
  return arb.filter((v) => paramAccepts(p, v) && sendable(p, v));
}

/** Values the document refuses for one parameter; `undefined` means left out (required ones). */
export function invalidValue(
  p: ParamSpec,
  options: GeneratorOptions = {},
): fc.Arbitrary<string | undefined> | undefined {
  const s = p.schema;
  const t = types(s);
  const arbs: fc.Arbitrary<string | undefined>[] = [];
  if (p.required && p.in !== 'path') arbs.push(fc.constant(undefined));
  const words = fc.oneof(
    fc.constantFrom(...INJECTION, ...UNICODE),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 24 }),
  );
  if (Array.isArray(s.enum)) {
    const variants = s.enum.flatMap((v) => {
      const x = String(v);
      return [x.toUpperCase(), `${x[0]?.toUpperCase()}${x.slice(1)}`, ` ${x}`, `${x} `, `${x},${x}`, `${x}\u0301`];
    });
    arbs.push(fc.constantFrom(...variants), words);
  } else if (t.includes('integer') || t.includes('number')) {
    arbs.push(
      fc.constantFrom('abc', '1.5', '-0.5', 'NaN', 'true', 'null', '[]', '{}', '1,2', '١٢', '１', '--1', '0x'),
      ...(options.nonFinite ? [fc.constantFrom('Infinity', '-Infinity', '1e999')] : []),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(String),
      words,
    );
    if (typeof s.minimum === 'number') {
      const min = BigInt(s.minimum);
      arbs.push(fc.bigInt({ min: min - 10n ** 12n, max: min - 1n }).map(String), fc.constant(String(min - 1n)));
    }
    if (typeof s.maximum === 'number') {
      const max = BigInt(s.maximum);
      arbs.push(fc.bigInt({ min: max + 1n, max: max + 10n ** 12n }).map(String), fc.constant(String(max + 1n)));
    }
  } else {
    if (s.format === 'uuid') {
      arbs.push(
        fc.uuid().map((u) => u.slice(1)),
        fc.uuid().map((u) => `${u}0`),
        fc.uuid().map((u) => u.replace(/-/g, '')),
        fc.uuid().map((u) => `g${u.slice(1)}`),
        fc.uuid().map((u) => `{${u}}`),
        words,
      );
    }
    if (typeof s.maxLength === 'number') {
      const max = s.maxLength;
      arbs.push(
        fc.string({ unit: 'grapheme-ascii', minLength: max + 1, maxLength: max + 40 }),
        fc.constantFrom('x'.repeat(max + 1), 'é'.repeat(max + 1), '😀'.repeat(max + 1), 'x'.repeat(max * 4 + 1)),
      );
    }
    if (p.opaque && !options.prefer) arbs.push(words, fc.base64String({ minLength: 4, maxLength: 64 }));
  }
  if (p.in !== 'path' && !(options.prefer && p.in === 'query' && !p.required)) arbs.push(fc.constant(''));
  if (!arbs.length) return undefined;
  return fc
    .oneof(...arbs)
    .filter(
      (v) =>
        sendable(p, v) &&
        (v === undefined ? p.required : v !== '' || p.in !== 'path') &&
        (v === undefined || !paramAccepts(p, v) || (p.opaque && !options.prefer)),
    );
}

export interface FuzzCase {
  values: Record<string, string | undefined>;
  /** The parameter made invalid, when the case is a negative one. */
  invalid?: string;
  /** The invalid value passes the schema and only the data refuses it (a cursor never issued). */
  semantic?: boolean;
}

/** Positive and negative cases for one operation around its known-good request. */
export function caseArbitrary(
  op: OperationSpec,
  base: BaseRequest,
  options: GeneratorOptions = {},
): { valid: fc.Arbitrary<FuzzCase>; invalid: fc.Arbitrary<FuzzCase> | undefined } {
  const fields: Record<string, fc.Arbitrary<string | undefined>> = {};
  for (const p of op.params) {
    if (p.opaque) {
      fields[p.name] = base.cursors.length
        ? fc.option(fc.constantFrom(...base.cursors), { nil: undefined })
        : fc.constant(undefined);
      continue;
    }
    const known = base.values[p.name] !== undefined ? [String(base.values[p.name])] : [];
    const v = validValue(p, known, options);
    fields[p.name] = p.required ? v : fc.option(v, { nil: undefined, freq: 2 });
  }
  const valid = fc.record(fields).map((values) => {
    // A cursor belongs to the query that issued it (the first page, no filters): keep only limit.
    const cursor = op.params.find((p) => p.opaque && values[p.name] !== undefined);
    if (cursor) {
      for (const p of op.params)
        if (!p.required && !p.opaque && p.name !== 'limit' && p.in === 'query') values[p.name] = undefined;
    }
    return { values: values as Record<string, string | undefined> };
  });
  const invalidable = op.params
    .map((p) => [p, invalidValue(p, options)] as const)
    .filter((x): x is readonly [ParamSpec, fc.Arbitrary<string | undefined>] => x[1] !== undefined);
  if (!invalidable.length || !op.validationStatus) return { valid, invalid: undefined };
  const invalid = fc.tuple(valid, fc.integer({ min: 0, max: invalidable.length - 1 })).chain(([ok, i]) => {
    const [p, arb] = invalidable[i] as readonly [ParamSpec, fc.Arbitrary<string | undefined>];
    return arb.map((bad) => ({
      values: { ...ok.values, [p.name]: bad },
      invalid: p.name,
      ...(bad !== undefined && paramAccepts(p, bad) ? { semantic: true } : {}),
    }));
  });
  return { valid, invalid };
}

export interface FuzzResult {
  operationId: string;
  seed: number;
  runs: number;
  sent: number;
  failuresByCheck: Partial<Record<CheckName, number>>;
  /** The first few failing requests (fast path). */
  failures: SentCase[];
  /** fast-check's report after shrinking: seed, path and the minimal counterexample. */
  shrunk?: string;
}

export function requestOf(target: Target, op: OperationSpec, base: BaseRequest, c: FuzzCase): ApiRequest {
  const values = { ...c.values };
  // The known-good request's header values (e.g. X-Workspace-Id) stay unless the case sets them.
  for (const p of op.params)
    if (p.in === 'header' && values[p.name] === undefined && !p.required) delete values[p.name];
  return buildRequest(target.url, op, values, base.headers);
}

/**
 * Invalid input: the bad-input status. A value only the data refuses (a cursor never issued) may
 * also meet a data-dependent 404 first (another workspace), which is as declared.
 */
export function expectationOf(op: OperationSpec, c: FuzzCase): Expectation {
  if (!c.invalid) return { kind: 'accept' };
  const statuses = [op.validationStatus ?? 400];
  if (c.semantic && op.statuses.includes(404)) statuses.push(404);
  return { kind: 'reject', statuses };
}

export const describeCase = (c: FuzzCase): string =>
  c.invalid ? `invalid ${c.invalid}=${JSON.stringify(c.values[c.invalid] ?? '(left out)')}` : 'valid input';

/** Sends `runs` generated requests (half valid, half invalid) and checks every response. */
export async function fuzzOperation(
  target: Target,
  spec: ApiSpec,
  op: OperationSpec,
  base: BaseRequest,
  options: GeneratorOptions & { runs?: number; seed?: number; concurrency?: number } = {},
): Promise<FuzzResult> {
  const runs = options.runs ?? FUZZ_RUNS;
  const seed = options.seed ?? FUZZ_SEED;
  const { valid, invalid } = caseArbitrary(op, base, { prefer: target.mode === 'prefer', ...options });
  const arb = invalid ? fc.oneof(valid, invalid) : valid;
  const result: FuzzResult = { operationId: op.operationId, seed, runs, sent: 0, failuresByCheck: {}, failures: [] };

  const runCase = async (c: FuzzCase) => {
    const request = requestOf(target, op, base, c);
    const res = await send(request);
    result.sent++;
    return {
      request,
      res,
      ...evaluate(spec, { op, label: describeCase(c), request, expect: expectationOf(op, c) }, res),
    };
  };

  const cases = fc.sample(arb, { seed, numRuns: runs });
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++] as FuzzCase;
      const { request, res, failures } = await runCase(c);
      if (!failures.length) continue;
      for (const check of new Set(failures.map((f) => f.check)))
        result.failuresByCheck[check] = (result.failuresByCheck[check] ?? 0) + 1;
      if (result.failures.length < 5)
        result.failures.push({ label: describeCase(c), request, status: res.status, failures });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 6 }, worker));
  if (!result.failures.length) return result;

  // Replay the same seed through fast-check, one request at a time, and shrink.
  const details = await fc.check(
    fc.asyncProperty(arb, async (c) => (await runCase(c)).failures.length === 0),
    { seed, numRuns: runs },
  );
  if (details.failed && details.counterexample) {
    const [c] = details.counterexample;
    const { request, res, failures } = await runCase(c);
    result.shrunk = [
      `fast-check seed ${details.seed}, path "${details.counterexamplePath}", after ${details.numShrinks} shrinks:`,
      `  ${describeCase(c)} → ${res.status}`,
      ...failures.map((f) => `  ${f.check}: ${f.message}`),
      `  ${curl(request)}`,
      `  replay: CONTRACT_SEED=${details.seed} npx vitest run test/contract/fuzz.test.ts`,
    ].join('\n');
  }
  return result;
}

/** A failing fuzz result as text for an assertion message. */
export function describeFuzz(r: FuzzResult): string {
  if (!r.failures.length) return `${r.operationId}: ${r.sent} requests, no failures`;
  return [
    `${r.operationId}: ${Object.entries(r.failuresByCheck)
      .map(([c, n]) => `${c} ×${n}`)
      .join(', ')} in ${r.runs} generated requests (seed ${r.seed})`,
    ...r.failures.map(
      (f) =>
        `  ${f.label} → ${f.status}: ${f.failures.map((x) => `${x.check}: ${x.message}`).join('; ')}\n    ${curl(f.request)}`,
    ),
    r.shrunk ?? `  replay: CONTRACT_SEED=${r.seed} npx vitest run test/contract/fuzz.test.ts`,
  ].join('\n');
}
