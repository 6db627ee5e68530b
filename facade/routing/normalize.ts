/**
 * Request-target normalization. Routing decisions are made on the path the upstream will see, so
 * the path is normalized once and the normalized form is both routed on and forwarded:
 * duplicate slashes collapse, `.` and `..` segments (also percent-encoded, `%2e%2e`) are resolved,
 * and targets that cannot be made unambiguous are refused (null → 400):
 * `..` climbing above the root, an encoded `/` or `\` inside a segment (`%2f`, `%5c`), a raw `\`,
 * an encoded NUL, and anything that is not origin-form (`GET http://evil/` is not an open proxy).
 */

/** Characters whose presence means the slow path must look closer. */
const SUSPICIOUS = /\/\/|\/\.|%|\\/;
const ENCODED_DOT = /%2e/gi;
const FORBIDDEN_ENCODED = /%(2f|5c|00)/i;

export interface Target {
  /** Normalized path, always starting with `/`. */
  path: string;
  /** Query string including its leading `?`, or ''. */
  query: string;
}

export function normalizeTarget(url: string | undefined): Target | null {
  if (!url || url.charCodeAt(0) !== 47 /* / */) return null;
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q);
  if (!SUSPICIOUS.test(rawPath)) return { path: rawPath, query };
  const path = normalizePath(rawPath);
  return path === null ? null : { path, query };
}

export function normalizePath(raw: string): string | null {
  if (raw.includes('\\') || FORBIDDEN_ENCODED.test(raw)) return null;
  const segments = raw.split('/');
  const out: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    const seg = segments[i];
    const plain = seg.includes('%') ? seg.replace(ENCODED_DOT, '.') : seg;
    if (plain === '' && i !== last) continue; // `//` collapses
    if (plain === '.') {
      if (i === last) out.push('');
      continue;
    }
    if (plain === '..') {
      if (out.length === 0) return null; // above the root
      out.pop();
      if (i === last) out.push('');
      continue;
    }
    out.push(seg);
  }
  return '/' + out.join('/');
}
