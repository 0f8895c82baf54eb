/**
 * What the two in-process caches offer (implemented in server/cache/): here, below the store and
 * the http floor, so the types every floor shares import nothing above core.
 */

/** Who a credential (by its hash, never the secret) belongs to, for a few seconds. */
export interface PrincipalCache {
  /** The cached answer for `key`, else `load()`'s; only found owners are kept (a guess never fills it). */
  lookup<T extends object>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Something learnt under an accepted credential, kept for the same TTL (see final-runs.ts). */
  put(key: string, value: object): void;
  peek<T extends object>(key: string): T | undefined;
}

/** A 200 body of a run that can no longer change, as the bytes that passed response validation. */
export interface FinalBody {
  bytes: Buffer;
  /** Strong when the bytes are the whole body; weak when the API wraps them per request (workflows' meta). */
  etag: string;
}

export interface FinalBodyCache {
  get(key: string): FinalBody | undefined;
  /** Keeps `body` in memory and, when there is a backing store, there too (not awaited). */
  set(key: string, body: FinalBody): void;
  /** The body from the backing store (then kept in memory too), when memory has none. */
  load?(key: string): Promise<FinalBody | undefined>;
  /** Resolves once every backing write begun so far has ended (stored or reported). */
  settled?(): Promise<void>;
  /** Fills memory from the backing store, newest bodies first, up to `maxBytes`; resolves with how many. */
  preload?(maxBytes?: number): Promise<number>;
}

/** Where final bodies outlive the process (the store's final_bodies table, in app.ts). */
export interface FinalBodyBacking {
  read(key: string): Promise<FinalBody | undefined>;
  write(key: string, body: FinalBody): Promise<void>;
  /** A page of stored bodies, newest first, after the page that ended at `after`. */
  recent?(limit: number, after?: unknown): Promise<{ bodies: Array<{ key: string; body: FinalBody }>; next: unknown }>;
}
