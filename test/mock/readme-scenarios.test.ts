import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { scenarioTable } from '../../mocks/describe.ts';

test("README's scenario table is the one `npm run mock -- --list` prints today", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const match = /<!-- scenarios:start[^>]*-->\n([\s\S]*?)\n<!-- scenarios:end -->/.exec(readme);
  expect(match, 'README has the scenarios markers').not.toBeNull();
  expect(match?.[1]).toBe(scenarioTable().trimEnd());
});
