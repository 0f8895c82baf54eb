import { readFileSync } from 'node:fs';
import type { Request } from 'express';
import { createLocalJWKSet, decodeProtectedHeader, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { StoreUnavailable } from '../../core/errors.ts';
import type { AppDeps, Principal, SecurityHandler } from '../../core/types.ts';
import { keyOwner } from '../../http/api-key-auth.ts';
import { AuthFailure, authStoreError } from '../../http/auth-failure.ts';
import { bearerToken } from '../../http/bearer-token.ts';
import { memberWorkspaces } from '../../store/workflows.ts';

export const AUTH_MESSAGES = {
  missing: 'Not authenticated',
  invalid: 'Invalid authentication credentials',
  reserved: 'Test and public API keys are reserved; use a live key (op_live_...)',
} as const;

type Scheme = 'WorkflowsClerkJwt' | 'WorkflowsLiveApiKey';
type Outcome = { scheme: Scheme; principal: Principal } | { failure: string } | { storeError: unknown };

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/** Seconds an issuer's clock may run ahead of ours: an `iat` later than that is refused. */
export const JWT_CLOCK_SKEW_S = 60;
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Both schemes of the spec run for every request (EOV calls every handler and reports the first
 * refusal), so the credential is classified once per request and each handler answers from that
 * one outcome: the most specific refusal is the message whichever handler EOV reports.
 */
export function workflowsSecurity({ db, config, principals }: AppDeps): Record<Scheme, SecurityHandler> {
  const secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : undefined;
  // Read at start: a configured but unreadable JWKS file is a deployment error, not a 401.
  const jwks: JWTVerifyGetKey | undefined = config.jwksFile
    ? createLocalJWKSet(JSON.parse(readFileSync(config.jwksFile, 'utf8')))
    : undefined;

  // Issuer and audience are checked only when configured (JWT_ISSUER / JWT_AUDIENCE).
  const claims = {
    requiredClaims: ['exp', 'sub'],
    ...(config.jwtIssuer ? { issuer: config.jwtIssuer } : {}),
    ...(config.jwtAudience ? { audience: config.jwtAudience } : {}),
  };

  async function jwtSubject(token: string): Promise<string | undefined> {
    try {
      const { alg } = decodeProtectedHeader(token);
      let payload: { sub?: string | undefined; iat?: number | undefined };
      if (alg === 'HS256' && secret)
        payload = (await jwtVerify(token, secret, { algorithms: ['HS256'], ...claims })).payload;
      else if (jwks) payload = (await jwtVerify(token, jwks, { algorithms: ASYMMETRIC, ...claims })).payload;
      else return undefined;
      // jose checks a future iat only with maxTokenAge; a token issued tomorrow is forged or misdated.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + JWT_CLOCK_SKEW_S) return undefined;
      return typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
    } catch {
      return undefined; // expired, bad signature, unknown key, malformed: all the same 401
    }
  }

  async function classify(req: Request): Promise<Outcome> {
    const token = bearerToken(req);
    if (!token) return { failure: req.headers.authorization ? AUTH_MESSAGES.invalid : AUTH_MESSAGES.missing };
    if (/^op_(test|public)_/.test(token)) return { failure: AUTH_MESSAGES.reserved };
    let scheme: Scheme;
    let subject: string | undefined;
    // A live key is bound to one workspace; a JWT user may pick any workspace they belong to.
    let boundWorkspace: string | undefined;
    try {
      if (token.startsWith('op_live_')) {
        scheme = 'WorkflowsLiveApiKey';
        const owner = await keyOwner(db, 'workflows', token, principals);
        subject = owner?.subject;
        boundWorkspace = owner?.tenantId;
      } else if (JWT_SHAPE.test(token)) {
        scheme = 'WorkflowsClerkJwt';
        subject = await jwtSubject(token);
      } else {
        return { failure: AUTH_MESSAGES.invalid };
      }
      if (!subject) return { failure: AUTH_MESSAGES.invalid };
      // Memberships are trusted for the principal cache's TTL too (a JWT is still verified every time).
      const user = subject;
      const memberOf = (await principals.lookup(`workflows:member:${user}`, async () => ({
        list: await memberWorkspaces(db, user),
      }))) ?? { list: [] };
      const workspaces =
        boundWorkspace === undefined ? memberOf.list : memberOf.list.filter((w) => w === boundWorkspace);
      // No membership: tenant '' matches no workspace, so every read is a 404.
      return { scheme, principal: { api: 'workflows', subject, tenantId: workspaces[0] ?? '', workspaces } };
    } catch (err) {
      req.log?.[err instanceof StoreUnavailable ? 'warn' : 'error']({ err }, 'credentials could not be checked');
      return { storeError: err };
    }
  }

  const outcomes = new WeakMap<Request, Promise<Outcome>>();
  const handlerFor =
    (scheme: Scheme): SecurityHandler =>
    async (req) => {
      let pending = outcomes.get(req);
      if (!pending) {
        pending = classify(req);
        outcomes.set(req, pending);
      }
      const outcome = await pending;
      if ('storeError' in outcome) {
        throw authStoreError(req, outcome.storeError);
      }
      if ('failure' in outcome) throw new AuthFailure(outcome.failure);
      // The other scheme accepts this credential; EOV needs only one.
      if (outcome.scheme !== scheme) throw new AuthFailure(AUTH_MESSAGES.invalid);
      req.principal = outcome.principal;
      return true;
    };
  return { WorkflowsClerkJwt: handlerFor('WorkflowsClerkJwt'), WorkflowsLiveApiKey: handlerFor('WorkflowsLiveApiKey') };
}
