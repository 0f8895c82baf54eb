import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from './dataset.ts';
import { firstAnswer, freePort, ROOT, rssMb, stopChild } from './procs.ts';

export interface StartupResult {
  how: string;
  dataDir: 'existing' | 'empty';
  /** Milliseconds from spawn to the first 200 of the seed operation (demo key). */
  firstAnswerMs: number | null;
  healthzMs: number | null;
  rssIdleMb: number | null;
}

/**
 * The production start (`node dist/server/main.js`, docs already built) and `npm start`'s tsx,
 * on a copy of an existing data folder and on an empty one, to the first answer.
 */
export async function coldStarts(
  work: string,
  mainDir: string,
  scenario: Scenario | undefined,
  quick: boolean,
): Promise<StartupResult[]> {
  if (!scenario) return [];
  const docs = join(work, 'docs');
  mkdirSync(docs, { recursive: true });
  writeFileSync(join(docs, 'index.html'), '<!doctype html><title>docs</title>');
  const out: StartupResult[] = [];
  const all: Array<[string, string[], 'existing' | 'empty']> = [
    ['node dist/server/main.js', ['dist/server/main.js'], 'existing'],
    ['node dist/server/main.js', ['dist/server/main.js'], 'empty'],
    ['tsx server/main.ts (npm start)', ['--import', 'tsx', 'server/main.ts'], 'existing'],
  ];
  // The production starts, from an existing folder and from an empty one, three times each: the
  // report takes the median (one start moved between 1.8 s and 3.1 s from run to run, and one
  // empty-folder start took 6.2 s where the others took 2.3-3.4 s).
  const variants = quick ? all.slice(0, 1) : [...all, all[0], all[1], all[0], all[1]].filter((v) => v !== undefined);
  for (let t = 0; t < 1; t++) {
    for (const [how, args, kind] of variants) {
      const dataDir = join(work, `start-${t}-${kind}-${out.length}`);
      if (kind === 'existing') cpSync(mainDir, join(dataDir, 'pglite'), { recursive: true });
      const port = await freePort();
      const t0 = performance.now();
      const proc = spawn(process.execPath, args, {
        cwd: ROOT,
        stdio: 'ignore',
        env: {
          ...process.env,
          PORT: String(port),
          DATA_DIR: dataDir,
          DOCS_DIR: docs,
          LOG_LEVEL: 'warn',
          DATABASE_URL: '',
          REDIS_URL: '',
        },
      });
      const base = `http://127.0.0.1:${port}`;
      const [healthzMs, firstAnswerMs] = await Promise.all([
        firstAnswer(`${base}/healthz`, {}, t0),
        firstAnswer(base + scenario.seedPath, scenario.headers, t0),
      ]);
      await new Promise((r) => setTimeout(r, 500));
      out.push({ how, dataDir: kind, firstAnswerMs, healthzMs, rssIdleMb: rssMb(proc.pid) });
      await stopChild(proc);
    }
  }
  return out;
}
