/**
 * The probes of one operation, one function per kind, in the order they run: the valid request and
 * its boundaries, a real cursor, then (unless discovering) 400/422, 401, 404, 429/500/503, Prism's
 * named examples, 304, 413/431 and 405. Each sends through the operation's recorder, which checks
 * every response against the document and keeps the report.
 */
import {
  type ApiRequest,
  type ApiResponse,
  type ApiSpec,
  BAD_KEY,
  type BaseRequest,
  boundarySamples,
  buildRequest,
  type Expectation,
  invalidSamples,
  type Knowledge,
  nextCursorOf,
  type OperationReport,
  type OperationSpec,
  type Probe,
  type ProbeTag,
  paramAccepts,
  SUCCESS_FIRST,
  send,
  type Target,
  type TargetTenant,
  unknownValue,
  valuesFromRunPath,
} from './harness.ts';

/** One API of a run: its document, the target's tenants for it and what its bodies taught us. */
export interface ApiState {
  spec: ApiSpec;
  tenants: TargetTenant[];
  knowledge: Knowledge;
}

export interface Recorder {
  report: OperationReport;
  probe(probe: Probe, options?: { retryOn429?: number }): Promise<ApiResponse>;
}

/** The runs of a tenant whose path fits this operation, successful runs first. */
export function fittingRuns(op: OperationSpec, tenant: TargetTenant | undefined): Record<string, string>[] {
  const runs = [...(tenant?.runs ?? [])].sort(
    (a, b) => Number(!SUCCESS_FIRST.includes(a.status)) - Number(!SUCCESS_FIRST.includes(b.status)),
  );
  return runs.map((r) => valuesFromRunPath(op, r.path)).filter((v): v is Record<string, string> => v !== undefined);
}

/** What every probe of one operation shares. */
interface ProbeContext {
  target: Target;
  state: ApiState;
  op: OperationSpec;
  rec: Recorder;
  base: BaseRequest;
  /** Against Prism: statuses are asked for with `Prefer`, and there is no data to depend on. */
  prefer: boolean;
  /** The operation's 2xx. */
  success: number;
  make(values: Record<string, string | undefined>, headers?: Record<string, string>, baseUrl?: string): ApiRequest;
  probe(label: string, request: ApiRequest, expect: Expectation, ...tags: ProbeTag[]): Promise<ApiResponse>;
  declares(status: number): boolean;
}

/** Every probe of one operation, in order: positives, negatives, auth, data-dependent, faults, methods. */
export async function probeOperation(
  target: Target,
  state: ApiState,
  op: OperationSpec,
  rec: Recorder,
  base: BaseRequest,
  others: { allStates: ApiState[]; deferred: Array<() => Promise<void>>; discover?: boolean },
): Promise<void> {
  rec.report.base = base;
  const ctx: ProbeContext = {
    target,
    state,
    op,
    rec,
    base,
    prefer: target.mode === 'prefer',
    success: op.statuses.find((s) => s >= 200 && s < 300) ?? 200,
    make: (values, headers = base.headers, baseUrl = target.url) => buildRequest(baseUrl, op, values, headers),
    probe: (label, request, expect, ...tags) =>
      rec.probe({ op, label, request, expect, ...(tags.length ? { tags } : {}) }),
    declares: (s) => op.statuses.includes(s),
  };
  await probeValid(ctx);
  await probeBoundaries(ctx);
  await probeCursor(ctx);
  if (others.discover) return;
  await probeValidation(ctx);
  await probeAuth(ctx, others.allStates);
  await probeNotFound(ctx);
  await probeFaults(ctx, others.deferred);
  if (op.hasDefault) rec.report.notProbed.default = 'the fallback for statuses the server never sends on purpose';
  await probeExamples(ctx);
  await probeNotModified(ctx);
  await probeOversized(ctx);
  await probeMethods(ctx);
}

/**
 * 200: the known-good request (trying other harvested ids while one answers 404, e.g. a schema
 * with no completed run); a long request id from the caller must not leak into a response header.
 */
