import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Logger } from 'pino';

export interface DrainOptions {
  /** Longest wait for open connections after a signal (SHUTDOWN_GRACE_MS). */
  graceMs: number;
  logger?: Logger;
  /** Runs once no connection is left (or the grace ran out); then the process may exit. */
  onDrained(forced: boolean): void | Promise<void>;
}

/**
 * Graceful stop for keep-alive clients. On `drain()`: no new connection is accepted, every response
 * not yet started (in flight or arriving on a connection already open) carries
 * `Connection: close`, so each socket closes as its response ends and its client reconnects
 * elsewhere; nothing already accepted is refused or reset. Idle sockets are not cut while a client
 * may be writing on them: they close by the keep-alive timeout, or at the grace's end.
 */
export function gracefulDrain(server: Server, { graceMs, logger, onDrained }: DrainOptions): () => void {
  const open = new Set<ServerResponse>();
  let draining = false;
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  return function drain() {
    if (draining) return;
    draining = true;
    for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
    let done = false;
    const finish = async (forced: boolean) => {
      if (done) return;
      done = true;
      await onDrained(forced);
    };
    // net.Server's close stops accepting only; http.Server's would also cut idle keep-alive
    // sockets at once, racing a request the client is sending on one.
    NetServer.prototype.close.call(server, () => {
      void finish(false);
    });
    setTimeout(() => {
      logger?.warn({ open: open.size }, 'shutdown grace over: closing the remaining connections');
      server.closeAllConnections();
      void finish(true);
    }, graceMs).unref();
  };
}
