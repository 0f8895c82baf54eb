import { Redis } from 'ioredis';

export interface RedisOptions {
  /** A command without a reply in this many ms fails (REDIS_COMMAND_TIMEOUT_MS, default 100). */
  commandTimeoutMs?: number;
}

/**
 * The Redis client of the rate-limit counters. Every wait is bounded: a command that gets no
 * reply fails after the command timeout (a frozen Redis), and nothing queues while disconnected
 * (a refused Redis fails at once), so the counters fall back to in-process at once (counters.ts).
 * The client keeps reconnecting in the background.
 */
export function openRedis(url: string, { commandTimeoutMs = 100 }: RedisOptions = {}): Redis {
  return new Redis(url, {
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(1000, commandTimeoutMs),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
}