async function probeValid({ op, state, rec, base, prefer, success, make, probe }: ProbeContext): Promise<void> {
  const alternatives = op.params
    .filter((p) => base.sources[p.name] === 'harvested')
    .map((p) => ({
      p,
      options: [...state.knowledge.all(`${op.operationId}.${p.name}`), ...state.knowledge.all(p.name)].filter((v) =>
        paramAccepts(p, v),
      ),
    }));
  const tries = prefer ? 0 : Math.min(8, Math.max(0, ...alternatives.map((a) => a.options.length)));
  for (let i = 1; i < tries; i++) {
    const res = await send(make(base.values));
    rec.report.sent++;
    if (res.status === success) break;
    for (const { p, options } of alternatives) base.values[p.name] = options[i % options.length] ?? base.values[p.name];
  }
  await probe('valid request', make(base.values), { kind: 'accept', status: success });
  await probe(
    'a 200-character X-Request-Id from the caller',
    make(base.values, { ...base.headers, 'X-Request-Id': 'r'.repeat(200) }),
    {
      kind: 'accept',
      status: success,
    },
  );
}

/** 200: every boundary of every optional parameter. */
async function probeBoundaries({ op, base, make, probe }: ProbeContext): Promise<void> {
  for (const p of op.params) {
    if (p.required && p.in === 'path') continue;
    for (const b of boundarySamples(p)) {
      await probe(`${p.name}=${JSON.stringify(b.value)} (${b.why})`, make({ ...base.values, [p.name]: b.value }), {
        kind: 'accept',
      });
    }
  }
}

/** A real cursor: the first page with the smallest limit, then the page it points to. */
async function probeCursor({ op, rec, base, prefer, success, make, probe }: ProbeContext): Promise<void> {
  const cursor = op.params.find((p) => p.opaque && p.in === 'query');
  const limit = op.params.find((p) => p.name === 'limit');
  if (!cursor || prefer) return;
  const min = limit ? String(limit.schema.minimum ?? 1) : undefined;
  const first = limit ? { ...base.values, [limit.name]: min } : base.values;
  const page = await probe(`first page (${limit?.name}=${min}) for a cursor`, make(first), {
    kind: 'accept',
    status: success,
  });
  const issued = nextCursorOf(page.text);
  if (issued) {
    base.cursors.push(issued);
    await probe(`${cursor.name} from the first page`, make({ ...first, [cursor.name]: issued }), {
      kind: 'accept',
      status: success,
    });
  } else rec.report.notProbed[`${cursor.name} (valid)`] = 'the first page had no next_cursor (too few runs)';
}

/** 400/422: one parameter at a time made invalid. */
async function probeValidation({ target, op, rec, base, prefer, make, probe }: ProbeContext): Promise<void> {
  const validation = op.validationStatus;
  if (!validation) return;
  for (const p of op.params) {
    for (const bad of invalidSamples(p)) {
      if (bad.value === '' && p.in === 'query' && !p.required && target.limits?.emptyQuery) {
        rec.report.notProbed[`${p.name}= (empty)`] = target.limits.emptyQuery;
        continue;
      }
      await probe(
        `${p.name}=${bad.value === undefined ? '(left out)' : JSON.stringify(bad.value.length > 40 ? `${bad.value.slice(0, 12)}…(${bad.value.length})` : bad.value)} (${bad.why})`,
        make({ ...base.values, [p.name]: bad.value }),
        { kind: 'reject', statuses: [validation] },
        ...(bad.value === '' && p.in === 'query' && !p.required ? (['empty-query'] as const) : []),
      );
    }
    if (p.opaque) {
      if (prefer)
        rec.report.notProbed[`${p.name} (not issued)`] = 'Prism has no data: any cursor within the schema passes';
      else
        await probe(
          `${p.name}="bm90LWlzc3VlZA" (never issued)`,
          make({ ...base.values, [p.name]: 'bm90LWlzc3VlZA' }),
          { kind: 'reject', statuses: [validation] },
          'never-issued-cursor',
        );
    }
  }
}

