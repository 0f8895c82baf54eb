/**
 * The Prism mock (mocks/prism.ts) held to the same documents by the same harness. Prism has no
 * data, so data-dependent statuses are asked for with `Prefer: code=<status>`, and every named
 * example with `Prefer: code=<status>, example=<key>`. What Prism cannot do is reported as not
 * probed, with the reason (MOCK_LIMITS in targets.ts): it does not verify credentials, answers an
 * undeclared method itself without Allow, and takes an empty optional query value for an absent one.
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
import { type MockTarget, startMockTarget } from './targets.ts';

let mock: MockTarget;
let report: ContractReport;

beforeAll(async () => {
  mock = await startMockTarget();
  report = await runContract(mock.target);
  if (process.env.CONTRACT_REPORT) console.log(formatReport(report));
});
afterAll(() => mock?.close());

const operations = API_NAMES.flatMap((api) => loadApiSpec(api).operations);

describe.each(operations.map((op) => [`${op.api} ${op.operationId}`, op] as const))('mock: %s', (_name, op) => {
  const result = () => {
    const r = report.operations.find((o) => o.operationId === op.operationId);
    if (!r) throw new Error(`${op.operationId} was not probed`);
    return r;
  };

  test('every check passes on every probe', () => {
    const r = result();
    expect(r.failuresByCheck, describeFailures([r])).toEqual({});
  });

  test('every declared status is earned, and every named example is served under its status', () => {
    const r = result();
    expect(unearnedStatuses(r, op)).toEqual([]);
    for (const s of op.statuses) expect(r.earned, `status ${s}`).toHaveProperty(String(s));
    const examples = Object.values(op.responses).flatMap((resp) => resp.examples);
    expect(r.checked.status_earned ?? 0).toBeGreaterThanOrEqual(examples.length);
  });

  test('only what Prism cannot do is left unprobed', () => {
    const allowed = /^(default|401 \(bad credentials\)|405 Allow header|cursor \(not issued\)|\w+= \(empty\))$/;
    expect(Object.keys(result().notProbed).filter((k) => !allowed.test(k))).toEqual([]);
  });
});
