/**
 * The custom Redocly rule (redocly/provenance.js, enabled in redocly.yaml): an element the vendor's
 * page does not state, left unmarked, fails the lint; marked `x-provenance: inferred`, it passes.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/provenance');
const REDOCLY = join(ROOT, 'node_modules/.bin/redocly');

/** `redocly lint`: exit code and everything it printed. */
async function lint(config: string, file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(REDOCLY, ['lint', '--config', config, '--format=stylish', file], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the fixtures: only the provenance rule', () => {
  const config = join(FIXTURES, 'redocly.yaml');
  test('an unmarked property the seed does not list fails the lint, named', async () => {
    const { code, output } = await lint(config, join(FIXTURES, 'unmarked-property.yaml'));
    expect(code, output).not.toBe(0);
    expect(output).toContain('provenance/seed-or-inferred');
    expect(output).toContain('Property `priority` is not in the vendor page');
  });
  test('the same property marked inferred, with a reason, passes', async () => {
    const { code, output } = await lint(config, join(FIXTURES, 'marked-property.yaml'));
    expect(code, output).toBe(0);
  });
});

describe("the project's own lint config on a copy of the matching contract", () => {
  let dir: string;
  const detail = () => join(dir, 'components/schemas/MatchingRunDetail.yaml');
  const config = join(ROOT, 'redocly.yaml');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenance-rule-'));
    await cp(join(ROOT, 'spec/matching'), dir, { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('passes as committed', async () => {
    const { code, output } = await lint(config, join(dir, 'openapi.yaml'));
    expect(code, output).toBe(0);
  });

  test('fails on a new unmarked property, enum value, nullability and operation', async () => {
    const original = await readFile(detail(), 'utf8');
    const changed = original
      .replace('properties:\n', 'properties:\n  priority:\n    type: integer\n')
      .replace(/( {2}triggered_by:\n(?: {4}x-faker: .*\n)?) {4}type: string\n/, "$1    type: [string, 'null']\n");
    await writeFile(detail(), changed);
    const status = join(dir, 'components/schemas/MatchingRunStatus.yaml');
    await writeFile(status, `${await readFile(status, 'utf8')}  - paused\n`);
    const list = join(dir, 'paths/v1_matching_runs.yaml');
    await writeFile(list, (await readFile(list, 'utf8')).replace(/ {2}x-provenance:\n( {4}.*\n)+/, ''));
    const { code, output } = await lint(config, join(dir, 'openapi.yaml'));
    expect(code, output).not.toBe(0);
    expect(output).toContain('Property `priority` is not in the vendor page');
    expect(output).toContain('Enum value(s) paused at `status`');
    expect(output).toContain('Operation matchingListRuns is not in the vendor page');
    expect(output).toContain('Nullability of `triggered_by` is not in the vendor page');
  });
});
