/** Small real upstreams on loopback that say who answered and record what they received. */
import http from 'node:http';
import net from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestUpstream {
  name: string;
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

export type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | void;

/** Answers `{ from: name, method, url }`; `answer` may take over a request by returning true. */
export async function testUpstream(name: string, answer?: Answer): Promise<TestUpstream> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (answer?.(req, res)) return;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ from: name, method: req.method, url: req.url }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
