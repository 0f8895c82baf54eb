import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../server/apis/registry.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ logger: pino({ level: 'info' }, sink), metrics: true });
});
afterAll(() => server.close());

describe('logging', () => {
  test('one JSON line per request with its id, and never the Authorization header', async () => {
    const key = server.demo.samples?.[0]?.apiKey ?? '';
    const res = await server.get('/api/v1/runs/101/summary', { ...bearer(key), 'x-request-id': 'log-probe-1' });
    expect(res.status).toBe(200);
    const mine = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => JSON.stringify(l).includes('log-probe-1'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ req: { id: 'log-probe-1', method: 'GET' }, res: { statusCode: 200 } });
    expect(lines.join('\n')).not.toContain(key);
    expect(lines.join('\n').toLowerCase()).not.toContain('authorization');
  });
});

describe('metrics', () => {
  test('/metrics reports requests by API, operation and status, and store query time', async () => {
    const key = server.demo.samples?.[0]?.apiKey ?? '';
    await server.get('/api/v1/runs/101/summary', bearer(key));
    const text = await (await server.get('/metrics')).text();
    expect(text).toMatch(/http_requests_total\{api="samples",operation="samplesGetRunSummary",status="200"\} \d+/);
    expect(text).toMatch(/store_query_duration_seconds_count \d+/);
  });
});

describe('response validation', () => {
  // Each API's seed operation, made to answer another API's seed body: valid JSON, wrong contract.
  const seedOperation: Record<string, string> = {
    telemetry: 'telemetryGetRunSummary',
    workflows: 'workflowsGetRunOverview',
    matching: 'matchingGetRun',
    taxonomy: 'taxonomyGetRun',
    samples: 'samplesGetRunSummary',
  };
  test.each(API_NAMES)('%s answers a non-conforming handler body with its own 500 shape', async (api) => {
    const operationId = seedOperation[api] ?? '';
    const s = await startTestServer({
      handlerOverrides: {
        [operationId]: ({ res }) => {
          res.json({ run_id: 'not-what-the-spec-says', surprise: true });
        },
      },
    });
    try {
      const tenant = s.demo[api]?.[0];
      const run = tenant?.runs[0];
      expect(tenant && run, `${api} has demo data`).toBeTruthy();
      const res = await s.get(run?.path ?? '/', { ...bearer(tenant?.apiKey ?? ''), ...(tenant?.headers ?? {}) });
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(specValidator(api).validate(operationId, 500, body).errors).toBe('No errors');
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await s.close();
    }
  });

  test('every API module is registered with its own document', () => {
    expect(registry.map((a) => a.name).sort()).toEqual([...API_NAMES].sort());
  });
});
