import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { type PreferOptions, preferMiddleware } from './prefer.ts';
import { type RetryOptions, retryMiddleware } from './retry.ts';

/**
 * A fixed token, or a function for tokens that expire (a Clerk session JWT, say). Undefined, or a
 * function's undefined, sends no Authorization (the API's 401 says so), as `process.env.X` may be.
 */
export type TokenSource = string | undefined | (() => string | undefined | Promise<string | undefined>);

export interface ClientOptions {
  /** Origin of the server or mock, e.g. http://localhost:4010; paths are the APIs' native ones. */
  baseUrl: string;
  token: TokenSource;
  /** Retry of 429/503 (on by default); false turns it off. */
  retry?: RetryOptions | false;
  /** Ask a Prism mock (or the MSW handlers) for a scenario on every call. */
  prefer?: PreferOptions;
  fetch?: typeof globalThis.fetch;
}

export function bearerAuth(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      const value = typeof token === 'function' ? await token() : token;
      if (value && !request.headers.has('authorization')) request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}

/** Headers every call sends unless the call sets its own. */
export function defaultHeaders(headers: Record<string, string | undefined>): Middleware {
  return {
    onRequest({ request }) {
      for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined && !request.headers.has(name)) request.headers.set(name, value);
      }
      return request;
    },
  };
}

/**
 * The shared construction behind every API's factory. Retry goes last so that its onRequest sees
 * the finished request (auth, Prefer) and its onResponse runs first, before anyone reads the answer.
 */
export function createApiClient<Paths extends {}>(options: ClientOptions, extra: Middleware[] = []): Client<Paths> {
  const client = createClient<Paths>({
    baseUrl: options.baseUrl,
    // Looked up per call, not captured now, so fetch patched later (MSW's server.listen()) is used.
    fetch: options.fetch ?? ((input: Request, init?: RequestInit) => globalThis.fetch(input, init)),
  });
  client.use(bearerAuth(options.token), ...extra);
  if (options.prefer) client.use(preferMiddleware(options.prefer));
  if (options.retry !== false) client.use(retryMiddleware(options.retry));
  return client;
}
