/**
 * The two packages move together under one semver version, and CHANGELOG.md (shipped in both)
 * has that version's entry, breaking changes listed before the rest.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PACKAGES } from '../../scripts/build.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const manifests = PACKAGES.map(
  (name) => JSON.parse(read(`packages/${name}/package.json`)) as { name: string; version: string; files: string[] },
);

describe('versioning', () => {
  test('both packages carry one semver version', () => {
    const versions = new Set(manifests.map((m) => m.version));
    expect(versions.size).toBe(1);
    expect([...versions][0]).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  });

  test("CHANGELOG.md has the version's entry, breaking changes first, and ships in both packages", () => {
    const version = manifests[0]?.version ?? '';
    const changelog = read('CHANGELOG.md');
    const entry = changelog.split(/^## /m).find((section) => section.startsWith(`${version}\n`));
    expect(entry, `CHANGELOG.md has no "## ${version}"`).toBeDefined();
    const headings = [...(entry ?? '').matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    if (headings.includes('Breaking')) expect(headings[0]).toBe('Breaking');
    for (const m of manifests) expect(m.files).toContain('CHANGELOG.md');
  });
});
