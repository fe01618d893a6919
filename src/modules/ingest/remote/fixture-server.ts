import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server that plays a recorded API for tests: the real client code talks to it over
 * TCP on 127.0.0.1. Faults (a 502, a rate-limit refusal) can be queued per path to be served once
 * before the real answer.
 */

export interface FixtureRequest {
  method: string;
  url: URL;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type FixtureHandler = (req: FixtureRequest, server: FixtureServer) => FixtureResponse | undefined;

export interface FixtureServer {
  url: string;
  /** Every request served, in order (path with query). */
  log: { method: string; path: string; status: number }[];
  /** Serves `response` (once each) to the next requests whose pathname equals `pathname`. */
  queueFault(pathname: string, ...responses: FixtureResponse[]): void;
  close(): Promise<void>;
}

export async function startFixtureServer(handler: FixtureHandler): Promise<FixtureServer> {
  const faults = new Map<string, FixtureResponse[]>();
  const log: FixtureServer['log'] = [];
  // eslint-disable-next-line prefer-const -- assigned once the socket is bound
  let self: FixtureServer;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', self.url);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const queued = faults.get(url.pathname);
      let answer = queued?.shift();
      if (!answer) {
        try {
          answer = handler({ method: req.method ?? 'GET', url, body, headers: req.headers }, self) ?? {
            status: 404,
            body: { message: 'Not Found' },
          };
        } catch (error) {
          answer = { status: 500, body: { message: (error as Error).message } };
        }
      }
      const status = answer.status ?? 200;
      log.push({ method: req.method ?? 'GET', path: url.pathname + url.search, status });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  self = {
    url: `http://127.0.0.1:${port}`,
    log,
    queueFault(pathname, ...responses) {
      faults.set(pathname, [...(faults.get(pathname) ?? []), ...responses]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
  return self;
}

/** Serves `items` in pages of `size` with a GitHub-style `Link` header (page numbers in the query). */
export function linkPaged<T>(req: FixtureRequest, base: string, items: T[], size: number): FixtureResponse {
  const page = Number(req.url.searchParams.get('page') ?? '1');
  const slice = items.slice((page - 1) * size, page * size);
  const last = Math.max(1, Math.ceil(items.length / size));
  const link = (p: number) => {
    const u = new URL(req.url.toString().replace(req.url.origin, base));
    u.searchParams.set('page', String(p));
    return u.toString();
  };
  const rels: string[] = [];
  if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
  return { body: slice, headers: rels.length ? { link: rels.join(', ') } : {} };
}
