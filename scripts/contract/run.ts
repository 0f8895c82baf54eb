/**
 * A contract run: for every operation of the target's APIs (those whose ids the data gives first),
 * the known-good request it starts from, a recorder that checks and counts every response, and the
 * probes of ./probes.ts.
 */
import {
  API_NAMES,
  BAD_KEY,
  type BaseRequest,
  type ContractReport,
  evaluate,
  Knowledge,
  loadApiSpec,
  type OperationReport,
  type OperationSpec,
  paramAccepts,
  parseJson,
  type RunOptions,
  schemaValue,
  send,
  type Target,
  type TargetTenant,
} from './harness.ts';
import { type ApiState, fittingRuns, probeOperation, type Recorder } from './probes.ts';

function authHeaders(op: OperationSpec, tenant: TargetTenant | undefined): Record<string, string> {
  const headers: Record<string, string> = { ...(tenant?.headers ?? {}) };
  if (op.secured) headers.Authorization = `Bearer ${tenant?.apiKey ?? BAD_KEY}`;
  return headers;
}

/** The known-good request of an operation for a tenant, and whether every required value is real data. */
function baseRequest(
  target: Target,
  state: ApiState,
  op: OperationSpec,
  tenant: TargetTenant | undefined,
): { base: BaseRequest; complete: boolean } {
  const fromRun = fittingRuns(op, tenant)[0] ?? {};
  const values: Record<string, string | undefined> = {};
  const sources: Record<string, string> = {};
  let complete = true;
  for (const p of op.params) {
    if (!p.required) continue;
    const candidates: Array<[string, string | undefined]> = [
      ['demo manifest', fromRun[p.name]],
      ['harvested', state.knowledge.get(`${op.operationId}.${p.name}`)],
      ['harvested', state.knowledge.get(p.name)],
      ['--param', target.params?.[`${op.api}.${p.name}`]],
    ];
    const found = candidates.find(([, v]) => v !== undefined && paramAccepts(p, v));
    if (found) {
      values[p.name] = found[1];
      sources[p.name] = found[0];
    } else {
      complete = false;
      const example = p.example !== undefined && paramAccepts(p, String(p.example)) ? String(p.example) : undefined;
      values[p.name] = example ?? schemaValue(p.schema);
      sources[p.name] = example !== undefined ? 'example' : 'schema';
    }
  }
  return {
    base: {
      values,
      headers: authHeaders(op, tenant),
      sources,
      cursors: [],
    },
    complete: complete || target.mode === 'prefer',
  };
}

function recorder(target: Target, state: ApiState, op: OperationSpec, options: RunOptions): Recorder {
  const report: OperationReport = {
    api: op.api,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    sent: 0,
    failuresByCheck: {},
    checked: {},
    failures: [],
    earned: {},
    notProbed: {},
  };
  return {
    report,
    async probe(probe) {
      let res = await send(probe.request);
      report.sent++;
      const wait = Number(res.headers['retry-after'] ?? 'NaN');
      const expects429 = probe.expect.kind === 'earn' && probe.expect.status === 429;
      if (res.status === 429 && !expects429 && target.retryOn429 && wait <= target.retryOn429) {
        await new Promise((r) => setTimeout(r, (wait + 1) * 1000));
        res = await send(probe.request);
        report.sent++;
      }
      options.onResponse?.(probe, res);
      const { applied, failures } = evaluate(state.spec, probe, res);
      for (const c of applied) report.checked[c] = (report.checked[c] ?? 0) + 1;
      for (const c of new Set(failures.map((f) => f.check)))
        report.failuresByCheck[c] = (report.failuresByCheck[c] ?? 0) + 1;
      if (failures.length)
        report.failures.push({ label: probe.label, request: probe.request, status: res.status, failures });
      const key = String(res.status);
      if (!res.error && (op.statuses.includes(res.status) || (probe.expect.kind === 'method' && res.status === 405)))
        report.earned[key] ??= probe.label;
      if (res.status >= 200 && res.status < 300 && !res.error) {
        const parsed = parseJson(res.text);
        if (parsed.ok) state.knowledge.harvest(state.spec, op, parsed.value);
      }
      return res;
    },
  };
}

/** Runs every probe of every operation of the target's APIs and reports per operation. */
export async function runContract(target: Target, options: RunOptions = {}): Promise<ContractReport> {
  const apis = (options.apis ?? API_NAMES).filter((api) => target.mode === 'prefer' || target.tenants[api]?.length);
  const states: ApiState[] = apis.map((api) => ({
    spec: loadApiSpec(api),
    tenants: target.tenants[api] ?? [],
    knowledge: new Knowledge(),
  }));
  const reports: OperationReport[] = [];
  const deferred: Array<() => Promise<void>> = [];
  for (const state of states) {
    // Operations whose ids the data already gives go first; their bodies give the others theirs.
    let pending = state.spec.operations.filter(
      (o) => !options.operations || options.operations.includes(o.operationId),
    );
    while (pending.length) {
      const ready = pending.find((o) => baseRequest(target, state, o, state.tenants[0]).complete) ?? pending[0];
      if (!ready) break;
      pending = pending.filter((o) => o !== ready);
      const rec = recorder(target, state, ready, options);
      const { base, complete } = baseRequest(target, state, ready, state.tenants[0]);
      if (!complete) {
        const guessed = Object.entries(base.sources).filter(([, s]) => s === 'example' || s === 'schema');
        rec.report.notProbed['known ids'] =
          `no data for ${guessed.map(([k]) => k).join(', ')}: used the document's example (pass --param ${ready.api}.<name>=<value>)`;
      }
      await probeOperation(target, state, ready, rec, base, {
        allStates: states,
        deferred,
        discover: options.discover,
      });
      reports.push(rec.report);
    }
  }
  for (const run of deferred) await run();
  return { target: target.url, operations: reports };
}
