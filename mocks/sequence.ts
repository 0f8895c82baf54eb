import { type HttpHandler, HttpResponse, http } from 'msw';
import type { HandlerOptions, ScenarioChoice } from './handlers.ts';
import { type OperationId, type OperationScenarios, pickScenario, type Scenario, scenariosOf } from './scenarios.ts';

// Prism answers one example per request and keeps no state (its issue #2390), so a run that moves
// (queued -> running -> completed) or a 429 that clears after one retry exists only here, in MSW.

/** One step of a sequence: a scenario, served `times` requests (or `times` periods) in a row. */
export type SequenceStep = ScenarioChoice | { scenario: ScenarioChoice; times?: number };

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
 * last one (a finished run stays finished). Every scenario is resolved when the handler is built,
 * so a typo fails at setup. Put it in front of the defaults: `server.use(sequence(...))`.
 */
export function sequence(operationId: OperationId, steps: SequenceStep[], options: SequenceOptions = {}): HttpHandler {
  const op = scenariosOf(operationId);
  const served = steps.flatMap((step) => {
    const { scenario, times = 1 } = typeof step === 'object' && 'scenario' in step ? step : { scenario: step };
    if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer, not ${times}`);
    return Array.from({ length: times }, () => pickScenario(op, want(scenario)));
  });
  if (served.length === 0) throw new Error(`sequence(${operationId}) needs at least one step`);
  const origin = options.baseUrl?.replace(/\/$/, '') ?? '*';
  let requests = 0;
  let startedAt: number | undefined;
  return http[op.method as 'get'](origin + op.path.replace(/\{([^}]+)\}/g, ':$1'), ({ request }) => {
    if (op.secured && !/^bearer \S/i.test(request.headers.get('authorization') ?? '')) {
      const unauthorized = op.scenarios.find((s) => s.status === 401);
      if (unauthorized) return reply(unauthorized);
    }
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

/** Request-by-request lifecycles of each run operation, from the documents' own named examples. */
export const lifecycles = {
  telemetryGetRunSummary: [{ scenario: { code: 404, example: 'run_still_running' }, times: 2 }, 'completed_run'],
  workflowsGetRunOverview: [{ scenario: 'running_run', times: 2 }, 'completed_run'],
  matchingGetRun: ['queued_run', { scenario: 'running_run', times: 2 }, 'completed_run'],
  taxonomyGetRun: ['pending_run', { scenario: 'running_run', times: 2 }, 'succeeded_run'],
  samplesGetRunSummary: [{ scenario: 'running_run', times: 2 }, 'completed_run'],
} satisfies Partial<Record<OperationId, SequenceStep[]>>;

/** A run that progresses to its end, one step per request (or per `advance.everyMs`). */
export function runLifecycle(operationId: keyof typeof lifecycles, options: SequenceOptions = {}): HttpHandler {
  return sequence(operationId, lifecycles[operationId], options);
}

/** The first call answers the 1-second 429 (or 503) scenario, every later call the default 200. */
export function retrySoon(operationId: OperationId, status: 429 | 503, options: SequenceOptions = {}): HttpHandler {
  const example = status === 429 ? 'rate_limited_retry_soon' : 'unavailable_retry_soon';
  return sequence(operationId, [{ code: status, example }, firstSuccess(scenariosOf(operationId))], options);
}

function firstSuccess(op: OperationScenarios): ScenarioChoice {
  const ok = op.scenarios.find((s) => s.status >= 200 && s.status < 300);
  if (!ok) throw new Error(`${op.operationId} has no 2xx example`);
  return { code: ok.status, example: ok.key };
}

function want(choice: ScenarioChoice): { code?: number; example?: string } {
  if (typeof choice === 'string') return { example: choice };
  if (typeof choice === 'number') return { code: choice };
  return choice;
}

function reply(scenario: Scenario): Response {
  return HttpResponse.json(scenario.value as never, { status: scenario.status, headers: scenario.headers });
}
