/**
 * Reads the documents to compare from git: `git show <ref>:./generated/openapi/<api>.json` (the
 * bundles are committed, so the old side is exactly what was published at that ref).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function git(root: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

async function ok(root: string, args: string[]): Promise<boolean> {
  try {
    await git(root, args);
    return true;
  } catch {
    return false;
  }
}

/** The commit a ref names, or an error that says the ref is unknown. */
export async function verifyRef(root: string, ref: string): Promise<string> {
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    throw new Error(`unknown git ref: ${ref}`);
  }
}

/**
 * The default baseline, in order:
 *  1. the last tag reachable from HEAD (the last release: what clients were promised);
 *  2. on a branch other than main, the merge-base with `main` (or `origin/main`): only the
 *     branch's own changes count, not what main gained since the branch started;
 *  3. on main without tags, HEAD~1 (the change the last commit made, plus uncommitted ones);
 *  4. a repository of one commit: HEAD (uncommitted changes only).
 */
export async function defaultRef(root: string): Promise<{ ref: string; why: string }> {
  try {
    const tag = (await git(root, ['describe', '--tags', '--abbrev=0', 'HEAD'])).trim();
    if (tag) return { ref: tag, why: 'the last tag' };
  } catch {
    // no tag: fall through
  }
  const branch = (await git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  if (branch !== 'main') {
    for (const base of ['main', 'origin/main']) {
      if (await ok(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`])) {
        const mergeBase = (await git(root, ['merge-base', 'HEAD', base])).trim();
        return { ref: mergeBase, why: `merge-base of HEAD and ${base}` };
      }
    }
  }
  if (await ok(root, ['rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}'])) {
    return { ref: 'HEAD~1', why: 'no tag, on main: the previous commit' };
  }
  return { ref: 'HEAD', why: 'no tag and no parent commit' };
}

/** A file's text at a ref (path relative to `root`), or undefined when the ref has no such file. */
export async function readAtRef(root: string, ref: string, path: string): Promise<string | undefined> {
  if (!(await ok(root, ['cat-file', '-e', `${ref}:./${path}`]))) return undefined;
  return git(root, ['show', `${ref}:./${path}`]);
}
