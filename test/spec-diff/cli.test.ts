/**
 * The CLI entry (scripts/spec-diff.ts), run as a process: --old/--new on the fixtures, and the
 * git-ref mode on a scratch repository (--root), including how the default baseline is chosen.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultRef } from '../../scripts/spec-diff/git.ts';

const root = resolve(import.meta.dirname, '../..');
const fixture = (name: string, side: 'old' | 'new') =>
  fileURLToPath(new URL(`../fixtures/spec-diff/${name}/${side}.json`, import.meta.url));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'scripts/spec-diff.ts'), ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('--old / --new', () => {
  test('the compatible fixture passes (exit 0)', async () => {
    const r = await cli(['--old', fixture('compatible', 'old'), '--new', fixture('compatible', 'new')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('new: 0 breaking, 7 compatible');
    expect(r.stdout).toContain('No breaking changes.');
  });

  test('a planted breaking change fails (exit 1) and is named', async () => {
    const r = await cli(['--old', fixture('planted-breaking', 'old'), '--new', fixture('planted-breaking', 'new')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BREAKING\s+GET \/runs\/\{id\} · response 200 body tags: field removed/);
    expect(r.stdout).toContain('3 breaking changes in 1 API.');
  });

  test('--json', async () => {
    const r = await cli(['--json', '--old', fixture('enum-widened', 'old'), '--new', fixture('enum-widened', 'new')]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { breaking: number; results: Array<{ changes: unknown[] }> };
    expect(report.breaking).toBe(3);
    expect(report.results[0]?.changes).toHaveLength(4);
  });

  test('usage errors exit 2', async () => {
    const runs = await Promise.all([
      cli(['--old', fixture('compatible', 'old')]),
      cli(['--old', '/nonexistent.json', '--new', fixture('compatible', 'new')]),
      cli(['--bogus']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
  });
});

describe('git-ref mode on a scratch repository', () => {
  let repo: string;
  const git = (...args: string[]) =>
    promisify(execFile)(
      'git',
      [
        '-c',
        'user.name=spec-diff',
        '-c',
        'user.email=spec-diff@example.invalid',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      { cwd: repo },
    );
  const put = (api: string, fixtureName: string, side: 'old' | 'new') =>
    copyFileSync(fixture(fixtureName, side), join(repo, 'generated/openapi', `${api}.json`));

  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'spec-diff-repo-'));
    mkdirSync(join(repo, 'generated/openapi'), { recursive: true });
    writeFileSync(join(repo, 'redocly.yaml'), 'apis:\n  fx:\n    root: spec/fx/openapi.yaml\n');
    put('fx', 'compatible', 'old');
    await git('init', '-q', '-b', 'main');
    await git('add', '.');
    await git('commit', '-q', '-m', 'first');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('nothing changed: exit 0 (default baseline of a one-commit repository: HEAD)', async () => {
    expect(await defaultRef(repo)).toEqual({ ref: 'HEAD', why: 'no tag and no parent commit' });
    const r = await cli(['--root', repo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fx: no changes');
  });

  test('a breaking change in the working tree: exit 1 against HEAD', async () => {
    put('fx', 'planted-breaking', 'new');
    const r = await cli(['--root', repo, 'HEAD']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('fx: 3 breaking, 7 compatible');
    put('fx', 'compatible', 'old');
  });

  test('on main without tags the baseline is HEAD~1; a tag takes precedence; a branch uses the merge-base', async () => {
    put('fx', 'compatible', 'new');
    await git('commit', '-q', '-am', 'compatible change');
    expect(await defaultRef(repo)).toEqual({ ref: 'HEAD~1', why: 'no tag, on main: the previous commit' });
    const r = await cli(['--root', repo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fx: 0 breaking, 7 compatible');

    await git('tag', 'v1.0.0', 'HEAD~1');
    expect(await defaultRef(repo)).toEqual({ ref: 'v1.0.0', why: 'the last tag' });
    await git('tag', '-d', 'v1.0.0');

    const base = (await git('rev-parse', 'HEAD')).stdout.trim();
    await git('checkout', '-q', '-b', 'feature');
    put('fx', 'planted-breaking', 'new');
    await git('commit', '-q', '-am', 'breaking change on a branch');
    expect(await defaultRef(repo)).toEqual({ ref: base, why: 'merge-base of HEAD and main' });
    expect((await cli(['--root', repo])).code).toBe(1);
    await git('checkout', '-q', 'main');
  });

  test('a new API is compatible; a removed one is breaking; an unknown ref is a usage error', async () => {
    writeFileSync(join(repo, 'redocly.yaml'), 'apis:\n  fy:\n    root: spec/fy/openapi.yaml\n');
    put('fy', 'compatible', 'old');
    rmSync(join(repo, 'generated/openapi/fx.json'));
    const r = await cli(['--root', repo, 'HEAD']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BREAKING\s+document: the fx API's document is gone\s+\[api\.removed\]/);
    expect(r.stdout).toMatch(/compatible\s+document: new API fy\s+\[api\.added\]/);
    expect((await cli(['--root', repo, '--api', 'fy', 'HEAD'])).code).toBe(0);
    const bad = await cli(['--root', repo, 'no-such-ref']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown git ref: no-such-ref');
    await git('checkout', '-q', '--', '.');
  });
});
