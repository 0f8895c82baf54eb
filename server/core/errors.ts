/**
 * Errors the store throws, in its own terms. It knows no HTTP: the http layer (to-problem.ts) maps
 * each to a problem of the catalog, which each API then renders in its own error shape.
 */

/** A list cursor this API never issued, or one that no longer decodes to a valid position. */
export class InvalidCursor extends Error {
  /** The query parameter that carried it. */
  readonly parameter: string;
  constructor(parameter = 'cursor') {
    super('The cursor is malformed or was not issued by this API.');
    this.name = 'InvalidCursor';
    this.parameter = parameter;
  }
}

/**
 * The store could not be reached or did not answer in time (a refused or lost connection, a
 * timeout, a closed store): the request may succeed later. `cause` holds what the driver threw.
 * Only the drivers decide what counts (server/store/unavailable.ts); everyone above asks instanceof.
 */
export class StoreUnavailable extends Error {
  constructor(cause?: unknown, message = 'The store is unavailable.') {
    // pino's error serializer prints the cause's message and stack after ours.
    super(message, cause === undefined ? {} : { cause });
    this.name = 'StoreUnavailable';
  }
}
