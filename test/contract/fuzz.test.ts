/**
 * Property-based requests against the in-process server: CONTRACT_RUNS (default 1,000) generated
 * requests per operation, half valid and half invalid, from the parameter schemas
 * (scripts/contract/generators.ts). The seed is fixed (CONTRACT_SEED, default 20260523) and printed
 * with every failure, with fast-check's shrunk counterexample as a curl command.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  describeFuzz,
  FUZZ_RUNS,
  FUZZ_SEED,
  fuzzOperation,
  type GeneratorOptions,
} from '../../scripts/contract/generators.ts';
import { API_NAMES, type ContractReport, loadApiSpec } from '../../scripts/contract/harness.ts';
import { runContract } from '../../scripts/contract/run.ts';
import { type ServerTarget, startServerTarget } from './targets.ts';

// Every value class is generated. Classes the fuzzer once found bugs in, fixed since: non-finite
// integers (server/http/finite-numbers.ts), samples run_id beyond 2^53 - 1 and NUL in text
// identifiers (spec bounds), URN-form uuids (spec pattern).
const generation: GeneratorOptions = { nonFinite: true, allowNul: true, urnUuid: true, unboundedDigits: 25 };

let server: ServerTarget;
let discovered: ContractReport;

beforeAll(async () => {
  server = await startServerTarget();
  discovered = await runContract(server.target, { discover: true });
});
afterAll(() => server?.close());

const operations = API_NAMES.flatMap((api) => loadApiSpec(api).operations);

describe(`fuzz the server (seed ${FUZZ_SEED}, ${FUZZ_RUNS} requests per operation)`, () => {
  test.each(operations.map((op) => [op.operationId, op] as const))('%s', async (_id, op) => {
    const base = discovered.operations.find((o) => o.operationId === op.operationId)?.base;
    if (!base) throw new Error(`no known-good request for ${op.operationId}`);
    const result = await fuzzOperation(server.target, loadApiSpec(op.api), op, base, {
      ...generation,
      runs: FUZZ_RUNS,
      seed: FUZZ_SEED,
    });
    expect(result.sent).toBeGreaterThanOrEqual(FUZZ_RUNS);
    expect(result.failures, describeFuzz(result)).toEqual([]);
  });
});
