import type { DemoTenant } from '../core/types.ts';
import type { Db } from '../store/db.ts';
import type { ApiName } from '../store/keys.ts';

export type LiveRun = DemoTenant['runs'][number];

/** A run a tick moved into a terminal state: its seed operation's path, and the tenant that owns it. */
export interface FinishedRun {
  tenant: string;
  path: string;
}

/** What one `advance` did: how many runs it stepped, and which of them it finished. */
export interface Advanced {
  moved: number;
  finished: FinishedRun[];
}

/**
 * One API's part of live mode. `createRun` writes a new run in its first state (queued/pending);
 * `advance` moves every unfinished run of `tenants` one step, each in its own transaction, with
 * every UPDATE guarded by the status it expects, so a run already terminal is never written. A
 * run counts as finished only when its terminal UPDATE changed a row (RETURNING), so a run another
 * writer moved first is not reported.
 */
export interface LiveApi {
  name: ApiName;
  createRun(db: Db, tenant: string): Promise<LiveRun>;
  advance(db: Db, tenants: string[]): Promise<Advanced>;
}

/** At most this many runs per API move per tick, whatever `npm run seed` left unfinished. */
export const RUNS_PER_TICK = 25;
