/**
 * The viewer's server (express, on 127.0.0.1 by default): the page, the report at GET /api/report,
 * and with --watch a stream of updates at GET /api/events (server-sent events).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { viewerPage } from './page';
import type { Problem, ReportSource, Update } from './source';

export interface ViewServerOptions {
  source: ReportSource;
  host?: string;
  port?: number;
  /** Send updates to the page (server-sent events). */
  watch?: boolean;
}

export interface ViewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The error a caller can turn into a message: the port is taken, or the address cannot be used. */
export class ListenError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

export function viewerApp(options: ViewServerOptions): express.Express {
  const { source } = options;
  const app = express();
  app.disable('x-powered-by');
  // A page on another site could point a DNS name at 127.0.0.1 and read the report; only our own names get an answer.
  app.use((req, res, next) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (options.host && !isLoopback(options.host)) return next();
    if (isLoopback(host) || host === 'localhost') return next();
    res.status(403).type('text').send(`strangler view: requests for host '${host}' are not served (open http://127.0.0.1:<port>/)\n`);
  });

  let page: string | undefined;
  app.get('/', (_req, res) => {
    page ??= viewerPage({ events: options.watch ? 'api/events' : undefined });
    res.type('html').set('cache-control', 'no-store').send(page);
  });

  app.get('/api/report', (_req, res) => {
    const json = source.json;
    if (json === null) {
      res.status(503).json({ error: source.lastProblem?.message ?? 'no report yet', problems: source.lastProblem?.problems ?? [] });
      return;
    }
    res.type('json').set('cache-control', 'no-store').send(json);
  });

  app.get('/api/events', (req: Request, res: Response) => {
    if (!options.watch) {
      res.status(404).json({ error: 'not watching: start `strangler view` with --watch' });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    const onReport = (_u: Update, json: string): void => void res.write(`event: report\ndata: ${json}\n\n`);
    const onProblem = (p: Problem): void => void res.write(`event: problem\ndata: ${JSON.stringify(p)}\n\n`);
    if (source.lastProblem) onProblem(source.lastProblem);
    source.on('report', onReport);
    source.on('problem', onProblem);
    // a comment now and then keeps proxies and idle timeouts from closing the stream
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(ping);
      source.off('report', onReport);
      source.off('problem', onProblem);
    });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found: the viewer is at / and the report at /api/report' });
  });
  return app;
}

export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer(viewerApp(options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${host}:${options.port ?? 4000}`;
      if (err.code === 'EADDRINUSE') reject(new ListenError(`port ${options.port} is in use on ${host}; pass --port N (0 picks a free one)`, err.code));
      else if (err.code === 'EACCES') reject(new ListenError(`not allowed to listen on ${where}; pick a port above 1023`, err.code));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new ListenError(`cannot listen on ${where}: no such local address`, err.code));
      else reject(err);
    });
    server.listen(options.port ?? 4000, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
