import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiName } from '../../server/core/types.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

type Json = Record<string, unknown>;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A concrete, valid URL for every operation of an API, filled from the demo run of its seed operation. */
function operationUrls(api: ApiName): Array<{ operationId: string; url: string; headers: Record<string, string> }> {
  const spec = specValidator(api);
  const tenant = server.demo[api]?.[0];
  if (!tenant) throw new Error(`${api} has no demo tenant`);
  const seedPath = tenant.runs[0]?.path ?? '';
  const [seedPathname, seedQuery] = seedPath.split('?');
  const values: Record<string, string> = { schema_id: 'sch-uuid-1' };
  for (const { path } of spec.operations.values()) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '([^/]+)')}$`);
    const match = pattern.exec(seedPathname ?? '');
    if (match) for (const [i, name] of names.entries()) values[name] = match[i + 1] ?? '';
  }
  return [...spec.operations].map(([operationId, { path }]) => ({
    operationId,
    url: path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '') + (seedQuery ? `?${seedQuery}` : ''),
    headers: { authorization: `Bearer ${tenant.apiKey}`, ...tenant.headers },
  }));
}

/** node:http, because fetch refuses a GET with a body and cannot send oversized headers. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: string },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(server.url + url, { method: options.method ?? 'GET', headers: options.headers ?? {} });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.end(options.body);
  });
}

const declared = (api: ApiName, operationId: string, status: number) =>
  Object.keys((specValidator(api).operations.get(operationId)?.op.responses ?? {}) as Json).includes(String(status));

describe.each(API_NAMES)('%s: every status the server sends is declared, with a body of its schema', (api) => {
  test('405: a POST on a GET path', async () => {
    for (const { operationId, url, headers } of operationUrls(api)) {
      const res = await send(url, { method: 'POST', headers });
      expect(res.status, `${operationId} ${url}`).toBe(405);
      expect(res.headers.allow).toBe('GET');
      expect(declared(api, operationId, 405), operationId).toBe(true);
      expect(specValidator(api).validate(operationId, 405, JSON.parse(res.body)).errors).toBe('No errors');
    }
  });

  test.each(['application/json', 'text/plain', 'application/octet-stream'])(
    '413: a GET with a 100 KB body of %s',
    async (type) => {
      const body = JSON.stringify({ blob: 'x'.repeat(100_000) });
      for (const { operationId, url, headers } of operationUrls(api)) {
        const res = await send(url, {
          headers: { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) },
          body,
        });
        expect(res.status, `${operationId} ${res.body}`).toBe(413);
        expect(declared(api, operationId, 413), operationId).toBe(true);
        expect(specValidator(api).validate(operationId, 413, JSON.parse(res.body)).errors).toBe('No errors');
      }
    },
  );

  test('a body in a charset the server cannot read is its bad input (no spec declares a 415)', async () => {
    const want = api === 'workflows' ? 422 : 400;
    for (const { operationId, url, headers } of operationUrls(api)) {
      const res = await send(url, {
        headers: { ...headers, 'content-type': 'application/json; charset=bogus', 'content-length': 2 },
        body: '{}',
      });
      expect(res.status, `${operationId} ${res.body}`).toBe(want);
      expect(specValidator(api).validate(operationId, want, JSON.parse(res.body)).errors).toBe('No errors');
    }
  });

  test('431: request headers over the limit', async () => {
    for (const { operationId, url, headers } of operationUrls(api)) {
      // Past the shipped server's 96 KB (the test server listens as `npm start` does).
      const res = await send(url, { headers: { ...headers, 'x-padding': 'a'.repeat(128 * 1024) } });
      expect(res.status, operationId).toBe(431);
      expect(declared(api, operationId, 431), operationId).toBe(true);
      // Node's HTTP layer answers before the API, without a body, and the spec says so (no content).
      expect(res.body).toBe('');
      expect(specValidator(api).response(operationId, 431).content).toBeUndefined();
    }
  });

  test("the error-code enum holds exactly the codes its documentation names, and each one's status is declared", () => {
    const spec = specValidator(api);
    const schemas = (spec.doc.components as Json).schemas as Record<string, Json>;
    const error = Object.entries(schemas).find(([name]) => /Error$/.test(name) && !/Validation/.test(name))?.[1];
    const props = (error?.properties ?? {}) as Json;
    const envelope = ((props.error ?? {}) as Json).properties as Json | undefined;
    const code = envelope ? envelope.code : props.code;
    const enumValues = (code as Json | undefined)?.enum as string[] | undefined;
    if (!enumValues) return expect(api === 'workflows' || api === 'samples').toBe(true);
    const documented = [...String((code as Json).description).matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect([...new Set(documented)].sort()).toEqual([...enumValues].sort());
    expect(enumValues).not.toContain('unsupported_media_type');
  });
});
