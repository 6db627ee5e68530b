/** The `request` listener: validate the target, route on the normalized path, hand over to an Exchange. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sendError } from '../forwarder/errors';
import { clientAddress, peerAddress, upstreamHeaders } from '../forwarder/headers';
import { normalizeTarget } from '../routing/normalize';
import { Exchange, type Shared } from './exchange';
import type { Snapshot } from './snapshot';

export function handleRequest(snap: Snapshot, shared: Shared, req: IncomingMessage, res: ServerResponse): void {
  const target = normalizeTarget(req.url);
  if (target === null || req.method === 'CONNECT') {
    // Absolute-form (`GET http://elsewhere/`), authority-form (CONNECT) and ambiguous paths:
    // the facade is not an open proxy and never guesses what a path means.
    const id = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : randomUUID();
    sendError(res, 'bad_request_target', 'request target must be an origin-form path without "..", encoded "/" or "\\"', id, true);
    snap.metrics.refused(req.method === 'CONNECT' ? 'connect' : req.url?.startsWith('/') ? 'bad_path' : 'not_origin_form');
    return;
  }
  const peer = peerAddress(req);
  const decision = snap.table.decide(req.method!, target.path, req.headers, clientAddress(req, peer, snap.trusted));
  const rt = decision.route === null ? snap.unmatched : snap.routes[decision.route.index];
  const fwd = upstreamHeaders(req, peer, snap.trusted);
  const path = target.query === '' ? target.path : target.path + target.query;
  new Exchange(snap, shared, req, res, decision.route, rt, decision.side, path, fwd).run();
}
