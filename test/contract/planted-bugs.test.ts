/**
 * The checks catch what they are named for. A throwaway Express app serves the samples document's
 * two paths correctly (the baseline passes every check and earns every status); then one bug of
 * each kind is planted and the matching check, and nothing unrelated, fails:
 *   an undeclared status        → status_code_conformance
 *   a missing header            → response_headers_conformance
 *   a wrong-typed field         → response_schema_conformance
 *   an endpoint that ignores auth → ignored_auth
 *   an out-of-bounds parameter accepted → negative_data_rejection (probes and the fuzzer)
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { afterAll, describe, expect, test } from 'vitest';
import { fuzzOperation } from '../../scripts/contract/generators.ts';
import {
  type CheckName,
  closeAgents,
  describeFailures,
  loadApiSpec,
  type Target,
  unearnedStatuses,
} from '../../scripts/contract/harness.ts';
import { runContract } from '../../scripts/contract/run.ts';

type Bug = 'undeclared-status' | 'missing-header' | 'wrong-type' | 'ignores-auth' | 'out-of-bounds';
type Mode = 'ok' | 'rate-limited' | 'broken' | 'down';

const KEYS: Record<string, string> = { 'key-a': 'proj-a', 'key-b': 'proj-b' };
const RUNS = [
  { run_id: 101, project: 'proj-a', status: 'completed', passed: 7, failed: 1 },
  { run_id: 102, project: 'proj-a', status: 'running', passed: 2, failed: 0 },
  { run_id: 103, project: 'proj-a', status: 'canceled', passed: 1, failed: 1 },
  { run_id: 201, project: 'proj-b', status: 'completed', passed: 4, failed: 0 },
];
const STATUSES = ['queued', 'running', 'completed', 'canceled'];

/** The samples API in 100 lines, correct unless a bug is planted; `mode` plants 429, 500 or 503. */
function fakeSamples(bugs: Bug[] = [], mode: Mode = 'ok'): express.Express {
  const app = express();
  const has = (b: Bug) => bugs.includes(b);
  const issued = new Set<string>();
  const fail = (res: Response, status: number, code: string, message: string, details: object = {}) =>
    res.status(status).json({ code, message, details });
  app.use((_req, res, next) => {
    res.setHeader('X-Request-Id', randomUUID());
    res.setHeader('X-RateLimit-Limit', '1000');
    res.setHeader('X-RateLimit-Remaining', mode === 'rate-limited' ? '0' : '999');
    res.setHeader('X-RateLimit-Reset', String(Math.ceil(Date.now() / 1000) + 60));
    next();
  });
  app.all(['/api/v1/runs', '/api/v1/runs/:run_id/summary'], (req, res, next) => {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return fail(res, 405, 'method_not_allowed', 'No.');
    }
    if (Number(req.headers['content-length'] ?? 0) > 65_536) return fail(res, 413, 'payload_too_large', 'Too large.');
    if (mode === 'rate-limited') {
      res.setHeader('Retry-After', '30');
      return fail(res, 429, 'rate_limited', 'Slow down.');
    }
    next();
  });
  const project = (req: Request) => KEYS[/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''];
  const unauthorized = (res: Response) => {
    res.setHeader('WWW-Authenticate', 'Bearer realm="samples"');
    fail(res, 401, 'unauthorized', 'Bearer token is missing, expired, or invalid.');
  };
  const faulty = (res: Response) => {
    if (mode === 'broken') fail(res, 500, 'internal_error', 'Internal server error.');
    if (mode === 'down') {
      res.setHeader('Retry-After', '5');
      fail(res, 503, 'service_unavailable', 'Down.');
    }
    return mode === 'broken' || mode === 'down';
  };
  const int = (v: unknown) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : Number.NaN);

  app.get('/api/v1/runs', (req, res) => {
    const who = project(req) ?? (has('ignores-auth') ? 'proj-a' : undefined);
    if (!who) return unauthorized(res);
    const q = req.query as Record<string, unknown>;
    const unknown = Object.keys(q).find((k) => !['limit', 'cursor', 'status'].includes(k));
    if (unknown) return fail(res, 400, 'bad_request', `Unknown parameter ${unknown}.`);
    let limit = q.limit === undefined ? 20 : int(q.limit);
    if (has('out-of-bounds') && Number.isInteger(limit)) limit = Math.min(100, Math.max(1, limit));
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return fail(res, 400, 'bad_request', 'limit must be 1..100.');
    if (q.status !== undefined && !STATUSES.includes(q.status as string))
      return fail(res, 400, 'bad_request', 'Unknown status.');
    if (q.cursor !== undefined && !issued.has(q.cursor as string)) return fail(res, 400, 'bad_request', 'Bad cursor.');
    if (faulty(res)) return;
    const offset = q.cursor ? Number((q.cursor as string).slice(1)) : 0;
    const mine = RUNS.filter((r) => r.project === who && (!q.status || r.status === q.status));
    const page = mine.slice(offset, offset + limit);
    const next = offset + limit < mine.length ? `c${offset + limit}` : null;
    if (next) issued.add(next);
    res.json({
      data: page.map((r) => ({
        run_id: r.run_id,
        status: r.status,
        created_at: '2026-03-10T08:00:00.000Z',
        completed_at: r.status === 'running' ? null : '2026-03-10T08:15:00.000Z',
        triggered_by: 'github:push',
        failed: false,
      })),
      next_cursor: next,
    });
  });

  app.get('/api/v1/runs/:run_id/summary', (req, res) => {
    if (!project(req)) return unauthorized(res);
    const id = int(req.params.run_id);
    if (!Number.isSafeInteger(id) || id < 1) return fail(res, 400, 'bad_request', 'run_id must be an integer >= 1.');
    if ((req.headers['if-none-match'] ?? '').length > 2048)
      return fail(res, 400, 'bad_request', 'If-None-Match too long.');
    if (faulty(res)) return;
    const run = RUNS.find((r) => r.run_id === id && r.project === project(req));
    if (!run) return fail(res, has('undeclared-status') ? 410 : 404, 'not_found', `Run ${id} not found.`);
    if (has('missing-header')) res.removeHeader('X-RateLimit-Remaining');
    const { passed, failed } = run;
    res.json({
      run_id: id,
      total_samples: passed + failed,
      pass_count: passed,
      fail_count: has('wrong-type') ? String(failed) : failed,
      skipped_count: 0,
      missing_output_count: 0,
      error_count: 0,
      duration_ms: 900_000,
      triggered_by: 'github:push',
    });
  });
  return app;
}

