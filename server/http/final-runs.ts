import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import fresh from 'fresh';
import { etagOf, type FinalBody } from '../cache/final-bodies.ts';
import type { FinalRunRule, Principal } from '../core/types.ts';

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
  finalKeyOf(operationId, req.principal?.tenantId ?? '', req.originalUrl);
export const finalKeyOf = (operationId: string, tenantId: string, url: string): string =>
  `${operationId}\n${tenantId}\n${url}`;

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
 * A hash of everything that decides how a GET is authenticated, validated and answered: method
 * (HEAD is answered as GET), URL as sent, and every header but the passive ones (the credential
 * only ever as part of the hash). Works on a bare node request too (the front door's).
 */
export function requestIdentity(
  req: IncomingMessage & { originalUrl?: string },
  { withUrl = true } = {},
): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  if ((req.headers['if-none-match']?.length ?? 0) > IF_NONE_MATCH_MAX) return undefined;
  const hash = createHash('sha256')
    .update('GET\n')
    .update(withUrl ? (req.originalUrl ?? req.url ?? '') : '');
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
 * A client (credential and every other header but the URL: requestIdentity without it) whose
 * request to `operationId` was answered with a final body: the same headers on another URL of that
 * operation pass authentication and header validation as they did, and the URL itself passed when
 * its body was stored (only validated answers are), so a stored body may answer it (front-door.ts).
 */
export const clientKey = (api: string, operationId: string, headersIdentity: string): string =>
  `client:${api}:${operationId}:${headersIdentity}`;

const STORE_CHECKED = Symbol('final body looked up in the store');
/** The front door asked the store for this request's body and found none: dispatch need not ask again. */
export const markStoreChecked = (req: IncomingMessage): void => {
  (req as unknown as Record<symbol, boolean>)[STORE_CHECKED] = true;
};
export const storeChecked = (req: IncomingMessage): boolean =>
  (req as unknown as Record<symbol, boolean>)[STORE_CHECKED] === true;

/**
 * A request answered from the final-body cache, remembered under its identity for the principal
 * cache's TTL: the same request again may be answered by the front door (front-door.ts).
 */
export interface KnownAnswer {
  operationId: string;
  /** The final-body cache's key (finalKey). */
  key: string;
  principal: Principal;
  /** The headers every layer set on the answer, but those that differ per request (see below). */
  headers?: Array<[string, string | number | string[]]>;
}

/** Per request, or written by whoever answers: never replayed from an earlier answer. */
const OWN_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-type',
  'etag',
  'x-request-id',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
]);

/**
 * Remembers `answer` once this response has left as a 200 or 304, with the headers the layers
 * (security headers, caching, CORS) gave it, so an answer from memory carries the same ones.
 */
export function rememberAnswer(res: Response, remember: (answer: KnownAnswer) => void, answer: KnownAnswer): void {
  res.once('finish', () => {
    if (res.statusCode !== 200 && res.statusCode !== 304) return;
    const headers: KnownAnswer['headers'] = [];
    // Node's own method (since 15.13), missing from @types/node: the names as they were set.
    for (const name of (res as unknown as { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
      const value = res.getHeader(name);
      if (value !== undefined && !OWN_HEADERS.has(name.toLowerCase())) headers.push([name, value]);
    }
    remember({ ...answer, headers });
  });
}

/**
 * Answers a cached body: no query, no serialisation, and no second response validation (the
 * validator checks only res.json bodies; these bytes passed it when they were first sent). Plain
 * node calls, so the front door can answer with it before Express runs.
 */
export function sendFinal(req: IncomingMessage, res: ServerResponse, hit: FinalBody, rule: FinalRunRule): void {
  res.setHeader('ETag', hit.etag);
  if (fresh(req.headers, { etag: hit.etag })) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const body = rule.envelope ? Buffer.from(rule.envelope.wrap(hit.bytes.toString(), req as Request)) : hit.bytes;
  res.statusCode = 200;
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', body.length);
  // Node writes no body for a HEAD request, whatever is passed here.
  res.end(body);
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
    if (res.statusCode === 200 && typeof chunk === 'string' && body !== undefined) {
      // The run's part of the answer: an envelope's per-request meta would make every ETag new.
      const part = rule.envelope ? JSON.stringify(rule.envelope.part(body)) : chunk;
      if ((res.locals as Record<symbol, boolean>)[FINAL] === true) {
        const entry = { bytes: Buffer.from(part), etag: etagOf(part, rule.envelope !== undefined) };
        keep(entry);
        res.setHeader('ETag', entry.etag);
      } else {
        // A run that can still change: a weak validator (the apps make no ETags of their own).
        res.setHeader('ETag', etagOf(part, true));
      }
      body = undefined;
    }
    return send.call(this, chunk);
  };
}