/** 401: no credentials, a malformed header, an unknown key, another API's key. */
async function probeAuth(ctx: ProbeContext, allStates: ApiState[]): Promise<void> {
  const { target, state, op, rec, base, make, probe, declares } = ctx;
  if (!op.secured || !declares(401)) return;
  const tenant = state.tenants[0];
  const { Authorization: _, ...withoutAuth } = base.headers;
  await probe('no Authorization header', make(base.values, withoutAuth), {
    kind: 'auth',
    missingHeader: 'Authorization',
  });
  await probe(
    'Authorization: Basic (not Bearer)',
    make(base.values, { ...withoutAuth, Authorization: 'Basic dXNlcjpwYXNz' }),
    {
      kind: 'auth',
    },
  );
  if (target.limits?.credentials) {
    rec.report.notProbed['401 (bad credentials)'] = target.limits.credentials;
    return;
  }
  await probe(
    'unknown bearer key',
    make(base.values, { ...withoutAuth, Authorization: `Bearer ${BAD_KEY}` }),
    { kind: 'auth' },
    'bad-credentials',
  );
  const other = allStates.find((s) => s.spec.api !== op.api && s.tenants[0] && s.tenants[0] !== tenant);
  const otherKey = other?.tenants[0]?.apiKey;
  if (other && otherKey && otherKey !== tenant?.apiKey)
    await probe(
      `a ${other.spec.api} key`,
      make(base.values, { ...withoutAuth, Authorization: `Bearer ${otherKey}` }),
      { kind: 'auth' },
      'bad-credentials',
    );
}

/** 404: data-dependent (an id nobody has, another tenant's), or asked of Prism. */
async function probeNotFound({ state, op, rec, base, prefer, make, probe, declares }: ProbeContext): Promise<void> {
  if (!declares(404)) return;
  if (prefer) {
    await probe('Prefer: code=404', make(base.values, { ...base.headers, Prefer: 'code=404' }), {
      kind: 'earn',
      status: 404,
    });
    return;
  }
  for (const p of op.params.filter((q) => q.in === 'path')) {
    await probe(
      `${p.name}=${unknownValue(p)} (nobody's)`,
      make({ ...base.values, [p.name]: unknownValue(p) }),
      { kind: 'earn', status: 404 },
      'data-404',
    );
  }
  const foreign = state.tenants.slice(1).flatMap((t) => fittingRuns(op, t))[0];
  if (foreign && Object.entries(foreign).some(([k, v]) => base.values[k] !== undefined && base.values[k] !== v)) {
    await probe(
      `another tenant's ${Object.keys(foreign).join(', ')}`,
      make({ ...base.values, ...foreign }),
      { kind: 'earn', status: 404 },
      'data-404',
    );
  } else if (op.params.some((q) => q.in === 'path')) {
    rec.report.notProbed['404 (another tenant)'] = 'the target has no second tenant with data for this operation';
  }
  if (!op.params.some((q) => q.in === 'path')) rec.report.notProbed['404'] = 'no path parameter to make unknown';
}

/** 429, 500, 503: Prefer (mock), or the sibling deployments where they are planted. */
async function probeFaults(ctx: ProbeContext, deferred: Array<() => Promise<void>>): Promise<void> {
  const { target, rec, base, prefer, make, probe, declares } = ctx;
  const faults: Array<[number, string | undefined, string]> = [
    [
      429,
      target.faults?.rateLimited ?? (target.burst ? target.url : undefined),
      'pass --burst <n> to exhaust the rate limit',
    ],
    [
      500,
      target.faults?.internalError,
      'needs a deployment with a planted fault (test/contract/server.test.ts does it)',
    ],
    [503, target.faults?.unavailable, 'needs a deployment whose store is down (test/contract/server.test.ts does it)'],
  ];
  for (const [status, faultUrl, why] of faults) {
    if (!declares(status)) continue;
    if (prefer) {
      await probe(`Prefer: code=${status}`, make(base.values, { ...base.headers, Prefer: `code=${status}` }), {
        kind: 'earn',
        status,
      });
    } else if (!faultUrl) rec.report.notProbed[String(status)] = why;
    else if (status === 429) {
      const spend = () => spendRateLimit(ctx, faultUrl);
      // Spending the target's own budget waits until every other probe is done.
      if (target.faults?.rateLimited) await spend();
      else deferred.push(spend);
    } else {
      await probe(
        `valid request to ${faultUrl}`,
        make(base.values, base.headers, faultUrl),
        { kind: 'earn', status },
        'fault',
      );
    }
  }
}