const servers: Server[] = [];
async function listen(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(async () => {
  closeAgents();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function target(bugs: Bug[] = [], withFaults = false): Promise<Target> {
  const runs = (p: string) =>
    RUNS.filter((r) => r.project === p).map((r) => ({
      id: r.run_id,
      status: r.status,
      path: `/api/v1/runs/${r.run_id}/summary`,
    }));
  return {
    name: `fake samples${bugs.length ? ` with ${bugs.join(', ')}` : ''}`,
    url: await listen(fakeSamples(bugs)),
    tenants: {
      samples: [
        { tenant: 'proj-a', apiKey: 'key-a', runs: runs('proj-a') },
        { tenant: 'proj-b', apiKey: 'key-b', runs: runs('proj-b') },
      ],
    },
    mode: 'data',
    faults: withFaults
      ? {
          rateLimited: await listen(fakeSamples(bugs, 'rate-limited')),
          internalError: await listen(fakeSamples(bugs, 'broken')),
          unavailable: await listen(fakeSamples(bugs, 'down')),
        }
      : {},
  };
}

async function failingChecks(bugs: Bug[]): Promise<{ checks: CheckName[]; text: string }> {
  const report = await runContract(await target(bugs), { apis: ['samples'] });
  const checks = new Set<CheckName>();
  for (const o of report.operations) for (const c of Object.keys(o.failuresByCheck)) checks.add(c as CheckName);
  return { checks: [...checks].sort(), text: describeFailures(report) };
}

describe('planted bugs in a throwaway samples app', () => {
  test('baseline: the correct app passes every check and earns every declared status', async () => {
    const report = await runContract(await target([], true), { apis: ['samples'] });
    expect(describeFailures(report)).toBe('');
    const spec = loadApiSpec('samples');
    for (const o of report.operations) {
      const op = spec.operations.find((x) => x.operationId === o.operationId);
      if (!op) throw new Error(o.operationId);
      expect(unearnedStatuses(o, op)).toEqual([]);
      for (const s of op.statuses) expect(o.earned).toHaveProperty(String(s));
    }
  });

  test.each([
    [
      'an undeclared status (410 for an unknown run)',
      'undeclared-status',
      'status_code_conformance',
      ['status_earned'],
    ],
    ['a missing header (no X-RateLimit-Remaining on 200)', 'missing-header', 'response_headers_conformance', []],
    ['a wrong-typed field (fail_count as a string)', 'wrong-type', 'response_schema_conformance', []],
    ['an endpoint that ignores auth (the list)', 'ignores-auth', 'ignored_auth', ['missing_required_header']],
    ['an out-of-bounds parameter accepted (limit clamped)', 'out-of-bounds', 'negative_data_rejection', []],
  ] as const)('%s is caught by %s', async (_what, bug, check, alsoFailing) => {
    const { checks, text } = await failingChecks([bug]);
    expect(checks, text).toContain(check);
    expect(checks, text).toEqual([check, ...alsoFailing].sort());
  });

  test('the fuzzer finds the accepted out-of-bounds limit and shrinks it, with the seed to replay', async () => {
    const t = await target(['out-of-bounds']);
    const report = await runContract(t, { apis: ['samples'], discover: true });
    const spec = loadApiSpec('samples');
    const op = spec.operations.find((o) => o.operationId === 'samplesListRuns');
    const base = report.operations.find((o) => o.operationId === 'samplesListRuns')?.base;
    if (!op || !base) throw new Error('samplesListRuns');
    const result = await fuzzOperation(t, spec, op, base, { runs: 300, seed: 42 });
    expect(result.failuresByCheck.negative_data_rejection).toBeGreaterThan(0);
    expect(Object.keys(result.failuresByCheck)).toEqual(['negative_data_rejection']);
    expect(result.shrunk).toMatch(/invalid limit="(0|101|-\d+|\d{3,})"/);
    expect(result.shrunk).toMatch(/seed 42/);
  });
});
