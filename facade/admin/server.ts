/** Binds the admin app to its own port and closes it without waiting forever on idle keep-alive sockets. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface AdminServer {
  address: AddressInfo;
  close(): Promise<void>;
}

export function listenAdmin(app: Express, host: string, port: number): Promise<AdminServer> {
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        address: server.address() as AddressInfo,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
            // admin requests are short; anything still open after a second is abandoned
            setTimeout(() => server.closeAllConnections(), 1000).unref();
          }),
      });
    });
  });
}
