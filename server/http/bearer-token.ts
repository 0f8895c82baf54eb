import type { Request } from 'express';

/** The credential of `Authorization: Bearer <credential>`, or undefined when absent or malformed. */
export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}
