/** Upgrade requests (WebSocket): routed like any request, then tunnelled to the chosen side. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { clientAddress, peerAddress, upstreamHeaders } from '../forwarder/headers';
import { openTunnel } from '../forwarder/tunnel';
import { normalizeTarget } from '../routing/normalize';
import type { Side } from '../routing/table';
import type { Instance } from '../upstreams/cluster';
import type { Shared } from './exchange';
import type { Snapshot } from './snapshot';

export function handleUpgrade(snap: Snapshot, shared: Shared, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  shared.tunnels.add(socket);
  socket.once('close', () => shared.tunnels.delete(socket));
  const started = performance.now();
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return refuse(socket, 400, 'only websocket upgrades are proxied');
  const target = normalizeTarget(req.url);
  if (target === null) return refuse(socket, 400, 'bad request target');
  const peer = peerAddress(req);
  const decision = snap.table.decide(req.method!, target.path, req.headers, clientAddress(req, peer, snap.trusted));
  const rt = decision.route === null ? snap.unmatched : snap.routes[decision.route.index];
  if (decision.route !== null) rt.counters.total++;
  const fwd = upstreamHeaders(req, peer, snap.trusted, true);

  let side: Side = decision.side;
  let inst: Instance | null = null;
  if (side === 'service') {
    inst = rt.cluster?.pick() ?? null;
    if (inst === null || !rt.breaker!.allow()) side = 'legacy';
  }
  const attempt = (s: Side, i: Instance | null) => {
    const chosen = i ?? snap.legacy.pickAny();
    if (chosen === null) return refuse(socket, 502, 'no upstream');
    rt.counters[s]++;
    const cluster = s === 'service' ? rt.cluster! : snap.legacy;
    openTunnel(
      chosen,
      { method: req.method!, path: target.path + target.query, headers: fwd.headers, head },
      socket,
      cluster.timeoutMs,
      (err) => {
        rt.metrics.upstreamError(s, (err as { code?: string }).code ?? err.name);
        if (s === 'service') {
          rt.counters.serviceErrors++;
          rt.breaker!.failure();
          rt.counters.fallbacks++;
          rt.metrics.fallbacks.inc();
          return attempt('legacy', null);
        }
        rt.counters.legacyErrors++;
        refuse(socket, 502, 'upstream unavailable');
      },
      () => {
        if (s === 'service') rt.breaker!.success();
        rt.metrics.answered(s, 101, (performance.now() - started) / 1000);
        shared.logger.debug({ requestId: fwd.requestId, route: rt.name, side: s, path: target.path }, 'websocket tunnel open');
      },
    );
  };
  attempt(side, side === 'service' ? inst : null);
}

function refuse(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: { code: status === 502 ? 'upstream_unavailable' : 'bad_request', message } });
  socket.end(
    `HTTP/1.1 ${status} ${status === 502 ? 'Bad Gateway' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
