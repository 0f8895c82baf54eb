/**
 * The load generator, in its own process (never in a server's event loop): one autocannon run per
 * JSON line on stdin, one JSON line of figures on stdout. Each run cycles through `paths` with one
 * shared counter, so with `amount` = paths.length every path is requested exactly once (the
 * cold-cache run).
 */
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

interface LoadSpec {
  url: string;
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  duration?: number;
  amount?: number;
}

async function run(spec: LoadSpec) {
  let next = 0;
  const t0 = performance.now();
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration ?? 2 }),
    // autocannon notices its end (the duration or the last answer) on its sampling tick, 1 s by
    // default: every cell took a whole second or more (a half-second cell and a 0.2 s burst both
    // took 1 s). A tenth of that ends each run within 0.1 s of its last answer.
    sampleInt: 100,
    headers: spec.headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: spec.paths[next++ % spec.paths.length] ?? '/' }) }],
  });
  // An `amount` run's wall time still ends on a tick: there, throughput is connections over mean
  // latency (each connection sends back to back).
  const seconds = Math.max((performance.now() - t0) / 1000, 0.001);
  const rps = spec.amount
    ? (spec.connections * 1000) / Math.max(result.latency.mean, 0.001)
    : result.requests.total / seconds;
  return {
    rps: Math.round(rps),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
    ok: result['2xx'],
  };
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  process.stdout.write(`${JSON.stringify(await run(JSON.parse(line) as LoadSpec))}\n`);
}
