import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JWT_CLOCK_SKEW_S } from '../../server/apis/workflows/auth.ts';
import { workflowsApi } from '../../server/apis/workflows/index.ts';
import { bearer, startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const spec = specValidator('workflows');
const PATH =
  '/api/v1/workflows/3fa85f64-5717-4562-b3fc-2c963f66afa6/runs/7c9e6679-7425-40de-944b-e07fc1f90ae7/overview';
const ISSUER = 'https://clerk.example.test';
const AUDIENCE = 'run-api-contracts';

function token(claims: Record<string, unknown>, iat = Math.floor(Date.now() / 1000)) {
  return new SignJWT({ sub: 'user_demo_alice', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

async function status(server: TestServer, jwt: string): Promise<number> {
  const res = await server.get(PATH, bearer(jwt));
  const body = await res.json();
  if (res.status === 401) {
    expect(body).toEqual({ detail: 'Invalid authentication credentials' });
    expect(spec.validate('workflowsGetRunOverview', 401, body).errors).toBe('No errors');
  }
  return res.status;
}

let plain: TestServer;
let strict: TestServer;
beforeAll(async () => {
  plain = await startTestServer({ apis: [workflowsApi] });
  strict = await plain.sibling({ jwtIssuer: ISSUER, jwtAudience: AUDIENCE });
});
afterAll(async () => {
  await plain.close();
  await strict.close();
});

describe('workflows JWT claims', () => {
  test('without JWT_ISSUER/JWT_AUDIENCE, iss and aud are not required', async () => {
    expect(await status(plain, await token({}))).toBe(200);
  });

  test('with JWT_ISSUER and JWT_AUDIENCE set, only tokens carrying both are accepted', async () => {
    expect(await status(strict, await token({ iss: ISSUER, aud: AUDIENCE }))).toBe(200);
    expect(await status(strict, await token({ iss: ISSUER, aud: [AUDIENCE, 'other'] }))).toBe(200);
    expect(await status(strict, await token({}))).toBe(401);
    expect(await status(strict, await token({ iss: 'https://evil.example', aud: AUDIENCE }))).toBe(401);
    expect(await status(strict, await token({ iss: ISSUER, aud: 'another-api' }))).toBe(401);
    expect(await status(strict, await token({ iss: ISSUER }))).toBe(401);
  });

  test('an iat in the future beyond the clock skew is refused; within it, accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await status(plain, await token({}, now + 3600))).toBe(401);
    expect(await status(plain, await token({}, now + JWT_CLOCK_SKEW_S * 3))).toBe(401);
    expect(await status(plain, await token({}, now + Math.floor(JWT_CLOCK_SKEW_S / 4)))).toBe(200);
  });
});
