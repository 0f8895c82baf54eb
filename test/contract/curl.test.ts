import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { type ApiRequest, curl } from '../../scripts/contract/harness.ts';

const request = (headers: Record<string, string>): ApiRequest =>
  ({ method: 'GET', baseUrl: 'http://127.0.0.1:3000/', path: '/v1/telemetry/runs', headers }) as ApiRequest;

/** The header lines the printed command sends, as bash expands them (curl itself is never run). */
function expandedHeaders(command: string): string[] {
  const script = `h() { for a in "$@"; do printf '%s\\n' "$a"; done; }; ${command.replace(/^curl /, 'h ')}`;
  return execFileSync('bash', ['--norc', '--noprofile', '-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, TELEMETRY_API_KEY: 'k-1' },
  })
    .split('\n')
    .filter((_, i, all) => i > 0 && all[i - 1] === '-H');
}

interface Case {
  given: string;
  headers: Record<string, string>;
  secrets: Record<string, string>;
  wantShown: string;
}

describe('a failing request printed as curl', () => {
  test.each<Case>([
    {
      given: 'a plain header',
      headers: { accept: 'application/json' },
      secrets: {},
      wantShown: "'accept: application/json'",
    },
    {
      given: 'a key passed on the command line, shown as its variable',
      headers: { authorization: 'Bearer k-1' },
      secrets: { 'k-1': '$TELEMETRY_API_KEY' },
      wantShown: '"authorization: Bearer $TELEMETRY_API_KEY"',
    },
    {
      given: "a probe's 16,000-character padding, shown as the command that makes it",
      headers: { 'x-padding-0': 'a'.repeat(16_000) },
      secrets: {},
      wantShown: `"x-padding-0: $(printf '%16000s' '' | tr ' ' 'a')"`,
    },
  ])('$given', ({ headers, secrets, wantShown }) => {
    const command = curl(request(headers), secrets);
    expect(command).toContain(`-H ${wantShown}`);
    expect(command.length).toBeLessThan(200);
    // Run through bash, the command sends exactly the headers of the request.
    expect(expandedHeaders(command)).toEqual(Object.entries(headers).map(([k, v]) => `${k}: ${v}`));
  });
});
