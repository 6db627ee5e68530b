/**
 * One side's answer as a shadow comparison keeps it: status, the compared headers, the
 * content-encoding and a capped copy of the body. Legacy's is taken on the proxy's thread (a tee
 * of the user's response), the service's on the shadow worker; both with these same rules.
 */

export interface Captured {
  status: number;
  /** The compared headers, repeated ones joined with ", " (RFC 9110 §5.3), the same way on both sides. */
  headers: Record<string, string>;
  encoding: string;
  /**
   * The body so far, copied out of each chunk as it arrives into one buffer (sized from
   * Content-Length when there is one), which is then moved to a worker as it is: the socket
   * reads' own buffers are not kept alive until the comparison, and nothing is joined afterwards.
   */
  body: Uint8Array | null;
  size: number;
  /** Declared length, or -1. */
  declared: number;
  truncated: boolean;
  /** Bodies above this size are not kept (compared on status and headers only). */
  cap: number;
  error: string | null;
}

export function failed(error: string): Captured {
  return { status: 0, headers: {}, encoding: '', body: null, size: 0, declared: -1, truncated: false, cap: 0, error };
}

/** One rule for both sides: the compared headers (repeated ones joined with ", ") and the content-encoding. */
export function capture(status: number, rawHeaders: Buffer[], wanted: readonly string[], cap: number): Captured {
  const headers: Record<string, string> = {};
  let encoding = '';
  let declared = -1;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toString('latin1').toLowerCase();
    if (name === 'content-encoding') encoding = rawHeaders[i + 1].toString('latin1').trim().toLowerCase();
    else if (name === 'content-length') declared = Number(rawHeaders[i + 1].toString('latin1'));
    if (wanted.includes(name)) {
      const value = rawHeaders[i + 1].toString('latin1');
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
  }
  // A body declared over the cap is not kept at all.
  return { status, headers, encoding, body: null, size: 0, declared, truncated: declared > cap, cap, error: null };
}

export function add(c: Captured, chunk: Uint8Array): void {
  if (c.truncated) return;
  const size = c.size + chunk.length;
  if (size > c.cap) {
    c.truncated = true;
    c.body = null;
    return;
  }
  let body = c.body;
  if (body === null || size > body.length) {
    // Sized once from Content-Length; without one, doubling (at most to the cap).
    const grown = new Uint8Array(size <= c.declared ? c.declared : Math.min(c.cap, Math.max(size, 2 * (body?.length ?? 8192))));
    if (body !== null) grown.set(body.subarray(0, c.size));
    c.body = body = grown;
  }
  body.set(chunk, c.size);
  c.size = size;
}

/** The body in a buffer of its own (as received, usually: sized from Content-Length), so it can move to a worker. */
export function ownBody(c: Captured): void {
  if (c.body === null) return;
  const view = c.body.subarray(0, c.size);
  c.body = view.byteLength === view.buffer.byteLength ? view : view.slice();
}

export function bodyOf(c: Captured): Uint8Array {
  return c.body === null ? new Uint8Array(0) : c.body.subarray(0, c.size);
}

export function sameBytes(a: Captured, b: Captured): boolean {
  return a.size === b.size && Buffer.compare(bodyOf(a), bodyOf(b)) === 0;
}
