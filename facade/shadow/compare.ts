/**
 * The body half of a shadow comparison: decode both bodies (gzip, deflate, br; capped output),
 * then byte-equal, else JSON diff with ignored paths, else one "body" difference. Runs on the
 * comparison worker thread (compare-worker.ts), never on the proxy's event loop: parsing and
 * diffing two 1 MiB JSON bodies measured 25–70 ms on this machine. Decoding is synchronous here on
 * purpose: the worker runs at the lowest CPU priority, and zlib's async API would move the work
 * to libuv's threadpool, shared with the event loop's fs and dns calls, at normal priority.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { compileIgnore, diffJson, type DiffResult, type IgnoreList } from './diff';

/** What the worker is sent: both bodies as received, their content-encodings, the ignore patterns. */
export interface BodyJob {
  legacy: Uint8Array;
  legacyEncoding: string;
  shadow: Uint8Array;
  shadowEncoding: string;
  ignore: readonly string[];
}

/** A decompressed body may not exceed this (a small compressed body can expand enormously). */
const MAX_DECODED_BYTES = 8 * 1024 * 1024;

const decoders: Record<string, (b: Uint8Array, o: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

function decode(body: Uint8Array, encoding: string): Buffer {
  const enc = encoding.trim().toLowerCase();
  if (enc === '' || enc === 'identity') return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const decoder = decoders[enc];
  if (decoder === undefined) throw new Error(`unsupported content-encoding ${enc}`);
  return decoder(body, { maxOutputLength: MAX_DECODED_BYTES });
}

const compiled = new Map<string, IgnoreList>();

function ignoreList(patterns: readonly string[]): IgnoreList {
  const key = patterns.join('\n');
  let list = compiled.get(key);
  if (list === undefined) {
    list = compileIgnore(patterns);
    if (compiled.size > 256) compiled.clear();
    compiled.set(key, list);
  }
  return list;
}

/** `null`: legacy's body cannot be read (nothing to hold the service to). */
export function compareBodies(job: BodyJob): DiffResult | null {
  let a: Buffer;
  try {
    a = decode(job.legacy, job.legacyEncoding);
  } catch {
    return null;
  }
  let b: Buffer;
  try {
    b = decode(job.shadow, job.shadowEncoding);
  } catch (err) {
    return { count: 1, samples: [{ path: 'body', legacy: preview(a), shadow: `(cannot decode: ${(err as Error).message})` }] };
  }
  if (a.equals(b)) return { count: 0, samples: [] }; // the common case, and no parsing needed
  const ja = parseJson(a);
  const jb = parseJson(b);
  if (ja !== NOT_JSON && jb !== NOT_JSON) return diffJson(ja, jb, ignoreList(job.ignore));
  return { count: 1, samples: [{ path: 'body', legacy: preview(a), shadow: preview(b) }] };
}

const NOT_JSON = Symbol('not json');

function parseJson(b: Buffer): unknown {
  const first = b.length > 0 ? String.fromCharCode(b[0]) : '';
  if (b.length === 0 || !'{["-0123456789tfn \n\r\t'.includes(first)) return NOT_JSON;
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

function preview(b: Buffer): string {
  const s = b.subarray(0, 120).toString('utf8');
  return b.length > 120 ? `${s}… (${b.length} bytes)` : s;
}
