/**
 * npm run spec:diff -- [<git-ref>] [--api <name>]... [--bundle] [--json]
 * npx tsx scripts/spec-diff.ts --old <file> --new <file> [--json]
 *
 * Breaking-change check. Compares each API's bundled document (generated/openapi/<api>.json in the
 * working tree, or freshly bundled from spec/ with --bundle) with the same file at a git ref, lists
 * breaking changes apart from compatible ones, and exits 1 when there is a breaking one (0 when
 * none, 2 on a usage error). Without a ref: the last tag, else the merge-base with main on another
 * branch, else HEAD~1 (see spec-diff/git.ts). The rules and their judgements: spec-diff/*.ts.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { bundleApi } from './bundle-spec.ts';
import { diffDocuments, hasBreaking } from './spec-diff/diff.ts';
import { defaultRef, readAtRef, verifyRef } from './spec-diff/git.ts';
import { type ApiResult, formatJson, formatText } from './spec-diff/report.ts';
import type { Change, Json } from './spec-diff/types.ts';

const USAGE = `usage: npm run spec:diff -- [<git-ref>] [--api <name>]... [--bundle] [--json]
       npx tsx scripts/spec-diff.ts --old <file> --new <file> [--json]`;

class UsageError extends Error {}

const parseJson = (text: string, what: string): Json => {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new UsageError(`${what} is not JSON: ${(e as Error).message}`);
  }
};

/** API names of a redocly.yaml text (its `apis:` keys). */
const apisOf = (text: string | undefined): string[] =>
  text ? Object.keys((parse(text) as { apis?: Record<string, unknown> } | null)?.apis ?? {}) : [];

const removedApi = (api: string): Change => ({
  severity: 'breaking',
  rule: 'api.removed',
  operation: 'document',
  where: '',
  message: `the ${api} API's document is gone`,
});
const addedApi = (api: string): Change => ({
  severity: 'compatible',
  rule: 'api.added',
  operation: 'document',
  where: '',
  message: `new API ${api}`,
});

async function gitMode(
  root: string,
  refArg: string | undefined,
  only: string[],
  bundle: boolean,
): Promise<{ results: ApiResult[]; baseline: Record<string, string> }> {
  const { ref, why } = refArg ? { ref: refArg, why: 'given' } : await defaultRef(root);
  const sha = await verifyRef(root, ref).catch((e: Error) => {
    throw new UsageError(e.message);
  });
  const current = apisOf(
    existsSync(join(root, 'redocly.yaml')) ? await readFile(join(root, 'redocly.yaml'), 'utf8') : undefined,
  );
  const previous = apisOf(await readAtRef(root, ref, 'redocly.yaml'));
  const apis = [...new Set([...current, ...previous])].filter((a) => only.length === 0 || only.includes(a));
  for (const a of only)
    if (!apis.includes(a)) throw new UsageError(`unknown API ${a} (known: ${[...current, ...previous].join(', ')})`);

  const results: ApiResult[] = [];
  for (const api of apis) {
    const rel = `generated/openapi/${api}.json`;
    const oldText = await readAtRef(root, ref, rel);
    let newText: string | undefined;
    if (bundle && current.includes(api)) {
      newText = JSON.stringify(await bundleApi(join(root, 'redocly.yaml'), api));
    } else if (existsSync(join(root, rel))) newText = await readFile(join(root, rel), 'utf8');
    let changes: Change[];
    if (oldText === undefined && newText === undefined) continue;
    if (oldText === undefined) changes = [addedApi(api)];
    else if (newText === undefined) changes = [removedApi(api)];
    else changes = diffDocuments(parseJson(oldText, `${ref}:${rel}`), parseJson(newText, rel));
    results.push({ api, changes });
  }
  const baseline = {
    ref,
    commit: sha,
    why,
    new: bundle ? 'spec/ bundled now (--bundle)' : 'generated/openapi (working tree)',
  };
  return { results, baseline };
}

export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    let results: ApiResult[];
    let baseline: Record<string, string>;
    if (values.old || values.new) {
      if (!values.old || !values.new || positionals.length > 0)
        throw new UsageError('--old and --new go together, without a git ref');
      const read = async (f: string) =>
        parseJson(
          await readFile(f, 'utf8').catch(() => {
            throw new UsageError(`cannot read ${f}`);
          }),
          f,
        );
      results = [
        { api: basename(values.new, '.json'), changes: diffDocuments(await read(values.old), await read(values.new)) },
      ];
      baseline = { old: values.old, new: values.new };
    } else {
      if (positionals.length > 1) throw new UsageError('at most one git ref');
      const root = resolve(values.root ?? join(import.meta.dirname, '..'));
      ({ results, baseline } = await gitMode(root, positionals[0], values.api ?? [], values.bundle ?? false));
    }
    if (values.json) console.log(formatJson(results, baseline));
    else {
      const header = baseline.ref
        ? `spec:diff: ${baseline.new} vs ${baseline.ref} (${baseline.commit?.slice(0, 12)}, ${baseline.why})`
        : `spec:diff: ${baseline.old} → ${baseline.new}`;
      console.log(`${header}\n\n${formatText(results)}`);
    }
    return results.some((r) => hasBreaking(r.changes)) ? 1 : 0;
  } catch (e) {
    console.error(`spec:diff: ${(e as Error).message}`);
    if (e instanceof UsageError) console.error(USAGE);
    return 2;
  }
}

function parseCli(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      old: { type: 'string' },
      new: { type: 'string' },
      api: { type: 'string', multiple: true },
      bundle: { type: 'boolean' },
      json: { type: 'boolean' },
      /** The repository to read (default: this one); tests point it at a scratch repository. */
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
