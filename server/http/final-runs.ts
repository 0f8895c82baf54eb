import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { etagOf, type FinalBody } from '../cache/final-bodies.ts';
import type { ApiModule, AppDeps, FinalRunRule, Principal } from '../core/types.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const FINAL = Symbol('final run');

/** Called by a handler before res.json: this 200 body shows a run that can no longer change. */
export function markFinal(res: Response): void {
  (res.locals as Record<symbol, boolean>)[FINAL] = true;
}

/**
 * The cache key: the operation, the tenant the principal reads as and the URL as sent (path and
 * query), so one tenant's entry can never answer another and every variant of the URL is its own.
 */
export const finalKey = (operationId: string, req: Request): string =>
  `${operationId}\n${req.principal?.tenantId ?? ''}\n${req.originalUrl}`;

/**
 * Headers that neither the validator nor a handler reads, so they may differ between two requests
 * that are otherwise the same. Every other header (Authorization, X-Workspace-Id, Accept, bodies'
 * headers, anything unknown) is part of a request's identity.
 */
const PASSIVE_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'user-agent',
  'accept-encoding',
  'accept-language',
  'x-request-id',
  'if-none-match',
  'cache-control',
  'pragma',
]);
/** The If-None-Match schema's maxLength: a longer one is for the validator to refuse. */
const IF_NONE_MATCH_MAX = 2048;

/**
 * A hash of everything that decides how a GET is authenticated, validated and answered: method,
 * URL as sent, and every header but the passive ones (the credential only ever as part of the hash).
 */
export function requestIdentity(req: Request): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  if ((req.headers['if-none-match']?.length ?? 0) > IF_NONE_MATCH_MAX) return undefined;
  const hash = createHash('sha256').update(req.method).update('\n').update(req.originalUrl);
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (!PASSIVE_HEADERS.has(name))
      hash
        .update('\n')
        .update(name)
        .update(':')
        .update(raw[i + 1] as string);
  }
  return hash.digest('base64url');
}

export const answeredKey = (api: string, identity: string): string => `answered:${api}:${identity}`;

/**
 * The same request again (same credential, headers and URL) within the principal cache's TTL, for
 * a run already known final: answered before the validator and the security handlers run, as both
 * would decide exactly as they did. The principal's own budget still counts it (`principalLimit`,
 * the limiter that runs after auth on the full path), so a cached answer is never a way around the
 * rate limit. After the TTL the request takes the full path again, so a revoked key is refused as
 * soon as it would be anyway.
 */
export function answerKnownRequests(api: ApiModule, deps: AppDeps, principalLimit: RequestHandler): RequestHandler {
  const rules = api.finalRuns ?? {};
  return function answerKnownRequest(req, res, next) {
    const identity = requestIdentity(req);
    const known = identity
      ? deps.principals.peek<{ operationId: string; key: string; principal: Principal }>(
          answeredKey(api.name, identity),
        )
      : undefined;
    const rule = known && rules[known.operationId];
    const hit = known && rule && deps.finalBodies.get(known.key);
    if (!known || !rule || !hit) {
      next();
      return;
    }
    req.principal = known.principal;
    principalLimit(req, res, (err?: unknown) => {
      if (err) next(err);
      else sendFinal(req, res, hit, rule);
    });
  };
}

/**
 * Answers a cached body: no query, no serialisation, and no second response validation (the
 * validator checks only res.json bodies; these bytes passed it when they were first sent).
 */
export function sendFinal(req: Request, res: Response, hit: FinalBody, rule: FinalRunRule): void {
  res.setHeader('ETag', hit.etag);
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  const body = rule.envelope ? Buffer.from(rule.envelope.wrap(hit.bytes.toString(), req)) : hit.bytes;
  res.status(200).setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', body.length);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Keeps the bytes of this response if the handler marked its run final and it leaves as a 200:
 * res.send is reached only after the validator's res.json wrapper accepted the body, so what is
 * cached is exactly what passed validation. The same strong ETag goes out on this first answer.
 */
export function captureFinal(res: Response, rule: FinalRunRule, keep: (body: FinalBody) => void): void {
  let body: unknown;
  const json = res.json;
  res.json = function finalJson(this: Response, value: unknown) {
    body = value;
    return json.call(this, value);
  };
  const send = res.send;
  res.send = function finalSend(this: Response, chunk?: unknown) {
    const final = (res.locals as Record<symbol, boolean>)[FINAL] === true;
    if (final && res.statusCode === 200 && typeof chunk === 'string' && body !== undefined) {
      const part = rule.envelope ? JSON.stringify(rule.envelope.part(body)) : chunk;
      const entry = { bytes: Buffer.from(part), etag: etagOf(part, rule.envelope !== undefined) };
      keep(entry);
      res.setHeader('ETag', entry.etag);
      body = undefined;
    }
    return send.call(this, chunk);
  };
}
