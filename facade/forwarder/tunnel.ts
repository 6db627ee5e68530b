/**
 * WebSocket (and any HTTP/1.1 upgrade) forwarding by raw socket piping: the handshake is
 * re-written to the upstream with the facade's headers, then bytes flow both ways untouched,
 * so the upstream's 101 (or refusal) reaches the client as sent.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Instance } from '../upstreams/cluster';

export interface TunnelRequest {
  method: string;
  path: string;
  headers: string[];
  head: Buffer;
}

/**
 * Opens the tunnel; `onConnectFailure` is called (and nothing written to the client) when the
 * upstream cannot be reached, so the caller can try another side.
 */
export function openTunnel(inst: Instance, r: TunnelRequest, client: Duplex, timeoutMs: number, onConnectFailure: (err: Error) => void, onOpen: () => void): void {
  const upstream = inst.tls
    ? tls.connect({ host: inst.host, port: inst.port, servername: net.isIP(inst.host) ? undefined : inst.host })
    : net.connect({ host: inst.host, port: inst.port });
  let connected = false;
  upstream.setTimeout(timeoutMs, () => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' })));
  upstream.once(inst.tls ? 'secureConnect' : 'connect', () => {
    connected = true;
    upstream.setTimeout(0);
    if (client.destroyed) return upstream.destroy();
    const hostHeader = inst.host.includes(':') ? `[${inst.host}]:${inst.port}` : `${inst.host}:${inst.port}`;
    let head = `${r.method} ${inst.basePath}${r.path} HTTP/1.1\r\nhost: ${hostHeader}\r\n`;
    for (let i = 0; i < r.headers.length; i += 2) head += `${r.headers[i]}: ${r.headers[i + 1]}\r\n`;
    upstream.write(head + '\r\n');
    if (r.head.length > 0) upstream.write(r.head);
    upstream.pipe(client);
    client.pipe(upstream);
    onOpen();
  });
  upstream.on('error', (err) => {
    if (!connected) onConnectFailure(err);
    else client.destroy();
  });
  upstream.on('close', () => {
    if (connected) client.destroy();
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
}
