import { type HttpHandler, HttpResponse, http } from 'msw';
import { parsePrefer } from '../client/prefer.ts';
import type { operations as MatchingOperations } from '../generated/matching.ts';
import type { operations as SamplesOperations } from '../generated/samples.ts';
import type { ScenarioKeys, ScenarioStatuses } from '../generated/scenario-keys.ts';
import type { operations as TaxonomyOperations } from '../generated/taxonomy.ts';
import type { operations as TelemetryOperations } from '../generated/telemetry.ts';
import type { operations as WorkflowsOperations } from '../generated/workflows.ts';
import { invalidInput } from './errors.ts';
import {
  catalog,
  DEFAULT_RESPONSE_STATUS,
  type OperationId,
  type OperationScenarios,
  pickScenario,
  type Scenario,
  scenariosOf,
} from './scenarios.ts';
import { requestIssue } from './validate.ts';

export type { ScenarioKeys, ScenarioStatuses };

/** An operation's named example (any status), a status (its first example), or both. */
export type ScenarioChoice<Op extends OperationId = OperationId> =
  | ScenarioKeys[Op]
  | ScenarioStatuses[Op]
  | { code?: ScenarioStatuses[Op]; example?: ScenarioKeys[Op] };

/** Per operation, the scenario the handlers answer: a key that does not exist fails tsc. */
export type ScenarioChoices = { [Op in OperationId]?: ScenarioChoice<Op> };

export interface HandlerOptions {
  /** Origin the handlers answer for; default any origin. */
  baseUrl?: string;
}

/**
 * MSW handlers for every operation of the five APIs, answering the bundled documents' named
 * examples, the same ones Prism serves. A request is first held to its operation as the server
 * holds it: without a bearer token it gets the operation's first 401; a path, query or header
 * parameter the document refuses gets the API's own 400 (422 for workflows) naming it. Then the
 * request's own Prefer header wins (so a client's `prefer` option works here as against Prism),
 * then `choices`, then the first example of the lowest 2xx.
 */
export function handlersFor(choices: ScenarioChoices = {}, options: HandlerOptions = {}): HttpHandler[] {
  return catalog.map((op) => {
    const chosen = pickScenario(op, asWant(choices[op.operationId]));
    return route(op, options.baseUrl, (request) => {
      const wanted = parsePrefer(request.headers.get('prefer'));
      if (wanted.code === undefined && wanted.example === undefined) return reply(chosen);
      const scenario = tryPick(op, wanted);
      return scenario ? reply(scenario) : notFound(op, wanted);
    });
  });
}

/** Every operation at its default scenario. */
export const handlers: HttpHandler[] = handlersFor();

type AllOperations = TelemetryOperations &
  WorkflowsOperations &
  MatchingOperations &
  TaxonomyOperations &
  SamplesOperations;
type ResponsesOf<Op extends OperationId> = AllOperations[Op]['responses'];

/** The statuses an operation declares (`default` included). */
export type DeclaredStatus<Op extends OperationId> = keyof ResponsesOf<Op> & (number | 'default');

/** The JSON body an operation declares for a status. */
export type ResponseBody<Op extends OperationId, S extends DeclaredStatus<Op>> = ResponsesOf<Op>[S] extends {
  content: { 'application/json': infer Body };
}
  ? Body
  : never;

export interface OverrideOptions extends HandlerOptions {
  /** Extra response headers (the status's declared headers are sent from their examples anyway). */
  headers?: Record<string, string>;
}

/**
 * A per-test answer with a body of the declared type: `server.use(override('samplesGetRunSummary',
 * 200, {...}))`. A body of the wrong shape fails tsc. Auth and parameters are still checked first.
 */
export function override<Op extends OperationId, S extends DeclaredStatus<Op>>(
  operationId: Op,
  status: S,
  body: ResponseBody<Op, S>,
  options: OverrideOptions = {},
): HttpHandler {
  const op = scenariosOf(operationId);
  const code = status === 'default' ? DEFAULT_RESPONSE_STATUS : Number(status);
  const headers = { ...op.scenarios.find((s) => s.status === code)?.headers, ...options.headers };
  return route(op, options.baseUrl, () => HttpResponse.json(body as never, { status: code, headers }));
}

/** The operation's route, with the auth and parameter checks every answer goes through (sequences use it too). */
export function route(
  op: OperationScenarios,
  baseUrl: string | undefined,
  answer: (request: Request) => Response,
): HttpHandler {
  const origin = baseUrl?.replace(/\/$/, '') ?? '*';
  const path = origin + op.path.replace(/\{([^}]+)\}/g, ':$1');
  return http[op.method as 'get'](path, ({ request, params }) => {
    // Credentials before input, as the server: a bad token with bad parameters is a 401.
    if (op.secured && !/^bearer \S/i.test(request.headers.get('authorization') ?? '')) {
      const unauthorized = op.scenarios.find((s) => s.status === 401);
      if (unauthorized) return reply(unauthorized);
    }
    const issue = requestIssue(op, request, params);
    if (issue && op.validationStatus !== undefined) {
      const { status, body } = invalidInput(op.api, issue, op.validationStatus);
      const headers = op.scenarios.find((s) => s.status === status)?.headers ?? {};
      return HttpResponse.json(body as never, { status, headers });
    }
    return answer(request);
  });
}

export function asWant(choice: ScenarioChoice | undefined): { code?: number; example?: string } {
  if (choice === undefined) return {};
  if (typeof choice === 'string') return { example: choice };
  if (typeof choice === 'number') return { code: choice };
  return choice;
}

export function reply(scenario: Scenario): Response {
  return HttpResponse.json(scenario.value as never, { status: scenario.status, headers: scenario.headers });
}

function tryPick(op: OperationScenarios, want: { code?: number; example?: string }): Scenario | undefined {
  try {
    return pickScenario(op, want);
  } catch {
    return undefined;
  }
}

// What Prism answers for a scenario the document does not have, so a typo fails the same way.
function notFound(op: OperationScenarios, want: { code?: number; example?: string }): Response {
  return HttpResponse.json(
    {
      type: 'https://stoplight.io/prism/errors#NOT_FOUND',
      title: 'The server cannot find the requested content',
      status: 404,
      detail: `${op.operationId} has no scenario ${JSON.stringify(want)}`,
    },
    { status: 404, headers: { 'Content-Type': 'application/problem+json' } },
  );
}
