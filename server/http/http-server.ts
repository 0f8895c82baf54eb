import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';

/** Node's default is 16 KB; a 64 KB Authorization must reach the APIs to get their own 401. */
export const DEFAULT_MAX_HEADER_BYTES = 96 * 1024;

const TOO_LARGE = JSON.stringify({
  error: 'request_header_fields_too_large',
  message: 'The request headers are larger than this server accepts.',
});

/**
 * The HTTP server `npm start` listens with. Headers up to `maxHeaderBytes` reach the APIs (an
 * oversized credential is each API's own 401). Beyond it Node parses nothing, so no API can be
 * told: the answer is a plain 431 with `Connection: close`, written before the socket is closed
 * gracefully (the rest of the request is read and dropped, so the client sees the 431, not a reset).
 */
export function createHttpServer(app: Express, { maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES } = {}): Server {
  const server = createServer({ maxHeaderSize: maxHeaderBytes }, app);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = err.code === 'HPE_HEADER_OVERFLOW' ? TOO_LARGE : '{"error":"bad_request"}';
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    // Keep reading what the client still sends, so closing does not turn into a TCP reset.
    socket.on('data', () => {});
    socket.resume();
    setTimeout(() => socket.destroy(), 5000).unref();
  });
  return server;
}
