/**
 * The proxy's tap: sits between Prism's validation proxy and the real vendor, passes every request
 * and response through unchanged, and hands each JSON response to the provenance reporter, so
 * `npm run mock:proxy -- <vendor url>` also lists the inferred elements the vendor contradicts.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  type Contradiction,
  formatContradiction,
  type ProvenanceReporter,
  provenanceReporter,
} from './provenance-report.ts';

export interface ProvenanceTap {
  /** Give this to Prism as its upstream. */
  url: string;
  close(): Promise<void>;
}

/** Bounded, so a vendor that never answers cannot hold a request forever. */
const UPSTREAM_TIMEOUT_MS = 30_000;

export async function startProvenanceTap(
  upstream: string,
  onContradiction: (line: string, contradiction: Contradiction) => void,
  reporter: ProvenanceReporter = provenanceReporter(),
): Promise<ProvenanceTap> {
  const base = new URL(upstream);
  const client = base.protocol === 'https:' ? https : http;
  const prefix = base.pathname.replace(/\/$/, '');
  const server = http.createServer((req, res) => {
    const outgoing = client.request(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: req.method,
        path: prefix + (req.url ?? '/'),
        headers: { ...req.headers, host: base.host },
        timeout: UPSTREAM_TIMEOUT_MS,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => {
          chunks.push(c);
          res.write(c);
        });
        answer.on('end', () => {
          res.end();
          const type = String(answer.headers['content-type'] ?? '');
          let body: unknown;
          if (/json/i.test(type)) {
            try {
              body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              body = undefined;
            }
          }
          for (const c of reporter.observe(req.method ?? 'GET', req.url ?? '/', answer.statusCode ?? 0, body)) {
            onContradiction(formatContradiction(c), c);
          }
        });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('upstream timeout')));
    outgoing.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream unreachable: ${e.message}`);
    });
    req.pipe(outgoing);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
