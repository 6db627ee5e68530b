/** Small real upstreams on loopback: answer who they are, hash request bodies, or answer slowly. */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Upstream {
  url: string;
  /** Request URLs as they arrive (before the answer). */
  received: string[];
  close(): Promise<void>;
}

export async function startUpstream(name: string): Promise<Upstream> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    received.push(req.url ?? '');
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on('end', () => {
      const answer = (): void => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ from: name, method: req.method, url: req.url, bytes, sha256: hash.digest('hex') }));
      };
      if (req.url?.startsWith('/slow')) setTimeout(answer, 800);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A routes.yaml for the process tests; `weight` is the cart route's share. */
export function routesYaml(legacy: string, service: string, weight: number | string, extra = ''): string {
  return `# facade under test
listen:
  host: 127.0.0.1
  port: 0
legacy: ${legacy}   # the monolith
services:
  cart: ${service}
routes:
  # strangling the cart
  - name: cart
    match: { prefix: /api/cart }
    service: cart
    weight: ${weight}   # share moved to the service
healthCheck:
  intervalMs: 60000
admin:
  port: 0
${extra}`;
}
