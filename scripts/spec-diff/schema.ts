/**
 * Schema rules: compares an old and a new JSON Schema (OpenAPI 3.1, 2020-12 dialect; 3.0's
 * `nullable` is read as a `"null"` type) keyword by keyword. Each keyword change is an `Effect` on
 * the set of allowed values, and `severityOf` turns it into breaking or compatible for the
 * direction the schema is read in (see types.ts). Properties are the exception, because a field is
 * something a client reads or writes by name:
 *  - response: a removed field is breaking; an added one is compatible, with a note when the old
 *    schema was closed (`additionalProperties: false`), since strict clients may reject it;
 *  - request: a new required property is breaking, a new optional one compatible; a removed one is
 *    breaking when the schema is closed (clients that still send it are refused).
 */
import { followRef as resolve } from '../../openapi/document.ts';
import { type DiffContext, type Direction, type Effect, isObject, type Json, severityOf } from './types.ts';

export interface SchemaScope {
  ctx: DiffContext;
  operation: string;
  /** Location of the schema's root, e.g. `query limit` or `response 200 body`. */
  where: string;
  direction: Direction;
}

/** Compares two schemas (either may be a `$ref`, `true`, `false` or absent) and records the changes. */
export function compareSchemas(scope: SchemaScope, oldSchema: unknown, newSchema: unknown): void {
  walk(scope, oldSchema, newSchema, '', new Set());
}

const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
const show = (v: unknown) => JSON.stringify(v);

function emit(scope: SchemaScope, path: string, rule: string, effect: Effect, message: string, note?: string) {
  scope.ctx.changes.push({
    severity: severityOf(effect, scope.direction),
    rule: `schema.${rule}`,
    operation: scope.operation,
    where: path ? `${scope.where} ${path}` : scope.where,
    message,
    ...(note ? { note } : {}),
  });
}

function emitFixed(
  scope: SchemaScope,
  path: string,
  rule: string,
  severity: 'breaking' | 'compatible',
  message: string,
  note?: string,
) {
  scope.ctx.changes.push({
    severity,
    rule: `schema.${rule}`,
    operation: scope.operation,
    where: path ? `${scope.where} ${path}` : scope.where,
    message,
    ...(note ? { note } : {}),
  });
}

function walk(scope: SchemaScope, oldRaw: unknown, newRaw: unknown, path: string, seen: ReadonlySet<string>): void {
  const o = resolve<unknown>(scope.ctx.oldDoc, oldRaw ?? true);
  const n = resolve<unknown>(scope.ctx.newDoc, newRaw ?? true);
  if (o.ref !== undefined || n.ref !== undefined) {
    // Recursive schemas: stop when this pair of refs is already being compared further up.
    const key = `${o.ref ?? ''}|${n.ref ?? ''}`;
    if (seen.has(key)) return;
    seen = new Set([...seen, key]);
  }
  if (o.node === false || n.node === false) {
    if (o.node !== n.node) {
      emit(
        scope,
        path,
        'type',
        n.node === false ? 'narrowed' : 'widened',
        n.node === false ? 'now forbidden' : 'now allowed',
      );
    }
    return;
  }
  const os: Json = isObject(o.node) ? o.node : {};
  const ns: Json = isObject(n.node) ? n.node : {};
  if (!compareTypes(scope, os, ns, path)) return;
  compareEnum(scope, os, ns, path);
  compareBounds(scope, os, ns, path);
  compareStringRules(scope, os, ns, path);
  compareDefault(scope, os, ns, path);
  compareProperties(scope, os, ns, path, seen);
  compareAdditionalProperties(scope, os, ns, path, seen);
  if ('items' in os || 'items' in ns) walk(scope, os.items, ns.items, `${path}[]`, seen);
  compareCompositions(scope, os, ns, path, seen);
}

// --- type (3.1 type arrays; `integer` is a subset of `number`) ---------------------------------

function typesOf(s: Json): string[] | undefined {
  const t = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type.map(String) : undefined;
  if (t && s.nullable === true && !t.includes('null')) t.push('null');
  return t;
}

const accepts = (types: string[], t: string) => types.includes(t) || (t === 'integer' && types.includes('number'));
const showTypes = (types: string[]) => types.join('|');

/** Returns false when the types no longer overlap at all: the deeper keywords are then moot. */
function compareTypes(scope: SchemaScope, o: Json, n: Json, path: string): boolean {
  const ot = typesOf(o);
  const nt = typesOf(n);
  if (!ot && !nt) return true;
  if (!ot && nt) {
    emit(scope, path, 'type', 'narrowed', `type constrained to ${showTypes(nt)}`);
    return true;
  }
  if (ot && !nt) {
    emit(scope, path, 'type', 'widened', `type constraint removed (was ${showTypes(ot)})`);
    return true;
  }
  if (!ot || !nt) return true;
  const added = nt.filter((t) => !accepts(ot, t));
  const removed = ot.filter((t) => !accepts(nt, t));
  const change = `${showTypes(ot)} → ${showTypes(nt)}`;
  if (added.length > 0 && removed.length > 0) {
    emit(scope, path, 'type', 'changed', `type changed ${change}`);
    return nt.some((t) => accepts(ot, t));
  }
  if (added.length > 0) {
    const what = added.length === 1 && added[0] === 'null' ? 'now nullable' : 'type widened';
    emit(scope, path, 'type', 'widened', `${what} (${change})`);
  } else if (removed.length > 0) {
    const what = removed.length === 1 && removed[0] === 'null' ? 'no longer nullable' : 'type narrowed';
    emit(scope, path, 'type', 'narrowed', `${what} (${change})`);
  }
  return true;
}

