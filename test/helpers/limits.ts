import { testRedis } from './server.ts';

/**
 * Rate-limit counters for the servers of one test file: in Redis with a fresh key prefix per
 * server when REDIS_URL is set, else in memory. close() deletes the file's keys.
 */
export function limitCounters() {
  const env = testRedis();
  let serial = 0;
  return {
    options: () => (env ? { redis: env.redis, redisPrefix: `${env.prefix}${serial++}:` } : {}),
    async close() {
      if (!env) return;
      const keys = await env.redis.keys(`${env.prefix}*`);
      if (keys.length) await env.redis.del(...keys);
      env.redis.disconnect();
    },
  };
}
