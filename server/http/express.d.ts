import type { RateLimitInfo } from 'express-rate-limit';
import type { Principal } from '../core/types.ts';

declare global {
  namespace Express {
    interface Request {
      /** Set by the API's security handler once the credentials are accepted. */
      principal?: Principal;
      /** The API whose sub-app is answering. */
      apiName?: string;
      /** Set by express-openapi-validator once the path matched an operation. */
      openapi?: unknown;
      /** Set by express-rate-limit. */
      rateLimit?: RateLimitInfo;
    }
  }
}
