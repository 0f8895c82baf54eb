import type { Middleware } from 'openapi-fetch';

export interface RetryOptions {
  /** Retries after the first try (default 2, so at most 3 requests). */
  retries?: number;
  /** Backoff base when the answer has no Retry-After; doubles per retry, with full jitter (default 250 ms). */
  baseDelayMs?: number;
  /**
   * Longest wait the client accepts (default 10 s). A Retry-After beyond it is handed back to the
   * caller instead: a UI should say "try again in N s" rather than hang.
   */
  maxDelayMs?: number;
  /** Source of jitter, for tests (default Math.random). */
  random?: () => number;
}

// Only these mean "the same request may succeed later"; every other 4xx would fail again.
const RETRYABLE = new Set([429, 503]);

/** Milliseconds a Retry-After header asks for (delta-seconds or HTTP-date), or undefined. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function retryMiddleware(options: RetryOptions = {}): Middleware {
  const { retries = 2, baseDelayMs = 250, maxDelayMs = 10_000, random = Math.random } = options;
  // A body is consumed by the first send; keep a copy to send again.
  const pending = new Map<string, Request>();
  const delayFor = (response: Response, retry: number): number | undefined => {
    const asked = retryAfterMs(response.headers.get('retry-after'));
    // Jitter on top of Retry-After too, so clients told the same instant do not return together.
    const delay =
      asked === undefined
        ? random() * Math.min(maxDelayMs, baseDelayMs * 2 ** retry)
        : asked + random() * Math.min(baseDelayMs, asked / 4);
    return delay <= maxDelayMs ? delay : undefined;
  };
  return {
    onRequest({ request, id }) {
      if (request.body !== null) pending.set(id, request.clone());
      return undefined;
    },
    async onResponse({ request, response, options: { fetch }, id }) {
      const original = pending.get(id) ?? request;
      pending.delete(id);
      let current = response;
      for (let retry = 0; retry < retries && RETRYABLE.has(current.status); retry++) {
        const delay = delayFor(current, retry);
        if (delay === undefined) break;
        // Not awaited: on an MSW-mocked response (msw 2.15, Node) cancel() never settles.
        current.body?.cancel().catch(() => undefined);
        await sleep(delay, request.signal);
        current = await fetch(original.clone());
      }
      return current === response ? undefined : current;
    },
    onError({ id }) {
      pending.delete(id);
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
