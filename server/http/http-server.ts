import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';

/** Node's default is 16 KB; a 64 KB Authorization must reach the APIs to get their own 401. */
export const DEFAULT_MAX_HEADER_BYTES = 96 * 1024;

/** Scheme and authority of an absolute-form target; the rest is the path and query as sent. */
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/** A request Node could not parse names no API, so it gets no API's shape. */
const BAD_REQUEST = '{"error":"bad_request"}';

/**
 * The HTTP server `npm start` listens with. Headers up to `maxHeaderBytes` reach the APIs (an
 * oversized credential is each API's own 401). Beyond it Node parses nothing, so no API can be
 * told: the answer is a 431 without a body (as every spec declares it) and with `Connection: close`,
 * written before the socket is closed gracefully (the rest of the request is read and dropped, so
 * the client sees the 431, not a reset).
 */
export function createHttpServer(app: Express, { maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES } = {}): Server {
  const server = createServer({ maxHeaderSize: maxHeaderBytes }, (req, res) => {
    // A request line in absolute form (`GET http://host/v1/... HTTP/1.1`, as proxies send) must be
    // accepted (RFC 9112, 3.2.2); the routes and the spec's paths know the origin form only.
    if (req.url && ABSOLUTE_FORM.test(req.url)) {
      const rest = req.url.replace(ABSOLUTE_FORM, '');
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
    }
    app(req, res);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(
      err.code === 'HPE_HEADER_OVERFLOW'
        ? 'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
        : `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${BAD_REQUEST.length}\r\nConnection: close\r\n\r\n${BAD_REQUEST}`,
    );
    // Keep reading what the client still sends, so closing does not turn into a TCP reset.
    socket.on('data', () => {});
    socket.resume();
    setTimeout(() => socket.destroy(), 5000).unref();
  });
  return server;
}
