import { type HttpHandler, HttpResponse, http } from 'msw';
import { parsePrefer } from '../client/prefer.ts';
import { catalog, type OperationId, type OperationScenarios, pickScenario, type Scenario } from './scenarios.ts';

/** An example key (any status), a status (its first example), or both. */
export type ScenarioChoice = string | number | { code?: number; example?: string };

export interface HandlerOptions {
  /** Origin the handlers answer for; default any origin. */
  baseUrl?: string;
}

/**
 * MSW handlers for every operation of the five APIs, answering the bundled documents' named
 * examples, the same ones Prism serves. Per operation: the request's own Prefer header wins (so a
 * client's `prefer` option works here as against Prism), then `choices`, then the first example of
 * the lowest 2xx. Like Prism, a call without a bearer token gets the operation's first 401.
 */
export function handlersFor(
  choices: Partial<Record<OperationId, ScenarioChoice>> = {},
  options: HandlerOptions = {},
): HttpHandler[] {
  const origin = options.baseUrl?.replace(/\/$/, '') ?? '*';
  return catalog.map((op) => {
    const chosen = pickScenario(op, asWant(choices[op.operationId]));
    const path = origin + op.path.replace(/\{([^}]+)\}/g, ':$1');
    return http[op.method as 'get'](path, ({ request }) => {
      if (op.secured && !/^bearer \S/i.test(request.headers.get('authorization') ?? '')) {
        const unauthorized = op.scenarios.find((s) => s.status === 401);
        if (unauthorized) return reply(unauthorized);
      }
      const wanted = parsePrefer(request.headers.get('prefer'));
      if (wanted.code === undefined && wanted.example === undefined) return reply(chosen);
      const scenario = tryPick(op, wanted);
      return scenario ? reply(scenario) : notFound(op, wanted);
    });
  });
}

/** Every operation at its default scenario. */
export const handlers: HttpHandler[] = handlersFor();

function asWant(choice: ScenarioChoice | undefined): { code?: number; example?: string } {
  if (choice === undefined) return {};
  if (typeof choice === 'string') return { example: choice };
  if (typeof choice === 'number') return { code: choice };
  return choice;
}

function reply(scenario: Scenario): Response {
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
