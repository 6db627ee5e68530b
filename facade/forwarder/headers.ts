/**
 * Header rewriting between client and upstream: hop-by-hop headers removed (RFC 9110 §7.6.1,
 * plus any named in `Connection`), X-Forwarded-For/Proto/Host set (incoming values kept and
 * extended only from trusted proxies, else replaced), a request id kept or generated, and
 * W3C `traceparent`/`tracestate` passed through untouched.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv6 } from 'node:net';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade', 'trailer', 'proxy-authorization', 'proxy-authenticate']);
/** Set by the facade itself, never copied from the client as-is. */
const FORWARDING = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded', 'x-real-ip']);

export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly any: boolean;
  private readonly cache = new Map<string, boolean>();

  constructor(entries: readonly string[]) {
    for (const e of entries) {
      const [addr, bits] = e.split('/');
      const type = isIPv6(addr) ? 'ipv6' : 'ipv4';
      if (bits !== undefined) this.list.addSubnet(addr, Number(bits), type);
      else this.list.addAddress(addr, type);
    }
    this.any = entries.length > 0;
  }

  has(address: string): boolean {
    if (!this.any) return false;
    let v = this.cache.get(address);
    if (v === undefined) {
      try {
        v = this.list.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
      } catch {
        v = false;
      }
      if (this.cache.size < 1024) this.cache.set(address, v);
    }
    return v;
  }
}

export function peerAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

/** The client's address: the peer, or from a trusted peer the nearest untrusted X-Forwarded-For hop. */
export function clientAddress(req: IncomingMessage, peer: string, trusted: TrustedProxies): string {
  if (!trusted.has(peer)) return peer;
  const xff = req.headers['x-forwarded-for'];
  if (typeof xff !== 'string') return peer;
  const hops = xff.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const h = hops[i].trim();
    if (h && !trusted.has(h)) return h;
  }
  return peer;
}

export interface ForwardHeaders {
  headers: string[];
  requestId: string;
}

/**
 * Upstream request headers as a flat [name, value, ...] list. `keepUpgrade` keeps
 * `Connection: upgrade` / `Upgrade` for websocket handshakes.
 */
export function upstreamHeaders(req: IncomingMessage, peer: string, trusted: TrustedProxies, keepUpgrade = false): ForwardHeaders {
  const raw = req.rawHeaders;
  const out: string[] = [];
  const fromTrusted = trusted.has(peer);
  const connection = req.headers.connection;
  const listed = connection && connection !== 'keep-alive' && connection !== 'close' ? connectionTokens(connection) : null;
  let requestId: string | undefined;
  let xff: string | undefined;
  let proto: string | undefined;
  let fhost: string | undefined;
  let host: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1];
    if (HOP_BY_HOP.has(name) || name === 'expect' || name === 'host') {
      if (name === 'host') host = value;
      else if (keepUpgrade && name === 'upgrade') out.push('upgrade', value);
      continue;
    }
    if (listed !== null && listed.has(name)) continue;
    if (FORWARDING.has(name)) {
      if (!fromTrusted) continue;
      if (name === 'x-forwarded-for') xff = xff === undefined ? value : xff + ', ' + value;
      else if (name === 'x-forwarded-proto') proto ??= value;
      else if (name === 'x-forwarded-host') fhost ??= value;
      else out.push(name, value);
      continue;
    }
    if (name === 'x-request-id') {
      if (requestId !== undefined || value === '' || value.length > 200) continue;
      requestId = value;
    }
    out.push(raw[i], value);
  }
  if (requestId === undefined) {
    requestId = randomUUID();
    out.push('x-request-id', requestId);
  }
  out.push('x-forwarded-for', xff === undefined ? peer : xff + ', ' + peer);
  out.push('x-forwarded-proto', proto ?? 'http');
  const h = fhost ?? host;
  if (h !== undefined) out.push('x-forwarded-host', h);
  if (keepUpgrade) out.push('connection', 'upgrade');
  return { headers: out, requestId };
}

/**
 * Response headers for `res.writeHead`: flat list, hop-by-hop removed, request id echoed.
 * `meta.contentLength` receives the declared body length (-1 when none).
 */
export function responseHeaders(raw: Buffer[], requestId: string, meta: { contentLength: number }): string[] {
  meta.contentLength = -1;
  const out: string[] = [];
  let listed: Set<string> | null = null;
  let hasId = false;
  for (let i = 0; i < raw.length; i += 2) {
    const nameRaw = latin1(raw[i]);
    const n = nameRaw.length;
    // Only names as long as a hop-by-hop header, x-request-id or content-length need a look:
    // the others (date, x-served-by, …) skip the lowercasing and the set lookup.
    if (!LOOKED_AT_LENGTHS[n]) {
      out.push(nameRaw, latin1(raw[i + 1]));
      continue;
    }
    const name = nameRaw.toLowerCase();
    if (HOP_BY_HOP.has(name)) {
      if (name === 'connection') {
        const v = latin1(raw[i + 1]);
        if (v !== 'keep-alive' && v !== 'close') listed = connectionTokens(v);
      }
      continue;
    }
    const value = latin1(raw[i + 1]);
    if (name === 'x-request-id') hasId = true;
    else if (name === 'content-length') meta.contentLength = Number(value);
    out.push(nameRaw, value);
  }
  if (listed !== null) {
    // Rare: the upstream named extra hop-by-hop headers in Connection.
    for (let i = out.length - 2; i >= 0; i -= 2) if (listed.has(out[i].toLowerCase())) out.splice(i, 2);
  }
  if (!hasId) out.push('x-request-id', requestId);
  return out;
}

/**
 * Header bytes as a latin-1 string, reusing the string decoded last time from the same bytes: an
 * upstream sends the same names, and mostly the same values (content-type, date within a second,
 * keep-alive), on every response. A small direct-mapped cache; a slot holds the string itself,
 * whose char codes are the bytes, so checking a hit needs no copy of the bytes. Decoding twelve
 * header strings per response was 2 % of the facade's CPU; a hit costs about a third of a decode.
 */
const LATIN1_SLOTS = 256;
const latin1Cache: string[] = new Array<string>(LATIN1_SLOTS).fill('');

export function latin1(b: Buffer): string {
  const n = b.length;
  if (n === 0 || n > 128) return b.toString('latin1');
  const slot = (n * 7 + b[0] * 31 + b[n - 1] * 17 + b[n >> 1]) & (LATIN1_SLOTS - 1);
  const s = latin1Cache[slot];
  if (s.length === n) {
    let i = n - 1; // from the end: dates and counters differ in their last characters
    while (i >= 0 && s.charCodeAt(i) === b[i]) i--;
    if (i < 0) return s;
  }
  const fresh = b.toString('latin1');
  latin1Cache[slot] = fresh;
  return fresh;
}

/** Indexed by name length: true for the lengths of HOP_BY_HOP names, x-request-id and content-length. */
const LOOKED_AT_LENGTHS: boolean[] = [];
for (const n of [...HOP_BY_HOP, 'x-request-id', 'content-length']) LOOKED_AT_LENGTHS[n.length] = true;
for (let i = 0; i < 64; i++) LOOKED_AT_LENGTHS[i] ??= false;

function connectionTokens(v: string): Set<string> {
  const s = new Set<string>();
  for (const t of v.split(',')) {
    const n = t.trim().toLowerCase();
    if (n) s.add(n);
  }
  return s;
}
