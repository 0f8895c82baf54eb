/**
 * The reference server held to the five documents: every operation, every declared status, every
 * check (scripts/contract/harness.ts says how each status is earned). 429, 500 and 503 come from
 * sibling apps on the same store: a rate limit of 2, handlers that throw, a store that is gone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  API_NAMES,
  type ContractReport,
  describeFailures,
  formatReport,
  loadApiSpec,
  unearnedStatuses,
} from '../../scripts/contract/harness.ts';
import { runContract } from '../../scripts/contract/run.ts';
import { type ServerTarget, startServerTarget } from './targets.ts';

let target: ServerTarget;
let report: ContractReport;

beforeAll(async () => {
  target = await startServerTarget({ faults: true });
  report = await runContract(target.target);
  if (process.env.CONTRACT_REPORT) console.log(formatReport(report));
});
afterAll(() => target?.close());

const operations = API_NAMES.flatMap((api) => loadApiSpec(api).operations);

describe.each(operations.map((op) => [`${op.api} ${op.operationId}`, op] as const))('server: %s', (_name, op) => {
  const result = () => {
    const r = report.operations.find((o) => o.operationId === op.operationId);
    if (!r) throw new Error(`${op.operationId} was not probed`);
    return r;
  };

  test('every check passes on every probe', () => {
    const r = result();
    expect(r.sent).toBeGreaterThan(10);
    expect(r.failuresByCheck, describeFailures([r])).toEqual({});
  });

  test('every declared status is earned', () => {
    const r = result();
    // On the server nothing is excused: `default` is the only status left unprobed.
    expect(unearnedStatuses(r, op)).toEqual([]);
    expect(Object.keys(r.notProbed).filter((k) => !['default', '404 (another tenant)'].includes(k))).toEqual([]);
    for (const s of op.statuses) expect(r.earned, `status ${s}`).toHaveProperty(String(s));
  });

  test('every Schemathesis check was applied', () => {
    const r = result();
    const expected = [
      'not_a_server_error',
      'status_code_conformance',
      'content_type_conformance',
      'response_headers_conformance',
      'response_schema_conformance',
      'negative_data_rejection',
      'positive_data_acceptance',
      'ignored_auth',
      'missing_required_header',
      'unsupported_method',
      'status_earned',
    ];
    expect(Object.keys(r.checked).sort()).toEqual(expected.sort());
  });
});
