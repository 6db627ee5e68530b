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
 * Reads the upstream's answer to the handshake. Only a 101 turns the connection into a two-way
 * tunnel; any other answer is relayed (head and a Content-Length body) and both sockets closed,
 * so the client can never send further requests straight to the upstream, past routing.
 */
function awaitHandshake(upstream: net.Socket, client: Duplex, onOpen: () => void): void {
  let buffered: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) {
      if (buffered.length > 64 * 1024) {
        upstream.destroy();
        client.destroy();
      }
      return;
    }
    upstream.off('data', onData);
    const head = buffered.subarray(0, end + 4).toString('latin1');
    if (/^HTTP\/1\.[01] 101 /.test(head)) {
      upstream.setTimeout(0);
      client.write(buffered);
      upstream.pipe(client);
      client.pipe(upstream);
      onOpen();
      return;
    }
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const body = buffered.subarray(end + 4);
    const want = length ? Number(length[1]) : 0;
    client.write(buffered.subarray(0, end + 4 + Math.min(want, body.length)));
    if (body.length >= want) return finish();
    let left = want - body.length;
    upstream.on('data', (more: Buffer) => {
      client.write(more.subarray(0, left));
      left -= Math.min(left, more.length);
      if (left === 0) finish();
    });
    function finish() {
      client.end();
      upstream.destroy();
    }
  };
  upstream.on('data', onData);
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
    connected = true; // the timeout stays armed until the handshake is answered
    if (client.destroyed) return upstream.destroy();
    const hostHeader = inst.host.includes(':') ? `[${inst.host}]:${inst.port}` : `${inst.host}:${inst.port}`;
    let head = `${r.method} ${inst.basePath}${r.path} HTTP/1.1\r\nhost: ${hostHeader}\r\n`;
    for (let i = 0; i < r.headers.length; i += 2) head += `${r.headers[i]}: ${r.headers[i + 1]}\r\n`;
    upstream.write(head + '\r\n');
    if (r.head.length > 0) upstream.write(r.head);
    awaitHandshake(upstream, client, onOpen);
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
