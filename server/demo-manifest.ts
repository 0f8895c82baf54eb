import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiModule, DemoTenant } from './core/types.ts';
import type { Db } from './store/db.ts';

export interface DemoManifest {
  generatedAt: string;
  baseUrl: string;
  apis: Record<
    string,
    {
      title: string;
      basePath: string;
      tenants: DemoTenant[];
      /** Live mode only: a run just created (queued/pending) that the next ticks start and finish. */
      liveRun?: { tenant: string } & DemoTenant['runs'][number];
    }
  >;
}

/** Writes every API's demo data (idempotent) and returns what a person needs to call it. */
export async function seedDemo(db: Db, apis: ApiModule[], baseUrl: string): Promise<DemoManifest> {
  const manifest: DemoManifest = { generatedAt: new Date().toISOString(), baseUrl, apis: {} };
  for (const api of apis) {
    const tenants = await api.seedDemo(db);
    manifest.apis[api.name] = { title: api.title, basePath: api.basePath, tenants };
  }
  return manifest;
}

export async function writeManifest(dataDir: string, manifest: DemoManifest): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'demo-manifest.json');
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/** The lines `npm start` prints: each API's URL and a ready-to-run curl per demo tenant. */
export function describeDemo(manifest: DemoManifest): string {
  const lines: string[] = [];
  for (const [name, api] of Object.entries(manifest.apis)) {
    // The base path alone answers nothing (404): the reference page is where its operations are.
    lines.push(`\n${api.title} (${name}), paths under ${api.basePath}: ${manifest.baseUrl}/docs/${name}.html`);
    for (const t of api.tenants) {
      const run = t.runs.find((r) => ['completed', 'succeeded'].includes(r.status)) ?? t.runs[0];
      const headers = Object.entries(t.headers ?? {})
        .map(([k, v]) => ` -H '${k}: ${v}'`)
        .join('');
      lines.push(`  tenant ${t.tenant}: key ${t.apiKey}`);
      if (run) lines.push(`    curl -H 'Authorization: Bearer ${t.apiKey}'${headers} '${manifest.baseUrl}${run.path}'`);
    }
  }
  return lines.join('\n');
}
