import { type ApiName, catalog, DEFAULT_RESPONSE_STATUS, documents, type OperationScenarios } from './scenarios.ts';

/** An operation's example keys per documented response, in document order. */
function keysByResponse(op: OperationScenarios): Array<[label: string, keys: string[]]> {
  const groups = new Map<string, string[]>();
  for (const s of op.scenarios) groups.set(s.response, [...(groups.get(s.response) ?? []), s.key]);
  return [...groups].map(([response, keys]) => [
    response === 'default' ? `default (code=${DEFAULT_RESPONSE_STATUS})` : response,
    keys,
  ]);
}

/** The scenarios a frontend can ask for, per API and operation, as `npm run mock` prints them. */
export function describeScenarios(): string {
  const lines: string[] = [];
  let api: ApiName | undefined;
  for (const op of catalog) {
    if (op.api !== api) {
      api = op.api;
      const title = (documents[api].info as { title?: string } | undefined)?.title ?? api;
      lines.push(`${title} (${api})`);
    }
    lines.push(`  ${op.method.toUpperCase()} ${op.path}  ${op.operationId}`);
    for (const [label, keys] of keysByResponse(op)) lines.push(`    ${label}  ${keys.join(', ')}`);
  }
  lines.push(
    '',
    'Pick one with a header: Prefer: code=404, example=run_not_found (a 2xx example needs no code).',
    'Without Prefer each operation answers the first example above; Prism needs any bearer token.',
  );
  return lines.join('\n');
}

/** The same catalog as a Markdown table for the README (`npm run mock -- --list`). */
export function scenarioTable(): string {
  const rows = ['| API | operation | status | example keys |', '| --- | --- | --- | --- |'];
  for (const op of catalog) {
    for (const [label, keys] of keysByResponse(op)) {
      rows.push(`| ${op.api} | \`${op.operationId}\` | ${label} | ${keys.map((k) => `\`${k}\``).join(', ')} |`);
    }
  }
  return rows.join('\n');
}
