import type { Request, Response } from 'express';
import type { FinalRunRule } from '../apis/types.ts';
import { etagOf, type FinalBody } from '../cache/final-bodies.ts';

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
