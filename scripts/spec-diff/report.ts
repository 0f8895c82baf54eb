/** Text and JSON reports of a comparison. */
import type { Change } from './types.ts';

export interface ApiResult {
  api: string;
  changes: Change[];
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * One line for the same change under several statuses of an operation (a shared error schema):
 * `response 400, 401, 404 body error.code`. The JSON report keeps every location.
 */
function grouped(changes: Change[]): Change[] {
  const groups = new Map<string, { change: Change; statuses: string[] }>();
  for (const c of changes) {
    const m = /^response (\S+) (.*)$/.exec(c.where);
    const key = [c.severity, c.rule, c.operation, c.message, c.note ?? '', m ? m[2] : c.where, m ? '' : 'x'].join(
      '\u0000',
    );
    const g = groups.get(key);
    if (g && m?.[1]) g.statuses.push(m[1]);
    else groups.set(key, { change: c, statuses: m?.[1] ? [m[1]] : [] });
  }
  return [...groups.values()].map(({ change, statuses }) =>
    statuses.length > 1
      ? { ...change, where: change.where.replace(/^response \S+/, `response ${statuses.join(', ')}`) }
      : change,
  );
}

export function formatText(results: ApiResult[]): string {
  const lines: string[] = [];
  for (const { api, changes } of results) {
    const breaking = changes.filter((c) => c.severity === 'breaking').length;
    const compatible = changes.length - breaking;
    lines.push(changes.length === 0 ? `${api}: no changes` : `${api}: ${breaking} breaking, ${compatible} compatible`);
    for (const c of grouped(changes)) {
      const where = c.where ? ` · ${c.where}` : '';
      lines.push(
        `  ${c.severity === 'breaking' ? 'BREAKING  ' : 'compatible'}  ${c.operation}${where}: ${c.message}  [${c.rule}]`,
      );
      if (c.note) lines.push(`              note: ${c.note}`);
    }
  }
  const breaking = results.flatMap((r) => r.changes).filter((c) => c.severity === 'breaking').length;
  const apis = results.filter((r) => r.changes.some((c) => c.severity === 'breaking')).length;
  lines.push(
    breaking > 0 ? `\n${count(breaking, 'breaking change')} in ${count(apis, 'API')}.` : '\nNo breaking changes.',
  );
  return lines.join('\n');
}

export function formatJson(results: ApiResult[], baseline: Record<string, string>): string {
  const breaking = results.flatMap((r) => r.changes).filter((c) => c.severity === 'breaking').length;
  return JSON.stringify({ baseline, breaking, results }, null, 2);
}
