/**
 * Parity: one request corpus sent to the server and to the Prism mock must get the same status
 * codes, and error bodies of the same schema. The corpus is every probe of the contract run against
 * the server (scripts/contract/harness.ts) plus a fixed-seed sample of generated valid and invalid
 * requests per operation (scripts/contract/generators.ts, Prism-safe options).
 *
 * Where the two must differ, each difference has a test that says why and checks that the
 * difference is exactly that one:
 * - data-dependent 404s (an id nobody has, another tenant's run): Prism has no data;
 * - bad credentials (an unknown key, another API's key): Prism only checks a Bearer token is there;
 * - a cursor the server never issued: whether a cursor is valid is data too;
 * - an empty optional query value (?limit=): Prism takes it for an absent one, OpenAPI refuses it;
 * - 429, 500, 503: the server earns them from its state (a spent budget, a planted fault, a store
 *   that is gone), Prism only when asked, so the mock is sent the same request with
 *   `Prefer: code=<status>` and the two answers must still agree in status and body schema.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { API_NAMES } from '../../generated/apis.ts';
import { caseArbitrary, describeCase, expectationOf, FUZZ_SEED, requestOf } from '../../scripts/contract/generators.ts';
import {
  type ApiRequest,
  type ApiResponse,
  curl,
  loadApiSpec,
  type Probe,
  type ProbeTag,
  send,
} from '../../scripts/contract/harness.ts';
import { padding } from '../../scripts/contract/probes.ts';
import { runContract } from '../../scripts/contract/run.ts';
import { type MockTarget, type ServerTarget, startMockTarget, startServerTarget } from './targets.ts';

const GENERATED_PER_OPERATION = 20;

interface Entry {
  probe: Probe;
  server: ApiResponse;
  mockRequest: ApiRequest;
  mock?: ApiResponse;
}

type Reason = 'data-404' | 'bad-credentials' | 'never-issued-cursor' | 'empty-query' | 'conditional';

let server: ServerTarget;
let mock: MockTarget;
const corpus: Entry[] = [];

/** Statuses the server earns from its state or its HTTP layer; Prism gives them when asked. */
const PLANTED: ProbeTag[] = ['fault', 'oversized-body', 'oversized-headers'];

/** The same request for Prism: same path and headers; a planted status is asked for with Prefer. */
function forMock(probe: Probe, mockUrl: string): ApiRequest {
  const headers = { ...probe.request.headers };
  const planted = PLANTED.some((t) => probe.tags?.includes(t));
  if (planted && probe.expect.kind === 'earn') headers.Prefer = `code=${probe.expect.status}`;
  if (probe.tags?.includes('oversized-headers')) {
    // Prism's Node layer stops at 16 KB: 20 KB is past it, and the server's 128 KB would race
    // Prism's close (a reset, not its 431).
    for (const name of Object.keys(headers)) if (name.startsWith('x-padding-')) delete headers[name];
    Object.assign(headers, padding(20_000));
  }
  if (probe.tags?.includes('oversized-body')) {
    // Prism validates a body no operation declares (400/422) before it reads Prefer: ask without it.
    delete headers['content-type'];
    delete headers['content-length'];
    return { ...probe.request, baseUrl: mockUrl, headers, body: undefined };
  }
  return { ...probe.request, baseUrl: mockUrl, headers };
}

