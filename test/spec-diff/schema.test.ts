/** The direction judgement, the messages of the 3.1 type-array cases, and the five real documents. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { API_NAMES } from '../../generated/apis.ts';
import { diffDocuments } from '../../scripts/spec-diff/diff.ts';
import { compareSchemas } from '../../scripts/spec-diff/schema.ts';
import { type Change, type Direction, type Effect, type Json, severityOf } from '../../scripts/spec-diff/types.ts';

describe('severityOf', () => {
  test.each<[Effect, Direction, 'breaking' | 'compatible']>([
    ['narrowed', 'request', 'breaking'],
    ['widened', 'request', 'compatible'],
    ['narrowed', 'response', 'compatible'],
    ['widened', 'response', 'breaking'],
    ['changed', 'request', 'breaking'],
    ['changed', 'response', 'breaking'],
  ])('%s in a %s is %s', (effect, direction, want) => {
    expect(severityOf(effect, direction)).toBe(want);
  });
});

function compare(direction: Direction, oldSchema: unknown, newSchema: unknown): Array<[string, string]> {
  const ctx = { oldDoc: {}, newDoc: {}, changes: [] as Change[] };
  compareSchemas({ ctx, operation: 'GET /x', where: 'body', direction }, oldSchema, newSchema);
  return ctx.changes.map((c) => [c.severity, c.message]);
}

describe('compareSchemas', () => {
  test.each<{ given: string; direction: Direction; old: Json; new: Json; want: Array<[string, string]> }>([
    {
      given: 'null added to a response type',
      direction: 'response',
      old: { type: 'string' },
      new: { type: ['string', 'null'] },
      want: [['breaking', 'now nullable (string → string|null)']],
    },
    {
      given: 'null added to a request type',
      direction: 'request',
      old: { type: 'string' },
      new: { type: ['string', 'null'] },
      want: [['compatible', 'now nullable (string → string|null)']],
    },
    {
      given: '3.0 nullable read as a "null" type',
      direction: 'response',
      old: { type: 'string', nullable: true },
      new: { type: ['string', 'null'] },
      want: [],
    },
    {
      given: 'integer → number in a response (widened)',
      direction: 'response',
      old: { type: 'integer' },
      new: { type: 'number' },
      want: [['breaking', 'type widened (integer → number)']],
    },
    {
      given: 'number → integer in a request (narrowed)',
      direction: 'request',
      old: { type: 'number' },
      new: { type: 'integer' },
      want: [['breaking', 'type narrowed (number → integer)']],
    },
    {
      given: 'type array reordered',
      direction: 'response',
      old: { type: ['null', 'string'] },
      new: { type: ['string', 'null'] },
      want: [],
    },
    {
      given: 'retyped: deeper keywords are not compared',
      direction: 'response',
      old: { type: 'string', maxLength: 10 },
      new: { type: 'integer', maximum: 10 },
      want: [['breaking', 'type changed string → integer']],
    },
    {
      given: 'minimum introduced in a request',
      direction: 'request',
      old: { type: 'integer' },
      new: { type: 'integer', minimum: 1 },
      want: [['breaking', 'minimum introduced (1)']],
    },
    {
      given: 'open map value narrowed in a response',
      direction: 'response',
      old: { type: 'object', additionalProperties: { type: ['number', 'string'] } },
      new: { type: 'object', additionalProperties: { type: 'number' } },
      want: [['compatible', 'type narrowed (number|string → number)']],
    },
  ])('$given', ({ direction, old, new: next, want }) => {
    expect(compare(direction, old, next)).toEqual(want);
  });
});

describe('the five bundled documents', () => {
  test.each(API_NAMES)('%s compared with itself: no changes', (api) => {
    const doc = JSON.parse(
      readFileSync(new URL(`../../generated/openapi/${api}.json`, import.meta.url), 'utf8'),
    ) as Json;
    expect(diffDocuments(doc, structuredClone(doc))).toEqual([]);
  });
});
