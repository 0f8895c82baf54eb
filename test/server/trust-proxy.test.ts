import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { rawRequest } from '../helpers/http.ts';
import { limitCounters } from '../helpers/limits.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';

const open: TestServer[] = [];
const counters = limitCounters();
/** The file's one store and demo data; each test's proxy setting gets a sibling app on it. */
let base: TestServer;
beforeAll(async () => {
  base = await startTestServer({ apis: [samplesApi] });
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await base.close();
  await counters.close();
});

/** Statuses of refused credentials sent with these X-Forwarded-For values, in order. */
async function refusals(s: TestServer, forwardedFor: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const [i, xff] of forwardedFor.entries()) {
    const res = await rawRequest(`${s.url}/api/v1/runs/101/summary`, {
      headers: { ...bearer(`guess-${i}`), 'x-forwarded-for': xff },
    });
    out.push(res.status);
  }
  return out;
}

describe('TRUST_PROXY (2)', () => {
  test('off: X-Forwarded-For is ignored, so a client cannot dodge its budget by inventing addresses', async () => {
    const s = await base.sibling({ ...counters.options(), failedAuthLimit: { limit: 2, windowMs: 60_000 } });
    open.push(s);
    expect(await refusals(s, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([401, 401, 429]);
  });

  test.each([
    ['a hop count', 1],
    ['a CIDR list', '10.0.0.0/8,127.0.0.0/8'],
  ] as const)(
    'on (%s): each client behind the proxy has its own budget, and a spoofed hop buys nothing',
    async (_label, trustProxy) => {
      const s = await base.sibling({
        ...counters.options(),
        failedAuthLimit: { limit: 2, windowMs: 60_000 },
        trustProxy,
      });
      open.push(s);
      // The proxy appends the address it saw; whatever a client put before it is not trusted.
      expect(await refusals(s, ['203.0.113.1', '198.51.100.7, 203.0.113.1', '203.0.113.1'])).toEqual([401, 401, 429]);
      expect(await refusals(s, ['203.0.113.2', '203.0.113.2'])).toEqual([401, 401]);
      const key = s.demo.samples?.[0]?.apiKey ?? '';
      const other = await rawRequest(`${s.url}/api/v1/runs/101/summary`, {
        headers: { ...bearer(key), 'x-forwarded-for': '203.0.113.9' },
      });
      expect(other.status).toBe(200);
    },
  );
});