beforeAll(async () => {
  [server, mock] = await Promise.all([startServerTarget({ faults: true }), startMockTarget()]);
  const report = await runContract(server.target, {
    onResponse: (probe, res) => corpus.push({ probe, server: res, mockRequest: forMock(probe, mock.target.url) }),
  });
  // Generated requests: valid and invalid, nothing Prism cannot judge (cursors never issued, ?x=).
  for (const o of report.operations) {
    const spec = loadApiSpec(o.api);
    const op = spec.operations.find((x) => x.operationId === o.operationId);
    if (!op || !o.base) continue;
    const { valid, invalid } = caseArbitrary(op, o.base, { prefer: true });
    const cases = [
      ...fc.sample(valid, { seed: FUZZ_SEED, numRuns: GENERATED_PER_OPERATION / 2 }),
      ...(invalid ? fc.sample(invalid, { seed: FUZZ_SEED, numRuns: GENERATED_PER_OPERATION / 2 }) : []),
    ];
    for (const c of cases) {
      const request = requestOf(server.target, op, o.base, c);
      const probe: Probe = { op, label: `generated: ${describeCase(c)}`, request, expect: expectationOf(op, c) };
      corpus.push({ probe, server: await send(request), mockRequest: { ...request, baseUrl: mock.target.url } });
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < corpus.length) {
      const entry = corpus[next++] as Entry;
      entry.mock = await send(entry.mockRequest);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
});
afterAll(async () => {
  await Promise.all([server?.close(), mock?.close()]);
});

const is2xx = (s: number | undefined) => s !== undefined && s >= 200 && s < 300;
const mockStatus = (e: Entry) => e.mock?.status ?? 0;

/** Why the mock may answer this entry differently from the server, if it may. */
function allowedDifference(e: Entry): Reason | undefined {
  const tags = e.probe.tags ?? [];
  const m = mockStatus(e);
  if (e.server.status === 404 && is2xx(m) && (tags.includes('data-404') || e.probe.expect.kind === 'accept'))
    return 'data-404';
  if (tags.includes('bad-credentials') && e.server.status === 401 && is2xx(m)) return 'bad-credentials';
  if (tags.includes('never-issued-cursor') && e.server.status >= 400 && is2xx(m)) return 'never-issued-cursor';
  if (tags.includes('empty-query') && e.server.status >= 400 && is2xx(m)) return 'empty-query';
  if (e.probe.expect.kind === 'earn' && e.probe.expect.status === 304 && e.server.status === 304 && is2xx(m))
    return 'conditional';
  return undefined;
}

/** The error body's problem against the declared schema of its status, if any. */
function bodyProblem(e: Entry, res: ApiResponse | undefined): string | undefined {
  if (!res) return 'no answer';
  const op = e.probe.op;
  const response = op.responses[String(res.status)];
  if (!response?.json) return undefined;
  try {
    const { valid, errors } = loadApiSpec(op.api).validator.validate(
      op.operationId,
      response.key,
      JSON.parse(res.text),
    );
    return valid ? undefined : errors;
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
}

const show = (e: Entry) =>
  `${e.probe.op.operationId} — ${e.probe.label}: server ${e.server.status}, mock ${mockStatus(e)}\n  ${curl(e.probe.request)}\n  ${curl(e.mockRequest)}`;

describe('parity: the server and the Prism mock answer one corpus alike', () => {
  test('the corpus covers every operation with probes and generated requests', () => {
    for (const api of API_NAMES) {
      for (const op of loadApiSpec(api).operations) {
        const entries = corpus.filter((e) => e.probe.op.operationId === op.operationId);
        expect(entries.length, op.operationId).toBeGreaterThan(GENERATED_PER_OPERATION);
        expect(entries.every((e) => e.mock && !e.mock.error && !e.server.error)).toBe(true);
      }
    }
  });

  test('same status code everywhere but the differences below', () => {
    const unexplained = corpus.filter((e) => e.server.status !== mockStatus(e) && !allowedDifference(e));
    expect(unexplained.map(show), unexplained.map(show).join('\n')).toEqual([]);
  });

  test('error bodies of one status have that status schema on both sides', () => {
    const same = corpus.filter((e) => e.server.status === mockStatus(e) && e.server.status >= 400);
    expect(same.length).toBeGreaterThan(100);
    const problems = same.flatMap((e) => {
      const s = bodyProblem(e, e.server);
      // Prism's router answers an undeclared method itself (its own problem+json): see the test below.
      const m = e.probe.expect.kind === 'method' ? undefined : bodyProblem(e, e.mock);
      return s || m ? [`${show(e)}\n  server body: ${s ?? 'ok'}\n  mock body: ${m ?? 'ok'}`] : [];
    });
    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('429, 500 and 503: the server from its state, the mock when asked with Prefer; same status, same schema', () => {
    const faults = corpus.filter((e) => e.probe.tags?.includes('fault'));
    expect(new Set(faults.map((e) => e.server.status))).toEqual(new Set([429, 500, 503]));
    for (const e of faults) {
      expect(mockStatus(e), show(e)).toBe(e.server.status);
      expect(bodyProblem(e, e.server), show(e)).toBeUndefined();
      expect(bodyProblem(e, e.mock), show(e)).toBeUndefined();
    }
  });
});

describe('where they must differ, and why', () => {
  test("405: the server answers in the declared shape; Prism's router answers its own problem+json", () => {
    const methods = corpus.filter((e) => e.probe.expect.kind === 'method');
    expect(methods.length).toBeGreaterThan(0);
    for (const e of methods) {
      expect([e.server.status, mockStatus(e)], show(e)).toEqual([405, 405]);
      expect(bodyProblem(e, e.server), show(e)).toBeUndefined();
      expect(e.mock?.headers['content-type'], show(e)).toMatch(/application\/problem\+json/);
    }
  });

  const entriesFor = (reason: Reason) => corpus.filter((e) => allowedDifference(e) === reason);
  // Chosen by what the probe is, not by allowedDifference: every such probe must show the
  // difference, so a probe the explanation does not fit fails here instead of being left out.
  const tagged = (tag: ProbeTag) => corpus.filter((e) => e.probe.tags?.includes(tag));

  test('data-dependent 404 (an id nobody has, another tenant’s run): Prism has no data and answers its 2xx example', () => {
    expect(tagged('data-404').length).toBeGreaterThan(0);
    for (const e of tagged('data-404')) expect([e.server.status, is2xx(mockStatus(e))], show(e)).toEqual([404, true]);
    const entries = entriesFor('data-404');
    for (const e of entries) {
      expect(bodyProblem(e, e.server), show(e)).toBeUndefined();
      expect(bodyProblem(e, e.mock), show(e)).toBeUndefined();
    }
  });

  test('bad credentials (unknown key, another API’s key): Prism checks a Bearer token is present, not that it is valid', () => {
    const entries = tagged('bad-credentials');
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect([e.server.status, is2xx(mockStatus(e))], show(e)).toEqual([401, true]);
  });

  test('a cursor the server never issued: its validity is data, so Prism passes it', () => {
    const entries = tagged('never-issued-cursor');
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries)
      expect([e.server.status, is2xx(mockStatus(e))], show(e)).toEqual([e.probe.op.validationStatus, true]);
  });

  test("a conditional GET with the server's ETag: Prism keeps no ETag of its own, so it answers in full", () => {
    const entries = corpus.filter((e) => e.probe.expect.kind === 'earn' && e.probe.expect.status === 304);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries)
      expect([e.server.status, e.server.text, is2xx(mockStatus(e))], show(e)).toEqual([304, '', true]);
  });

  test('an empty optional query value (?limit=): OpenAPI refuses it, Prism takes it for an absent one', () => {
    const entries = tagged('empty-query');
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries)
      expect([e.server.status, is2xx(mockStatus(e))], show(e)).toEqual([e.probe.op.validationStatus, true]);
  });
});
