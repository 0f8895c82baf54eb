import type { Db } from '../store/db.ts';
import type { ApiName } from '../store/keys.ts';
import { matchingLive } from './matching.ts';
import { samplesLive } from './samples.ts';
import { taxonomyLive } from './taxonomy.ts';
import { telemetryLive } from './telemetry.ts';
import type { FinishedRun, LiveApi, LiveRun } from './types.ts';
import { workflowsLive } from './workflows.ts';

// Every live write stamps now()::timestamptz(3) (milliseconds): the APIs show milliseconds, so a
// duration the store derives (workflows' node duration_ms) equals the one a client derives from the
// timestamps it is shown; microseconds made them differ by one now and then.
export const LIVE_APIS: LiveApi[] = [telemetryLive, workflowsLive, matchingLive, taxonomyLive, samplesLive];

export interface LiveOptions {
  /** The tenants (organization, workspace, tenant, project) whose runs move, per API. */
  tenants: Partial<Record<ApiName, string[]>>;
  /** A new run appears for each API every this many ticks (default 5). */
  newRunEvery?: number;
  onError?: (err: unknown) => void;
  /**
   * The runs of `api` this tick moved into a terminal state. The tick waits for it (so a slow
   * writer slows the ticks rather than piling up), and hands what it throws to onError.
   */
  onFinished?: (api: ApiName, runs: FinishedRun[]) => Promise<unknown> | undefined;
}

export interface Live {
  /**
   * One step for every API: advance unfinished runs (then onFinished), and now and then start a
   * new one. Resolves to the runs each API finished.
   */
  tick(): Promise<Partial<Record<ApiName, FinishedRun[]>>>;
  /** Writes a new run (queued/pending) for the API's first tenant: the manifest's "about to start". */
  createRun(api: ApiName): Promise<{ tenant: string } & LiveRun>;
  /** Ticks every `tickMs` until stop(); a tick never overlaps the previous one. */
  start(tickMs: number): void;
  stop(): Promise<void>;
}

export function createLive(db: Db, options: LiveOptions): Live {
  const every = options.newRunEvery ?? 5;
  let ticks = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const apis = LIVE_APIS.filter((api) => (options.tenants[api.name] ?? []).length > 0);

  const createRun = async (name: ApiName) => {
    const api = LIVE_APIS.find((a) => a.name === name);
    const tenant = options.tenants[name]?.[0];
    if (!api || !tenant) throw new Error(`live mode has no tenant for ${name}`);
    return { tenant, ...(await api.createRun(db, tenant)) };
  };
  const tick = async () => {
    ticks++;
    const finished: Partial<Record<ApiName, FinishedRun[]>> = {};
    for (const api of apis) {
      const tenants = options.tenants[api.name] ?? [];
      const advanced = await api.advance(db, tenants);
      if (advanced.finished.length > 0) {
        finished[api.name] = advanced.finished;
        const runs = advanced.finished;
        await Promise.resolve()
          .then(() => options.onFinished?.(api.name, runs))
          .catch((err: unknown) => options.onError?.(err));
      }
      if (ticks % every === 0) await api.createRun(db, tenants[ticks % tenants.length] as string);
    }
    return finished;
  };
  const schedule = (tickMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .then(
          () => {},
          (err: unknown) => options.onError?.(err),
        )
        .finally(() => schedule(tickMs));
    }, tickMs);
  };
  return {
    tick,
    createRun,
    start: schedule,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
