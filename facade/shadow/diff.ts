/**
 * Structural JSON diff with ignored paths. Paths are written `$.items[0].id`; ignore patterns use
 * the same syntax with `[*]` (any index) and `.*` (any key); an ignored path hides its subtree.
 */
export interface Difference {
  path: string;
  legacy: unknown;
  shadow: unknown;
}

type Seg = string | number;
type PatternSeg = string | number | typeof ANY;
const ANY = Symbol('any');

export type IgnoreList = PatternSeg[][];

export function compileIgnore(patterns: readonly string[]): IgnoreList {
  return patterns.map(parsePattern);
}

function parsePattern(p: string): PatternSeg[] {
  const segs: PatternSeg[] = [];
  const re = /\.([^.[\]]+)|\[(\*|\d+|'[^']*')\]/g;
  let m: RegExpExecArray | null;
  re.lastIndex = 1; // after `$`
  while ((m = re.exec(p)) !== null) {
    if (m[1] !== undefined) segs.push(m[1] === '*' ? ANY : m[1]);
    else if (m[2] === '*') segs.push(ANY);
    else if (m[2].startsWith("'")) segs.push(m[2].slice(1, -1));
    else segs.push(Number(m[2]));
  }
  return segs;
}

function ignored(path: Seg[], ignore: IgnoreList): boolean {
  outer: for (const pat of ignore) {
    if (pat.length !== path.length) continue;
    for (let i = 0; i < pat.length; i++) {
      const p = pat[i];
      if (p !== ANY && p !== path[i]) continue outer;
    }
    return true;
  }
  return false;
}

export function formatPath(path: Seg[]): string {
  let s = '$';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `['${p}']`;
  return s;
}

export interface DiffResult {
  count: number;
  samples: Difference[];
}

/** Counts every differing leaf; keeps the first `sampleSize` with both values. */
export function diffJson(legacy: unknown, shadow: unknown, ignore: IgnoreList, sampleSize = 5): DiffResult {
  const result: DiffResult = { count: 0, samples: [] };
  walk(legacy, shadow, [], ignore, result, sampleSize);
  return result;
}

/** `path` is one array pushed and popped along the walk (a copy per node made a 1 MiB diff allocation-bound). */
function walk(a: unknown, b: unknown, path: Seg[], ignore: IgnoreList, out: DiffResult, sampleSize: number): void {
  if (ignore.length > 0 && ignored(path, ignore)) return;
  if (a === b) return;
  const aArr = Array.isArray(a);
  const bArr = Array.isArray(b);
  if (aArr && bArr) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      path.push(i);
      walk(a[i], b[i], path, ignore, out, sampleSize);
      path.pop();
    }
    return;
  }
  if (isObject(a) && isObject(b) && !aArr && !bArr) {
    for (const k in a) {
      path.push(k);
      walk(a[k], b[k], path, ignore, out, sampleSize);
      path.pop();
    }
    for (const k in b) {
      if (Object.hasOwn(a, k)) continue;
      path.push(k);
      walk(undefined, b[k], path, ignore, out, sampleSize);
      path.pop();
    }
    return;
  }
  out.count++;
  if (out.samples.length < sampleSize) out.samples.push({ path: formatPath(path), legacy: a === undefined ? '(absent)' : a, shadow: b === undefined ? '(absent)' : b });
  // JSON.parse never yields undefined, so undefined means the key or index is absent on that side.
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
