/**
 * mock:proxy's provenance report: the vendor's real responses against the elements our contracts
 * mark inferred. A value the vendor sends that an inferred enum lacks is reported; an inferred
 * value the vendor never sends is not; seed-stated elements are left to Prism's own validation.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/prism.ts';
import { provenanceReporter } from '../../mocks/provenance-report.ts';
import { startProvenanceTap } from '../../mocks/provenance-tap.ts';

type Json = Record<string, unknown>;

const seed = (api: string): Json =>
  structuredClone(
    (
      JSON.parse(readFileSync(new URL(`../fixtures/seeds/${api}.json`, import.meta.url), 'utf8')) as {
        examples: Array<{ status: string; value: Json }>;
      }
    ).examples[0]?.value ?? {},
  );

const OVERVIEW =
  '/api/v1/workflows/3fa85f64-5717-4562-b3fc-2c963f66afa6/runs/7c9e6679-7425-40de-944b-e07fc1f90ae7/overview';

/** The vendor's overview with its run in another status. */
function overviewWithRunStatus(status: string): Json {
  const body = seed('workflows') as { data: { run: Json } };
  body.data.run.status = status;
  return body;
}

describe('the reporter', () => {
  const reporter = provenanceReporter();

  test('the seed examples as the vendor publishes them contradict nothing', () => {
    expect(reporter.observe('GET', OVERVIEW, 200, seed('workflows'))).toEqual([]);
    expect(
      reporter.observe('GET', '/v1/matching/runs/c3d4e5f6-a7b8-9012-cdef-123456789012', 200, seed('matching')),
    ).toEqual([]);
  });

  test('a run status the vendor sends that our inferred enum lacks is reported, with the element and its reason', () => {
    const found = reporter.observe('GET', OVERVIEW, 200, overviewWithRunStatus('archived'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      operationId: 'workflowsGetRunOverview',
      status: 200,
      at: '/data/run/status',
      element: '/components/schemas/WorkflowsRunStatus',
      message: 'the vendor sent "archived", which our inferred enum lacks',
    });
    expect(found[0]?.reason).toMatch(/ours/);
  });

  test('an inferred value the vendor does send (queued) is fine; values it never sends are fine too', () => {
    expect(reporter.observe('GET', OVERVIEW, 200, overviewWithRunStatus('queued'))).toEqual([]);
  });

  test("a seed-stated enum is not ours to report (Prism's validation lists it)", () => {
    const body = { ...seed('matching'), status: 'paused' };
    expect(reporter.observe('GET', '/v1/matching/runs/c3d4e5f6-a7b8-9012-cdef-123456789012', 200, body)).toEqual([]);
  });

  test('an inferred error envelope the vendor shapes otherwise is reported', () => {
    const found = reporter.observe('GET', '/v1/telemetry/runs/a1b2c3d4-e5f6-7890-abcd-ef1234567890/summary', 500, {
      error: { code: 'server_error', message: 'boom' },
    });
    expect(found.map((c) => [c.at, c.message])).toEqual([
      ['/error/code', 'the vendor sent "server_error", which our inferred enum lacks'],
    ]);
  });

  test('a status our inferred list operation does not declare is reported (the vendor has no such list)', () => {
    const found = reporter.observe('GET', '/v1/matching/runs?limit=5', 410, { error: 'gone' });
    expect(found).toEqual([
      expect.objectContaining({ operationId: 'matchingListRuns', at: '', message: expect.stringContaining('410') }),
    ]);
  });

  test('a request that reaches no operation of ours reports nothing', () => {
    expect(reporter.observe('GET', '/somewhere/else', 200, { any: 'thing' })).toEqual([]);
  });
});

describe("through Prism's validation proxy and the tap, as npm run mock:proxy wires them", () => {
  let vendor: http.Server;
  let tap: Awaited<ReturnType<typeof startProvenanceTap>>;
  let proxy: RunningMock;
  const lines: string[] = [];

  beforeAll(async () => {
    vendor = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(overviewWithRunStatus('archived')));
    });
    vendor.listen(0, '127.0.0.1');
    await new Promise((resolve) => vendor.once('listening', resolve));
    tap = await startProvenanceTap(`http://127.0.0.1:${(vendor.address() as AddressInfo).port}`, (line) =>
      lines.push(line),
    );
    proxy = await startMock({ proxy: tap.url });
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await tap?.close();
    await new Promise((resolve) => vendor?.close(resolve));
  });

  test("the vendor's answer reaches the client unchanged, and the contradiction is reported", async () => {
    const res = await fetch(proxy.url + OVERVIEW, { headers: { authorization: 'Bearer op_live_x' } });
    const body = (await res.json()) as { data: { run: { status: string } } };
    expect(body.data.run.status).toBe('archived');
    await expect.poll(() => lines.length).toBeGreaterThan(0);
    expect(lines).toEqual([
      expect.stringMatching(
        /^inferred element contradicted by the vendor: workflowsGetRunOverview 200 at \/data\/run\/status: the vendor sent "archived"/,
      ),
    ]);
  });
});
