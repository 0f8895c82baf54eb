import type { Middleware } from 'openapi-fetch';

/** Prism's scenario selection (https://docs.stoplight.io/docs/prism): the MSW handlers honour it too. */
export interface PreferOptions {
  /** Answer with this status (its first example unless `example` names another). */
  code?: number;
  /** Answer with the named example (with `code` when it is not a 2xx example). */
  example?: string;
  /** Generate the body from the schema instead of answering an example. */
  dynamic?: boolean;
}

/** The header value, for a single call: `client.GET(path, { headers: { Prefer: prefer({ code: 404 }) } })`. */
export function prefer(options: PreferOptions): string {
  const parts: string[] = [];
  if (options.code !== undefined) parts.push(`code=${options.code}`);
  if (options.example !== undefined) parts.push(`example=${options.example}`);
  if (options.dynamic !== undefined) parts.push(`dynamic=${options.dynamic}`);
  return parts.join(', ');
}

/** Parses a Prefer header back into options; unknown preferences are ignored, as RFC 7240 asks. */
export function parsePrefer(header: string | null): PreferOptions {
  const out: PreferOptions = {};
  for (const part of (header ?? '').split(/[,;]/)) {
    const [rawKey, rawValue = ''] = part.split('=');
    const key = rawKey?.trim();
    const value = rawValue.trim().replace(/^"(.*)"$/, '$1');
    if (key === 'code' && /^\d{3}$/.test(value)) out.code = Number(value);
    else if (key === 'example' && value) out.example = value;
    else if (key === 'dynamic') out.dynamic = value === 'true';
  }
  return out;
}

/** Client-wide scenario; a Prefer header set on one call wins over it. */
export function preferMiddleware(options: PreferOptions): Middleware {
  const value = prefer(options);
  return {
    onRequest({ request }) {
      if (value && !request.headers.has('prefer')) request.headers.set('Prefer', value);
      return request;
    },
  };
}
