import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../server/config.ts';

describe('operating settings from the environment (README "Operating it")', () => {
  test('defaults bound every wait', () => {
    const c = loadConfig({});
    expect(c.timeouts).toEqual({
      pgConnectMs: 2000,
      pgStatementMs: 5000,
      pgQueryMs: 6000,
      redisCommandMs: 100,
      readyMs: 800,
    });
    expect(c.shutdownGraceMs).toBe(10_000);
    expect(c.maxHeaderBytes).toBe(96 * 1024);
    expect(c.cursorSecret).toBeUndefined();
    expect([c.jwtIssuer, c.jwtAudience]).toEqual([undefined, undefined]);
  });

  test('each variable sets its value; a non-number is refused at start', () => {
    const c = loadConfig({
      PG_CONNECT_TIMEOUT_MS: '100',
      PG_STATEMENT_TIMEOUT_MS: '200',
      PG_QUERY_TIMEOUT_MS: '300',
      REDIS_COMMAND_TIMEOUT_MS: '50',
      READY_TIMEOUT_MS: '400',
      SHUTDOWN_GRACE_MS: '1500',
      MAX_HEADER_BYTES: '32768',
      CURSOR_SECRET: 'shared',
      JWT_ISSUER: 'https://issuer',
      JWT_AUDIENCE: 'aud',
    });
    expect(c.timeouts).toEqual({
      pgConnectMs: 100,
      pgStatementMs: 200,
      pgQueryMs: 300,
      redisCommandMs: 50,
      readyMs: 400,
    });
    expect([c.shutdownGraceMs, c.maxHeaderBytes, c.cursorSecret, c.jwtIssuer, c.jwtAudience]).toEqual([
      1500,
      32768,
      'shared',
      'https://issuer',
      'aud',
    ]);
    expect(() => loadConfig({ PG_QUERY_TIMEOUT_MS: 'soon' })).toThrow(/PG_QUERY_TIMEOUT_MS/);
  });
});
