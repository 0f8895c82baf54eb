/** Ceiling (2): express, no validator, no store: the recorded bytes of each path from memory. */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';

const bodies = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Record<string, string>;
const app = express();
app.disable('x-powered-by');
app.use((req, res) => {
  const body = bodies[req.originalUrl];
  if (body === undefined) {
    res.status(404).end();
    return;
  }
  res.json(JSON.parse(body));
});
const server = app.listen(0, '127.0.0.1', () =>
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`),
);
