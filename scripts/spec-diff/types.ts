/**
 * Shared types of the breaking-change check (`npm run spec:diff`). A rule walks the old and the new
 * document and reports `Change`s; the CLI prints them and exits 1 when one of them is breaking.
 */

export type Json = Record<string, unknown>;

/** `breaking`: an existing client can fail. `compatible`: it keeps working (a `note` may say when not). */
export type Severity = 'breaking' | 'compatible';

export interface Change {
  severity: Severity;
  /** Stable rule id, e.g. `operation.removed`, `parameter.added-required`, `schema.enum`. */
  rule: string;
  /** `GET /v1/runs`, or `document` for changes outside any operation. */
  operation: string;
  /** Where inside the operation: `query limit`, `response 200 body data[].status`... (empty for the operation). */
  where: string;
  message: string;
  /** Extra advice for a compatible change that some clients may still notice. */
  note?: string;
}

/** Which way data flows through a schema: clients write requests and read responses. */
export type Direction = 'request' | 'response';

/** What a schema change does to the set of values the schema allows. */
export type Effect = 'narrowed' | 'widened' | 'changed';

/**
 * The one judgement behind every schema rule. A request schema may only accept more (narrowing it
 * refuses values clients send today); a response schema may only promise less (widening it sends
 * values clients do not expect, e.g. a field that becomes `null`). `changed` is neither: breaking.
 */
export function severityOf(effect: Effect, direction: Direction): Severity {
  if (effect === 'changed') return 'breaking';
  if (direction === 'request') return effect === 'narrowed' ? 'breaking' : 'compatible';
  return effect === 'widened' ? 'breaking' : 'compatible';
}

/** The two documents of one comparison and where the changes go. */
export interface DiffContext {
  oldDoc: Json;
  newDoc: Json;
  changes: Change[];
}

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