// --- enum / const -------------------------------------------------------------------------------

function enumOf(s: Json): unknown[] | undefined {
  if (Array.isArray(s.enum)) return s.enum;
  return 'const' in s ? [s.const] : undefined;
}

function compareEnum(scope: SchemaScope, o: Json, n: Json, path: string): void {
  const oe = enumOf(o);
  const ne = enumOf(n);
  if (!oe || !ne) {
    if (ne) emit(scope, path, 'enum', 'narrowed', `enum introduced: ${ne.map(show).join(', ')}`);
    if (oe) emit(scope, path, 'enum', 'widened', `enum removed (was ${oe.map(show).join(', ')})`);
    return;
  }
  const oldSet = new Set(oe.map(show));
  const newSet = new Set(ne.map(show));
  const removed = [...oldSet].filter((v) => !newSet.has(v));
  const added = [...newSet].filter((v) => !oldSet.has(v));
  if (removed.length > 0) emit(scope, path, 'enum', 'narrowed', `enum lost ${removed.join(', ')}`);
  if (added.length > 0) emit(scope, path, 'enum', 'widened', `enum gained ${added.join(', ')}`);
}

// --- numeric bounds, lengths, counts -------------------------------------------------------------

const LOWER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

function compareBounds(scope: SchemaScope, o: Json, n: Json, path: string): void {
  for (const [keys, tighter] of [
    [LOWER, (a: number, b: number) => b > a],
    [UPPER, (a: number, b: number) => b < a],
  ] as const) {
    for (const k of keys) {
      const ov = o[k];
      const nv = n[k];
      if (ov === nv) continue;
      if (typeof ov === 'boolean' || typeof nv === 'boolean') {
        // OpenAPI 3.0's boolean exclusiveMinimum / exclusiveMaximum.
        emit(scope, path, 'bound', nv === true ? 'narrowed' : 'widened', `${k} ${show(ov)} → ${show(nv)}`);
      } else if (typeof ov === 'number' && typeof nv === 'number') {
        const narrowed = tighter(ov, nv);
        emit(
          scope,
          path,
          'bound',
          narrowed ? 'narrowed' : 'widened',
          `${k} ${narrowed ? 'tightened' : 'relaxed'} ${ov} → ${nv}`,
        );
      } else if (typeof nv === 'number') {
        emit(scope, path, 'bound', 'narrowed', `${k} introduced (${nv})`);
      } else if (typeof ov === 'number') {
        emit(scope, path, 'bound', 'widened', `${k} removed (was ${ov})`);
      }
    }
  }
  const om = o.multipleOf;
  const nm = n.multipleOf;
  if (om !== nm) {
    if (typeof om === 'number' && typeof nm === 'number') {
      const effect: Effect = nm % om === 0 ? 'narrowed' : om % nm === 0 ? 'widened' : 'changed';
      emit(scope, path, 'bound', effect, `multipleOf ${om} → ${nm}`);
    } else if (typeof nm === 'number') emit(scope, path, 'bound', 'narrowed', `multipleOf introduced (${nm})`);
    else if (typeof om === 'number') emit(scope, path, 'bound', 'widened', `multipleOf removed (was ${om})`);
  }
  if (Boolean(o.uniqueItems) !== Boolean(n.uniqueItems)) {
    emit(
      scope,
      path,
      'bound',
      n.uniqueItems ? 'narrowed' : 'widened',
      `uniqueItems ${n.uniqueItems ? 'introduced' : 'removed'}`,
    );
  }
}

// --- pattern, format ------------------------------------------------------------------------------

function compareStringRules(scope: SchemaScope, o: Json, n: Json, path: string): void {
  for (const k of ['pattern', 'format'] as const) {
    const ov = o[k];
    const nv = n[k];
    if (ov === nv) continue;
    if (ov === undefined) emit(scope, path, k, 'narrowed', `${k} introduced (${show(nv)})`);
    else if (nv === undefined) emit(scope, path, k, 'widened', `${k} removed (was ${show(ov)})`);
    else emit(scope, path, k, 'changed', `${k} changed ${show(ov)} → ${show(nv)}`);
  }
}

// --- default (what the server does when a client omits the value) ---------------------------------

