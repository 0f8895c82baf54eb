import { describe, expect, test } from 'vitest';
import { DEMO_JWT_SECRET, loadConfig } from '../../server/config.ts';

describe('configuration from the environment', () => {
  test('defaults: port 3000, ./data, 120 requests per 60 s, the demo JWT secret on the embedded store', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      dataDir: './data',
      rateLimit: { limit: 120, windowMs: 60_000 },
      jwtSecret: DEMO_JWT_SECRET,
      metrics: false,
    });
  });

  test('RATE_LIMIT takes "N" or "N/Ss"', () => {
    expect(loadConfig({ RATE_LIMIT: '10/5s' }).rateLimit).toEqual({ limit: 10, windowMs: 5000 });
    expect(() => loadConfig({ RATE_LIMIT: 'lots' })).toThrow(/RATE_LIMIT/);
  });

  test('with a real database and no JWT_SECRET, no public secret verifies tokens', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x' }).jwtSecret).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', JWT_SECRET: 's3cret' }).jwtSecret).toBe('s3cret');
  });

  test('a PORT that is not a number is refused at start', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  test('TRUST_PROXY: off by default, a hop count, or addresses and CIDRs (test/server/trust-proxy.test.ts serves them)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
  });
});
