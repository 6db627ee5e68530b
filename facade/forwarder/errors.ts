/** What the client sees when the facade itself must answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FacadeErrorCode =
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'payload_too_large'
  | 'bad_request_target'
  | 'bad_request';

const STATUS: Record<FacadeErrorCode, number> = {
  upstream_unavailable: 502,
  upstream_timeout: 504,
  payload_too_large: 413,
  bad_request_target: 400,
  bad_request: 400,
};

export function sendError(res: ServerResponse, code: FacadeErrorCode, message: string, requestId: string, close = false): number {
  const status = STATUS[code];
  if (res.headersSent) {
    res.destroy();
    return status;
  }
  const body = errorHead(res, status, code, message, requestId, close);
  res.end(body);
  return status;
}

function errorHead(res: ServerResponse, status: number, code: FacadeErrorCode, message: string, requestId: string, close: boolean): string {
  const body = JSON.stringify({ error: { code, message, requestId } });
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  return body;
}

/** How long and how much of a refused body is read and dropped after the answer, before the connection is closed. */
export interface Linger {
  ms: number;
  bytes: number;
}

/**
 * Answers a request whose body the facade will not read (413) while the client may still be
 * sending it, and closes in stages as RFC 9112 §9.6 describes: the whole answer, then a half-close
 * (FIN), then the rest of the body is read and dropped until the client ends it or closes, for at
 * most `linger.ms` and `linger.bytes`; only then is the socket closed. Closing at once would leave
 * unread bytes in the kernel, which answers them with a reset, and a client still writing its body
 * then reports EPIPE or ECONNRESET instead of the 413 it was sent.
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, code: FacadeErrorCode, message: string, requestId: string, linger: Linger): number {
  const socket = req.socket;
  // Already answering, or (pipelined) not this response's turn on the socket: no staged close possible.
  if (res.headersSent || res.socket !== socket || req.complete) return sendError(res, code, message, requestId, true);
  res.write(errorHead(res, STATUS[code], code, message, requestId, true));
  socket.end();
  let drained = 0;
  const close = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(close, linger.ms);
  socket.once('close', () => clearTimeout(timer));
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > linger.bytes) close();
  });
  // The body has ended: nothing unread is left, so closing sends no reset; the answer and the FIN leave first.
  req.once('end', () => (socket.writableFinished ? close() : socket.once('finish', close)));
  req.resume();
  return STATUS[code];
}

/** Timeouts are 504; every other transport failure is 502. */
export function errorCodeOf(err: Error): { code: FacadeErrorCode; detail: string } {
  const detail = (err as { code?: string }).code ?? err.name;
  if (detail === 'UND_ERR_HEADERS_TIMEOUT' || detail === 'UND_ERR_BODY_TIMEOUT' || detail === 'UND_ERR_CONNECT_TIMEOUT') {
    return { code: 'upstream_timeout', detail };
  }
  return { code: 'upstream_unavailable', detail };
}
