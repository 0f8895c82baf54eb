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
