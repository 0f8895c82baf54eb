/**
 * The contract report as JUnit XML, the format CI systems (GitHub Actions reporters, GitLab,
 * Jenkins, Azure) read: one <testsuite> per operation, one <testcase> per check applied, with a
 * <failure> holding every failing request of that check as a curl command. A declared status the
 * target could not be made to answer is a <skipped> case with the reason.
 */
import type { FuzzResult } from './generators.ts';
import { type ContractReport, curl, type OperationReport } from './harness.ts';

const xml = (text: string): string =>
  text
    // XML 1.0 has no way to carry most control characters, even escaped.
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

interface Case {
  name: string;
  failure?: { message: string; detail: string };
  skipped?: string;
}

function casesOf(o: OperationReport, secrets: Record<string, string>): Case[] {
  const cases: Case[] = Object.keys(o.checked).map((check) => {
    const failing = o.failures.filter((f) => f.failures.some((x) => x.check === check));
    if (!failing.length) return { name: check };
    const detail = failing
      .map((f) => {
        const why = f.failures.filter((x) => x.check === check).map((x) => x.message);
        return `${f.label} -> ${f.status}\n  ${why.join('\n  ')}\n  ${curl(f.request, secrets)}`;
      })
      .join('\n\n');
    return { name: check, failure: { message: `${failing.length} failing request(s)`, detail } };
  });
  for (const [what, why] of Object.entries(o.notProbed)) cases.push({ name: `not probed: ${what}`, skipped: why });
  return cases;
}

function fuzzCase(r: FuzzResult, secrets: Record<string, string>): Case {
  const name = `fuzz (${r.runs} generated requests, seed ${r.seed})`;
  if (!r.failures.length) return { name };
  const detail = [
    ...r.failures.map(
      (f) =>
        `${f.label} -> ${f.status}\n  ${f.failures.map((x) => `${x.check}: ${x.message}`).join('\n  ')}\n  ${curl(f.request, secrets)}`,
    ),
    r.shrunk ?? '',
  ].join('\n\n');
  return { name, failure: { message: `${r.failures.length} failing request(s)`, detail } };
}

export function junitXml(
  report: ContractReport,
  fuzz: FuzzResult[] = [],
  secrets: Record<string, string> = {},
): string {
  const suites = report.operations.map((o) => {
    const cases = casesOf(o, secrets);
    const fuzzed = fuzz.find((r) => r.operationId === o.operationId);
    if (fuzzed) cases.push(fuzzCase(fuzzed, secrets));
    const failures = cases.filter((c) => c.failure).length;
    const skipped = cases.filter((c) => c.skipped).length;
    const suiteName = `${o.api} ${o.method} ${o.path} (${o.operationId})`;
    const body = cases.map((c) => {
      const open = `    <testcase classname="${xml(`${o.api}.${o.operationId}`)}" name="${xml(c.name)}"`;
      if (c.failure)
        return `${open}>\n      <failure message="${xml(c.failure.message)}" type="contract">${xml(c.failure.detail)}</failure>\n    </testcase>`;
      if (c.skipped) return `${open}>\n      <skipped message="${xml(c.skipped)}"/>\n    </testcase>`;
      return `${open}/>`;
    });
    return [
      `  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
      `    <properties><property name="requests" value="${o.sent}"/></properties>`,
      ...body,
      '  </testsuite>',
    ].join('\n');
  });
  const count = (tag: string) =>
    suites.reduce((n, s) => n + (s.match(new RegExp(`<${tag}[ />]`, 'g'))?.length ?? 0), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`run-api-contract ${report.target}`)}" tests="${count('testcase')}" failures="${count('failure')}" errors="0" skipped="${count('skipped')}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
