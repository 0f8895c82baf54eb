import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from 'express-rate-limit';
import proxyAddr from 'proxy-addr';
import { type Json, walkOperations } from '../../openapi/document.ts';
import type { AppDeps, FinalRunRule } from '../core/types.ts';
import {
  answeredKey,
  clientKey,
  finalKeyOf,
  type KnownAnswer,
  markStoreChecked,
  requestIdentity,
  sendFinal,
} from './final-runs.ts';
import { principalKey, refusalKey, refusals, setBudget } from './rate-limit.ts';

/** One API's counter: its store and the budget it enforces. */
export interface Budget {
  store: Store;
  limit: number;
  windowMs: number;
}

/** A final-run operation's path template as a pattern of request paths (parameters: one segment). */
export interface FinalRoute {
  operationId: string;
  pattern: RegExp;
}

/** The routes of `finalRuns`' operations in `document`: which URLs a stored body might answer. */
export function finalRoutes(document: Json, finalRuns: Record<string, FinalRunRule>): FinalRoute[] {
  return walkOperations(document)
    .filter(({ method, op }) => method === 'get' && typeof op.operationId === 'string' && op.operationId in finalRuns)
    .map(({ path, op }) => ({
      operationId: op.operationId as string,
      pattern: new RegExp(
        `^${path
          .split(/\{[^}]+\}/)
          .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
          .join('[^/?#]+')}$`,
      ),
    }));
}

/** What the front door needs of one API: where it lives, its final-run rules and its two budgets. */
export interface Desk {
  api: string;
  basePath: string;
  finalRuns: Record<string, FinalRunRule>;
  finalRoutes: FinalRoute[];
  principalBudget: Budget;
  refusedBudget: Budget;
  /** Samples' contract: X-RateLimit-* on every answer. */
  budgetHeaders: boolean;
}

export interface FrontDoorOptions {
  desks: Desk[];
  deps: AppDeps;
  /** Express's compiled `trust proxy`, so the client address is the one Express would see. */
  trust: (addr: string, i: number) => boolean;
  /** Run on an answered request only: the request id, the log line, metrics. */
  observe(req: IncomingMessage, res: ServerResponse, api: string, operationId: string): void;
}

/** A request the front door may answer: the body under `known.key`, with the headers of `known`'s answer. */
type Answer = { desk: Desk; known: Required<KnownAnswer>; rule: FinalRunRule; stored: boolean };

/**
 * Before Express sees it, a request that was answered from the final-body cache within the
 * principal cache's TTL (same credential, headers and URL: the same identity) is answered again
 * from memory with the headers every layer gave that answer; so is a known client's request
 * (same credential and headers, within the TTL) for another URL of that operation whose body was
 * stored (final_bodies), after one primary-key read. Authentication, validation and the
 * handler would decide exactly as they did; the address's refused-credentials budget and the
 * principal's budget are still checked and spent here, as on the full path. Anything else, or a
 * request either budget would refuse, goes to Express (`fallBack`), which answers it in full.
 * Returns false when the request is not one it can answer, and Express should take it now.
 */
export function frontDoor({ desks, deps, trust, observe }: FrontDoorOptions) {
  function find(req: IncomingMessage): Answer | undefined {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    const url = req.url ?? '';
    const end = url.indexOf('?');
    const path = end < 0 ? url : url.slice(0, end);
    const desk = desks.find((d) => path === d.basePath || path.startsWith(`${d.basePath}/`));
    const identity = desk && requestIdentity(req);
    if (!desk || !identity) return undefined;
    const known = deps.principals.peek<KnownAnswer>(answeredKey(desk.api, identity));
    const rule = known?.headers && desk.finalRuns[known.operationId];
    if (known && rule && deps.finalBodies.get(known.key))
      return { desk, known: known as Required<KnownAnswer>, rule, stored: false };
    // Not this request before, but a known client on a URL of a final-run operation: a body stored
    // for that URL (by this process or another) answers it, if there is one.
    const route = deps.finalBodies.load ? desk.finalRoutes.find((r) => r.pattern.test(path)) : undefined;
    const headersIdentity = route && requestIdentity(req, { withUrl: false });
    if (!route || !headersIdentity) return undefined;
    const client = deps.principals.peek<KnownAnswer>(clientKey(desk.api, route.operationId, headersIdentity));
    const clientRule = client?.headers && desk.finalRuns[route.operationId];
    if (!client || !clientRule) return undefined;
    const key = finalKeyOf(route.operationId, client.principal.tenantId, url);
    return {
      desk,
      known: { ...client, operationId: route.operationId, key } as Required<KnownAnswer>,
      rule: clientRule,
      stored: true,
    };
  }

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    { desk, known, rule, stored }: Answer,
  ): Promise<boolean> {
    if (stored && !deps.finalBodies.get(known.key) && !(await deps.finalBodies.load?.(known.key))) {
      markStoreChecked(req);
      return false;
    }
    const refused = desk.refusedBudget;
    const address = refusalKey(proxyAddr(req, trust));
    if ((await refusals(refused.store, address, refused.windowMs)).hits >= refused.limit) return false;
    const budget = desk.principalBudget;
    const key = principalKey(known.principal, req.headers);
    const spent = await budget.store.increment(key);
    if (spent.totalHits > budget.limit) {
      // Express counts it again and answers the API's own 429: undo this count first.
      await budget.store.decrement(key);
      return false;
    }
    // Evicted while the budget was asked: the full path answers (and counts it: undo this count).
    const hit = deps.finalBodies.get(known.key);
    if (!hit) {
      await budget.store.decrement(key);
      return false;
    }
    observe(req, res, desk.api, known.operationId);
    for (const [name, value] of known.headers) res.setHeader(name, value);
    if (desk.budgetHeaders && spent.resetTime)
      setBudget(res, budget.limit, budget.limit - spent.totalHits, spent.resetTime);
    sendFinal(req, res, hit, rule);
    return true;
  }

  return function enter(req: IncomingMessage, res: ServerResponse, fallBack: () => void): boolean {
    const found = find(req);
    if (!found) return false;
    answer(req, res, found).then(
      (answered) => answered || fallBack(),
      // A store that fails: the full path decides (it lets the request through, passOnStoreError).
      () => fallBack(),
    );
    return true;
  };
}