/** 429: the valid request with one key until the limit refuses it. */
async function spendRateLimit({ target, rec, base, make, probe }: ProbeContext, faultUrl: string): Promise<void> {
  const tries = target.faults?.rateLimited ? 10 : (target.burst ?? 0);
  for (let i = 0; i < tries; i++) {
    const res = await send(make(base.values, base.headers, faultUrl));
    rec.report.sent++;
    if (res.status === 429 || i === tries - 1) {
      // The refusal itself goes through the checks (the ones before it only spent the budget).
      await probe(
        `request ${i + 2} with one key (rate limit)`,
        make(base.values, base.headers, faultUrl),
        { kind: 'earn', status: 429 },
        'fault',
      );
      break;
    }
  }
}

/** Prism: every named example by key; a status without a body (431) by its code alone. */
async function probeExamples({ op, base, prefer, make, probe }: ProbeContext): Promise<void> {
  if (!prefer) return;
  for (const [key, response] of Object.entries(op.responses)) {
    if (!/^\d{3}$/.test(key)) continue;
    if (!response.json && response.examples.length === 0) {
      await probe(`Prefer: code=${key}`, make(base.values, { ...base.headers, Prefer: `code=${key}` }), {
        kind: 'earn',
        status: Number(key),
      });
    }
    for (const example of response.examples) {
      await probe(
        `Prefer: code=${key}, example=${example}`,
        make(base.values, { ...base.headers, Prefer: `code=${key}, example=${example}` }),
        { kind: 'earn', status: Number(key) },
      );
    }
  }
}

/** 304: the valid request again with the ETag its 200 carried. */
async function probeNotModified({ rec, base, prefer, success, make, probe, declares }: ProbeContext): Promise<void> {
  if (prefer || !declares(304)) return;
  const first = await send(make(base.values));
  rec.report.sent++;
  const etag = first.headers.etag;
  if (first.status === success && etag) {
    await probe(
      'If-None-Match with the ETag of the 200',
      make(base.values, { ...base.headers, 'If-None-Match': etag }),
      { kind: 'earn', status: 304 },
    );
  } else rec.report.notProbed['304'] = `the valid request answered ${first.status} without an ETag`;
}

/** `bytes` of header padding, in lines of at most 16,000 characters so no single line is absurd. */
export const padding = (bytes: number): Record<string, string> =>
  Object.fromEntries(
    Array.from({ length: Math.ceil(bytes / 16_000) }, (_, i) => [
      `x-padding-${i}`,
      'a'.repeat(Math.min(16_000, bytes - i * 16_000)),
    ]),
  );

/** 413: a body over the limit (no operation takes one); 431: headers over the server's limit (no body). */
async function probeOversized({ base, rec, prefer, make, probe, declares }: ProbeContext): Promise<void> {
  if (prefer) return;
  if (declares(413)) {
    const body = JSON.stringify({ blob: 'x'.repeat(100_000) });
    const req = make(base.values, {
      ...base.headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    await probe('a 100 KB request body', { ...req, body }, { kind: 'earn', status: 413 }, 'oversized-body');
  }
  if (declares(431)) {
    // Past Node's default 16 KB first. A server that takes more (the reference server takes 96 KB,
    // so a 64 KB credential reaches its API) gets 128 KB; sent to a 16 KB server at once, that much
    // races its close, and the client sees a reset rather than its 431.
    let headers = padding(20_000);
    if (!prefer) {
      const res = await send(make(base.values, { ...base.headers, ...headers }));
      rec.report.sent++;
      if (res.status !== 431) headers = padding(128 * 1024);
    }
    await probe(
      'request headers over the limit',
      make(base.values, { ...base.headers, ...headers }),
      { kind: 'earn', status: 431 },
      'oversized-headers',
    );
  }
}

/** 405: the methods the path does not declare (probed once per path, from its first operation). */
async function probeMethods({ target, state, op, rec, base, make, probe }: ProbeContext): Promise<void> {
  const allowed = state.spec.methodsByPath.get(op.path) ?? [op.method];
  if (allowed[0] !== op.method) return;
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !allowed.includes(m))) {
    const req = { ...make(base.values), method };
    await probe(`${method} (not declared)`, req, {
      kind: 'method',
      allowed,
      requireAllow: !target.limits?.methodAllow,
    });
  }
  if (target.limits?.methodAllow) rec.report.notProbed['405 Allow header'] = target.limits.methodAllow;
}
