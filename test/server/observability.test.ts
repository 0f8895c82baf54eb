import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../server/apis/registry.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, loadBundled, specValidator } from '../helpers/spec.ts';

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
    // No field named authorization (Vary: Authorization names the header, it carries no credential).
    expect(lines.join('\n').toLowerCase()).not.toMatch(/"authorization"\s*:/);
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
  // The body is another API's published example: valid for that document, not for this one. With one
  // validator over several documents (express-openapi-validator #881) it could pass; per API it cannot.
  test.each(API_NAMES)(
    "%s checks responses against its own document: another API's valid body is its 500",
    async (api) => {
      const operationId = seedOperation[api] ?? '';
      const other = API_NAMES[(API_NAMES.indexOf(api) + 1) % API_NAMES.length] ?? 'samples';
      const foreignBody = seedExample(other);
      expect(specValidator(other).validate(seedOperation[other] ?? '', 200, foreignBody).errors).toBe('No errors');
      expect(specValidator(api).validate(operationId, 200, foreignBody).valid).toBe(false);
      const s = await server.sibling({
        handlerOverrides: {
          [operationId]: ({ res }) => {
            res.json(foreignBody);
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
    },
  );

  test('every API module is registered, each owning every path of its bundled document', () => {
    expect(registry.map((a) => a.name).sort()).toEqual([...API_NAMES].sort());
    for (const api of registry) {
      const paths = Object.keys(loadBundled(api.name).paths as object);
      expect(
        paths.every((p) => p.startsWith(api.basePath)),
        api.name,
      ).toBe(true);
    }
  });
});

function seedExample(api: string): unknown {
  const fixture = JSON.parse(readFileSync(new URL(`../fixtures/seeds/${api}.json`, import.meta.url), 'utf8')) as {
    examples: Array<{ status: string; value: unknown }>;
  };
  return fixture.examples.find((e) => e.status === '200')?.value;
}
