import type { HttpHandler } from 'msw';
import { asWant, type HandlerOptions, reply, route, type ScenarioChoice } from './handlers.ts';
import { type OperationId, type OperationScenarios, pickScenario, type Scenario, scenariosOf } from './scenarios.ts';

// Prism answers one example per request and keeps no state (its issue #2390), so a run that moves
// (queued -> running -> completed) or a 429 that clears after one retry exists only here, in MSW.

/** One step of a sequence: a scenario, served `times` requests (or `times` periods) in a row. */
export type SequenceStep<Op extends OperationId = OperationId> =
  | ScenarioChoice<Op>
  | { scenario: ScenarioChoice<Op>; times?: number };

export interface SequenceOptions extends HandlerOptions {
  /**
   * What moves the sequence on: each request (default), or each `everyMs` of elapsed time since
   * the first request (Date.now(), so fake timers drive it).
   */
  advance?: 'request' | { everyMs: number };
  /** Called with each scenario served, e.g. to count requests in a test. */
  onServe?: (scenario: Scenario, index: number) => void;
}

/**
 * One MSW handler for `operationId` that answers `steps` in order and then keeps answering the
 * last one (a finished run stays finished). Scenario keys are typed per operation, so a typo fails
 * tsc, and every scenario is resolved when the handler is built. Auth and parameters are checked
 * first, as by the other handlers. Put it in front of the defaults: `server.use(sequence(...))`.
 */
export function sequence<Op extends OperationId>(
  operationId: Op,
  steps: SequenceStep<Op>[],
  options: SequenceOptions = {},
): HttpHandler {
  const op = scenariosOf(operationId);
  const served = steps.flatMap((step) => {
    const { scenario, times = 1 } = typeof step === 'object' && 'scenario' in step ? step : { scenario: step };
    if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer, not ${times}`);
    return Array.from({ length: times }, () => pickScenario(op, asWant(scenario)));
  });
  return serve(op, served, options);
}

function serve(op: OperationScenarios, served: Scenario[], options: SequenceOptions): HttpHandler {
  if (served.length === 0) throw new Error(`sequence(${op.operationId}) needs at least one step`);
  let requests = 0;
  let startedAt: number | undefined;
  return route(op, options.baseUrl, () => {
    const now = Date.now();
    startedAt ??= now;
    const position =
      options.advance && options.advance !== 'request'
        ? Math.floor((now - startedAt) / options.advance.everyMs)
        : requests;
    requests++;
    const index = Math.min(position, served.length - 1);
    const scenario = served[index] as Scenario;
    options.onServe?.(scenario, index);
    return reply(scenario);
  });
}

/** The operations that read one run, whose lifecycles are below. */
export type RunOperation =
  | 'telemetryGetRunSummary'
  | 'workflowsGetRunOverview'
  | 'matchingGetRun'
  | 'taxonomyGetRun'
  | 'samplesGetRunSummary';

/** Request-by-request lifecycles of each run operation, from the documents' own named examples. */
export const lifecycles: { readonly [Op in RunOperation]: SequenceStep<Op>[] } = {
  telemetryGetRunSummary: [{ scenario: { code: 404, example: 'run_still_running' }, times: 2 }, 'completed_run'],
  workflowsGetRunOverview: [{ scenario: 'running_run', times: 2 }, 'completed_run'],
  matchingGetRun: ['queued_run', { scenario: 'running_run', times: 2 }, 'completed_run'],
  taxonomyGetRun: ['pending_run', { scenario: 'running_run', times: 2 }, 'succeeded_run'],
  samplesGetRunSummary: [{ scenario: 'running_run', times: 2 }, 'completed_run'],
};

/** A run that progresses to its end, one step per request (or per `advance.everyMs`). */
export function runLifecycle(operationId: RunOperation, options: SequenceOptions = {}): HttpHandler {
  return sequence(operationId, lifecycles[operationId] as SequenceStep[], options);
}

/** The first call answers the 1-second 429 (or 503) scenario, every later call the default 200. */
export function retrySoon(operationId: OperationId, status: 429 | 503, options: SequenceOptions = {}): HttpHandler {
  const op = scenariosOf(operationId);
  const example = status === 429 ? 'rate_limited_retry_soon' : 'unavailable_retry_soon';
  const ok = op.scenarios.find((s) => s.status >= 200 && s.status < 300);
  if (!ok) throw new Error(`${op.operationId} has no 2xx example`);
  return serve(op, [pickScenario(op, { code: status, example }), ok], options);
}
