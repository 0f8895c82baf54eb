import { type ClientRateLimitInfo, MemoryStore, type Options, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type RedisReply, RedisStore } from 'rate-limit-redis';

/**
 * Where rate-limit counters live: Redis when it answers (every process shares one budget), else
 * this process's memory. A Redis that refuses or freezes costs at most one command timeout: the
 * first failure switches every limiter to in-process counters (limits stay enforced, headers stay
 * sent), a probe brings them back to Redis once it answers, and each switch is logged once.
 */
export interface Counters {
  /** A store for one limiter (own key prefix in Redis, own in-process fallback). */
  store(prefix: string): Store;
  /** 'redis', 'memory' (no Redis configured) or 'degraded' (Redis configured but unreachable). */
  mode(): 'redis' | 'memory' | 'degraded';
  close(): void;
}

export interface CountersOptions {
  redis?: Redis | undefined;
  logger?: Logger | undefined;
  /** How often a degraded process asks Redis whether it is back. */
  probeMs?: number;
}

export function createCounters({ redis, logger, probeMs = 1000 }: CountersOptions): Counters {
  let down = false;
  let probe: NodeJS.Timeout | undefined;

  const recovered = () => {
    if (!down) return;
    down = false;
    if (probe) clearInterval(probe);
    probe = undefined;
    logger?.info('redis answers again: rate limits shared through Redis');
  };
  const failed = (err: unknown) => {
    if (down || !redis) return;
    down = true;
    logger?.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'redis unreachable: rate limits counted in this process until it answers',
    );
    probe = setInterval(() => {
      redis.ping().then(recovered, () => {});
    }, probeMs);
    probe.unref();
  };

  // A reconnected client is the quickest sign Redis is back; the probe covers a thawed one.
  redis?.on('ready', recovered);

  return {
    store(prefix) {
      const memory = new MemoryStore();
      if (!redis) return memory;
      const shared = new RedisStore({
        prefix,
        sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
      });
      let options: Options | undefined;
      // The scripts rate-limit-redis loads at init: loaded again after any failure, since a
      // Redis that was down at start (or restarted empty) has none.
      let scripts: Promise<void> | undefined;
      async function either<T>(onRedis: () => Promise<T>, inMemory: () => T | Promise<T>): Promise<T> {
        if (down || !options) return inMemory();
        try {
          scripts ??= shared.init(options);
          await scripts;
          return await onRedis();
        } catch (err) {
          scripts = undefined;
          failed(err);
          return inMemory();
        }
      }
      const store: Store = {
        prefix,
        init(given: Options) {
          options = given;
          memory.init(given);
        },
        get: (key): Promise<ClientRateLimitInfo | undefined> =>
          either(
            () => shared.get(key),
            () => memory.get(key),
          ),
        increment: (key) =>
          either(
            () => shared.increment(key),
            () => memory.increment(key),
          ),
        decrement: (key) =>
          either(
            () => shared.decrement(key),
            () => memory.decrement(key),
          ),
        resetKey: (key) =>
          either(
            () => shared.resetKey(key),
            () => memory.resetKey(key),
          ),
        shutdown: () => memory.shutdown(),
      };
      return store;
    },
    mode: () => (!redis ? 'memory' : down ? 'degraded' : 'redis'),
    close() {
      if (probe) clearInterval(probe);
    },
  };
}
