/** What the client sees when the facade itself must answer. */
import type { ServerResponse } from 'node:http';

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
  const body = JSON.stringify({ error: { code, message, requestId } });
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
  return status;
}

/** Timeouts are 504; every other transport failure is 502. */
export function errorCodeOf(err: Error): { code: FacadeErrorCode; detail: string } {
  const detail = (err as { code?: string }).code ?? err.name;
  if (detail === 'UND_ERR_HEADERS_TIMEOUT' || detail === 'UND_ERR_BODY_TIMEOUT' || detail === 'UND_ERR_CONNECT_TIMEOUT') {
    return { code: 'upstream_timeout', detail };
  }
  return { code: 'upstream_unavailable', detail };
}
