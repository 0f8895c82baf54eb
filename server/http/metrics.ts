import { createRequire } from 'node:module';
import type { Request, RequestHandler } from 'express';
import type * as PromClient from 'prom-client';
import type { Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  observe: RequestHandler;
  observeQuery(ms: number): void;
}

/** Prometheus metrics in a registry of their own (several apps may live in one process). */
export function createMetrics(): Metrics {
  // Required here, not imported at the top: a server without METRICS never loads prom-client.
  const { Counter, Histogram, Registry } = createRequire(import.meta.url)('prom-client') as typeof PromClient;
  const registry = new Registry();
  const labelNames = ['api', 'operation', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests answered',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request',
    labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const queries = new Histogram({
    name: 'store_query_duration_seconds',
    help: 'Time spent in one store query',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  const observe: RequestHandler = (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const r = req as Request & { apiName?: string };
      const operation =
        (req.openapi as { schema?: { operationId?: string } } | undefined)?.schema?.operationId ?? 'none';
      const labels = { api: r.apiName ?? 'none', operation, status: String(res.statusCode) };
      requests.inc(labels);
      latency.observe(labels, (performance.now() - started) / 1000);
    });
    next();
  };
  return { registry, observe, observeQuery: (ms) => queries.observe(ms / 1000) };
}
