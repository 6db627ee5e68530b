/** The sticky key: the first configured key present on the request, else the client IP. */
import type { IncomingHttpHeaders } from 'node:http';

export type StickyKey = { header: string } | { cookie: string } | { ip: true };

export function stickyKey(keys: readonly StickyKey[], headers: IncomingHttpHeaders, clientIp: string): string {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if ('header' in k) {
      const v = headers[k.header];
      if (typeof v === 'string' && v !== '') return v;
    } else if ('cookie' in k) {
      const v = cookieValue(headers.cookie, k.cookie);
      if (v) return v;
    } else {
      return clientIp;
    }
  }
  return clientIp;
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  let from = 0;
  while (from < cookieHeader.length) {
    let end = cookieHeader.indexOf(';', from);
    if (end === -1) end = cookieHeader.length;
    const eq = cookieHeader.indexOf('=', from);
    if (eq !== -1 && eq < end && cookieHeader.slice(from, eq).trim() === name) {
      return cookieHeader.slice(eq + 1, end).trim();
    }
    from = end + 1;
  }
  return undefined;
}
