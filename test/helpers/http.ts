import { type Agent, request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Source address on the loopback (127.0.0.2, …): another client as the server sees it. */
  localAddress?: string;
  agent?: Agent;
  /** The request target as sent, e.g. absolute form (`http://host/path`); default the URL's path. */
  target?: string;
}

/** One request through node:http, which (unlike fetch) can pick its source address and agent. */
export function rawRequest(url: string, options: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      ...(options.agent ? { agent: options.agent } : {}),
      ...(options.target ? { path: options.target } : {}),
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