function compareDefault(scope: SchemaScope, o: Json, n: Json, path: string): void {
  if (scope.direction !== 'request' || show(o.default) === show(n.default)) return;
  emitFixed(
    scope,
    path,
    'default',
    'compatible',
    `default ${show(o.default) ?? 'none'} → ${show(n.default) ?? 'none'}`,
    'clients that omit the value get the new default',
  );
}

// --- properties and required ------------------------------------------------------------------------

const closed = (s: Json) => s.additionalProperties === false || s.unevaluatedProperties === false;
const propertiesOf = (s: Json): Json => (isObject(s.properties) ? s.properties : {});
const requiredOf = (s: Json): string[] => (Array.isArray(s.required) ? s.required.map(String) : []);

function compareProperties(scope: SchemaScope, o: Json, n: Json, path: string, seen: ReadonlySet<string>): void {
  const op = propertiesOf(o);
  const np = propertiesOf(n);
  const or = requiredOf(o);
  const nr = requiredOf(n);
  const names = new Set([...Object.keys(op), ...Object.keys(np), ...or, ...nr]);
  const response = scope.direction === 'response';
  for (const name of names) {
    const p = at(path, name);
    const inOld = name in op;
    const inNew = name in np;
    if (inOld && !inNew) {
      if (response)
        emitFixed(
          scope,
          p,
          'property-removed',
          'breaking',
          `field removed${or.includes(name) ? ' (was required)' : ''}`,
        );
      else if (closed(n)) {
        emitFixed(
          scope,
          p,
          'property-removed',
          'breaking',
          'property removed from a closed schema: clients that send it are refused',
        );
      } else
        emitFixed(
          scope,
          p,
          'property-removed',
          'compatible',
          'property no longer documented',
          'the server may ignore it now',
        );
      continue;
    }
    if (!inOld && inNew) {
      if (response) {
        const note = closed(o)
          ? 'the schema was closed (additionalProperties: false): clients that reject unknown fields must update first'
          : undefined;
        emitFixed(
          scope,
          p,
          'property-added',
          'compatible',
          `field added${nr.includes(name) ? ' (required)' : ''}`,
          note,
        );
      } else if (nr.includes(name)) {
        emitFixed(
          scope,
          p,
          'property-added',
          'breaking',
          'new required property: clients that do not send it are refused',
        );
      } else emitFixed(scope, p, 'property-added', 'compatible', 'new optional property');
      continue;
    }
    const oReq = or.includes(name);
    const nReq = nr.includes(name);
    if (oReq !== nReq) {
      const message = nReq
        ? response
          ? 'now always present (became required)'
          : 'became required'
        : response
          ? 'may now be absent (no longer required)'
          : 'no longer required';
      emit(scope, p, 'required', nReq ? 'narrowed' : 'widened', message);
    }
    if (inOld && inNew) walk(scope, op[name], np[name], p, seen);
  }
}

function compareAdditionalProperties(
  scope: SchemaScope,
  o: Json,
  n: Json,
  path: string,
  seen: ReadonlySet<string>,
): void {
  const oa = o.additionalProperties;
  const na = n.additionalProperties;
  const oClosed = oa === false;
  const nClosed = na === false;
  if (oClosed && !nClosed) {
    if (scope.direction === 'response') {
      emitFixed(
        scope,
        path,
        'additional-properties',
        'compatible',
        'schema opened (additionalProperties no longer false)',
        'clients that reject unknown fields may now receive some',
      );
    } else emit(scope, path, 'additional-properties', 'widened', 'schema opened: unlisted properties now accepted');
    return;
  }
  if (!oClosed && nClosed) {
    emit(scope, path, 'additional-properties', 'narrowed', 'schema closed (additionalProperties: false)');
    return;
  }
  if (isObject(oa) || isObject(na)) walk(scope, oa, na, at(path, '*'), seen);
}

// --- oneOf / anyOf / allOf / not (matched by position) -------------------------------------------

function compareCompositions(scope: SchemaScope, o: Json, n: Json, path: string, seen: ReadonlySet<string>): void {
  for (const kw of ['oneOf', 'anyOf', 'allOf'] as const) {
    const oa = Array.isArray(o[kw]) ? (o[kw] as unknown[]) : undefined;
    const na = Array.isArray(n[kw]) ? (n[kw] as unknown[]) : undefined;
    if (!oa && !na) continue;
    if (!oa || !na) {
      emit(scope, path, 'composition', 'changed', `${kw} ${oa ? 'removed' : 'introduced'}`);
      continue;
    }
    for (let i = 0; i < Math.min(oa.length, na.length); i++) walk(scope, oa[i], na[i], `${path}<${kw}[${i}]>`, seen);
    if (na.length !== oa.length) {
      const more = na.length > oa.length;
      // A branch more in oneOf/anyOf allows more values; in allOf it adds a constraint.
      const effect: Effect = more === (kw === 'allOf') ? 'narrowed' : 'widened';
      emit(scope, path, 'composition', effect, `${kw} ${oa.length} → ${na.length} branches`);
    }
  }
  if (show(o.not) !== show(n.not)) emit(scope, path, 'composition', 'changed', 'not changed');
}
