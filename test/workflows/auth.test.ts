import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { workflowsApi } from '../../server/apis/workflows/index.ts';
import { bearer, startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const spec = specValidator('workflows');
const OP = 'workflowsGetRunOverview';
const WF_A = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const RUN_A = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const PATH = `/api/v1/workflows/${WF_A}/runs/${RUN_A}/overview`;
const RESERVED = 'Test and public API keys are reserved; use a live key (op_live_...)';
const INVALID = 'Invalid authentication credentials';

let server: TestServer;
let keyA: string;

const hs256 = (claims: Record<string, unknown>, secret = TEST_JWT_SECRET, expiresIn: string | number = '5m') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));

beforeAll(async () => {
  server = await startTestServer({ apis: [workflowsApi, samplesApi], rateLimit: { limit: 10_000 } });
  keyA = server.demo.workflows?.[0]?.apiKey ?? '';
});
afterAll(() => server.close());

async function refused(headers: Record<string, string>, detail: string) {
  const res = await server.get(PATH, headers);
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="workflows"');
  const body = await res.json();
  expect(spec.validate(OP, 401, body).errors).toBe('No errors');
  expect(body).toEqual({ detail });
}

describe('workflows auth: API keys', () => {
  test('a live key (op_live_...) is accepted', async () => {
    expect(keyA).toMatch(/^op_live_/);
    expect((await server.get(PATH, bearer(keyA))).status).toBe(200);
  });

  test.each(['op_test_', 'op_public_'])('a %s key is refused with 401 saying it is reserved', async (prefix) => {
    await refused(bearer(`${prefix}abcdef0123456789`), RESERVED);
  });

  test('a reserved key is refused even when its rest is a live key', async () => {
    await refused(bearer(`op_test_${keyA.slice('op_live_'.length)}`), RESERVED);
  });

  test('an unknown live key is refused', async () => {
    await refused(bearer('op_live_unknown_0000000000'), INVALID);
  });

  test("another API's key (the samples demo key) is refused", async () => {
    const samplesKey = server.demo.samples?.[0]?.apiKey ?? '';
    expect(samplesKey).not.toBe('');
    await refused(bearer(samplesKey), INVALID);
  });

  test('no Authorization header is a 401 saying the request is not authenticated', async () => {
    await refused({}, 'Not authenticated');
  });

  test.each([
    ['a non-Bearer scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
    ['a token that is neither a JWT nor a key', bearer('hello')],
  ])('%s is refused as invalid credentials', async (_label, headers) => {
    await refused(headers, INVALID);
  });
});

describe('workflows auth: JWT (HS256)', () => {
  test('a JWT signed with the configured secret is accepted; its sub is the user', async () => {
    const token = await hs256({ sub: 'user_demo_alice' });
    expect((await server.get(PATH, bearer(token))).status).toBe(200);
    // bob's JWT reads bob's default workspace, where this run does not exist.
    const bob = await hs256({ sub: 'user_demo_bob' });
    expect((await server.get(PATH, bearer(bob))).status).toBe(404);
  });

  test('an expired JWT is refused', async () => {
    const token = await hs256({ sub: 'user_demo_alice' }, TEST_JWT_SECRET, Math.floor(Date.now() / 1000) - 60);
    await refused(bearer(token), INVALID);
  });

  test('a JWT signed with another secret is refused', async () => {
    const token = await hs256({ sub: 'user_demo_alice' }, 'another-secret-that-is-long-enough-for-hs256-xx');
    await refused(bearer(token), INVALID);
  });

  test('an unsigned JWT (alg none) is refused', async () => {
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    await refused(bearer(`${encode({ alg: 'none' })}.${encode({ sub: 'user_demo_alice' })}.`), INVALID);
    await refused(bearer(`${encode({ alg: 'none' })}.${encode({ sub: 'user_demo_alice' })}.x`), INVALID);
  });

  test('a JWT without sub is refused', async () => {
    await refused(bearer(await hs256({ name: 'nobody' })), INVALID);
  });

  test('a valid JWT of a user with no workspace authenticates but reads nothing', async () => {
    const res = await server.get(PATH, bearer(await hs256({ sub: 'user_without_workspace' })));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: 'Workflow not found' });
  });
});

describe('workflows auth: JWT from a JWKS file', () => {
  let jwksServer: TestServer;
  let signingKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const dir = await mkdtemp(join(tmpdir(), 'wf-jwks-'));
    const file = join(dir, 'jwks.json');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'demo-1', alg: 'RS256', use: 'sig' };
    await writeFile(file, JSON.stringify({ keys: [jwk] }));
    jwksServer = await server.sibling({ apis: [workflowsApi], jwksFile: file });
  });
  afterAll(() => jwksServer.close());

  const rs256 = (key: CryptoKey, kid = 'demo-1') =>
    new SignJWT({ sub: 'user_demo_alice' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  test('a JWT signed by a key of the JWKS is accepted', async () => {
    expect((await jwksServer.get(PATH, bearer(await rs256(signingKey)))).status).toBe(200);
  });

  test('a JWT signed by a key outside the JWKS is refused', async () => {
    const stranger = await generateKeyPair('RS256');
    const res = await jwksServer.get(PATH, bearer(await rs256(stranger.privateKey)));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: INVALID });
  });

  test('the HS256 secret still works next to the JWKS', async () => {
    expect((await jwksServer.get(PATH, bearer(await hs256({ sub: 'user_demo_alice' })))).status).toBe(200);
  });
});

describe('JWT claims', () => {
  test('a token without exp is refused: every session token must expire', async () => {
    const token = await new SignJWT({ sub: 'user_demo_alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const res = await server.get(`/api/v1/workflows/${'3fa85f64-5717-4562-b3fc-2c963f66afa6'}/runs`, bearer(token));
    expect(res.status).toBe(401);
  });
});
