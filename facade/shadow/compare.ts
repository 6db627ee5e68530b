/**
 * The body half of a shadow comparison: decode both bodies (gzip, deflate, br; capped output),
 * then byte-equal, else JSON diff with ignored paths, else one "body" difference. Runs on the
 * comparison worker thread (compare-worker.ts), never on the proxy's event loop: parsing and
 * diffing two 1 MiB JSON bodies measured 25–70 ms on this machine.
 *
 * Decoding goes through zlib's async streams, in steps of DECODE_STEP_BYTES of output (each
 * ~0.1 ms of CPU on libuv's threadpool): for bodies equal once decoded, the common case, a step is
 * the longest the comparison holds a CPU the proxy shares (bodies that differ are parsed whole, and
 * JSON.parse cannot be cut into steps). One synchronous decode of a 1 MiB body held it for 1.5–3 ms: even at SCHED_IDLE, Linux's
 * EEVDF scheduler hands the CPU to the comparer whenever the proxy's thread has run ahead of it in
 * virtual time, and takes it back only at the next tick (4 ms at HZ=250). `perf sched` on
 * bench:facade's 1 MiB pair showed the proxy's thread waiting behind such 3 ms runs; see
 * docs/facade.md. A comparer runs one step at a time (one job, one body), so the two comparers
 * (the proxy thread's and the shadow worker's) take at most two of libuv's four threads, and the
 * proxy's own fs and dns calls keep the others.
 */
import { createBrotliDecompress, createGunzip, createInflate, type BrotliOptions, type ZlibOptions } from 'node:zlib';
import type { Transform } from 'node:stream';
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

/** Output bytes per decoding step: ~0.1 ms of zlib's time for JSON (smaller steps cost more in all, 16 KB: +60 %). */
const DECODE_STEP_BYTES = 64 * 1024;

const decoders: Record<string, (o: ZlibOptions & BrotliOptions) => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** A body decoded, as the pieces the decoder gave (joined only if a JSON diff needs the whole). */
class Decoded {
  constructor(
    readonly pieces: readonly Buffer[],
    readonly length: number,
  ) {}

  whole(): Buffer {
    return this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.length);
  }

  equals(other: Decoded): boolean {
    return this.length === other.length && samePieces(this.pieces, other.pieces);
  }
}

function decode(body: Uint8Array, encoding: string): Promise<Decoded> {
  const enc = encoding.trim().toLowerCase();
  const raw = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (enc === '' || enc === 'identity') return Promise.resolve(new Decoded([raw], raw.length));
  const create = decoders[enc];
  if (create === undefined) return Promise.reject(new Error(`unsupported content-encoding ${enc}`));
  return new Promise((resolve, reject) => {
    const stream = create({ chunkSize: DECODE_STEP_BYTES });
    const pieces: Buffer[] = [];
    let length = 0;
    stream.on('data', (piece: Buffer) => {
      length += piece.length;
      if (length > MAX_DECODED_BYTES) stream.destroy(new Error(`decoded body over ${MAX_DECODED_BYTES} bytes`));
      else pieces.push(piece);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(new Decoded(pieces, length)));
    stream.end(raw);
  });
}

/** Byte-equal, for two lists of pieces of the same total length cut at different places. */
function samePieces(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  let i = 0;
  let j = 0;
  let ai = 0;
  let bj = 0;
  while (i < a.length && j < b.length) {
    const n = Math.min(a[i].length - ai, b[j].length - bj);
    if (a[i].compare(b[j], bj, bj + n, ai, ai + n) !== 0) return false;
    ai += n;
    bj += n;
    if (ai === a[i].length) {
      i++;
      ai = 0;
    }
    if (bj === b[j].length) {
      j++;
      bj = 0;
    }
  }
  return true;
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
export async function compareBodies(job: BodyJob): Promise<DiffResult | null> {
  // One body at a time: the steps of a comparison never run side by side on libuv's threads.
  let a: Decoded;
  try {
    a = await decode(job.legacy, job.legacyEncoding);
  } catch {
    return null;
  }
  let b: Decoded;
  try {
    b = await decode(job.shadow, job.shadowEncoding);
  } catch (err) {
    return { count: 1, samples: [{ path: 'body', legacy: preview(a.pieces[0], a.length), shadow: `(cannot decode: ${(err as Error).message})` }] };
  }
  if (a.equals(b)) return { count: 0, samples: [] }; // the common case, and no parsing needed
  const wa = a.whole();
  const wb = b.whole();
  const ja = parseJson(wa);
  const jb = parseJson(wb);
  if (ja !== NOT_JSON && jb !== NOT_JSON) return diffJson(ja, jb, ignoreList(job.ignore));
  return { count: 1, samples: [{ path: 'body', legacy: preview(wa, wa.length), shadow: preview(wb, wb.length) }] };
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

/** The body's first bytes (`first`: its first piece, if any), and its length when longer. */
function preview(first: Buffer | undefined, length: number): string {
  const s = (first ?? Buffer.alloc(0)).subarray(0, 120).toString('utf8');
  return length > 120 ? `${s}… (${length} bytes)` : s;
}
