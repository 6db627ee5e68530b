/** The shadow body comparison on its worker thread: results, the bounded queue, the decoders. */
import { readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { BodyComparer } from '../shadow/comparer';
import { diffJson, compileIgnore } from '../shadow/diff';

const bytes = (s: string | Buffer) => new Uint8Array(Buffer.from(s));

describe('BodyComparer', () => {
  let comparer: BodyComparer;
  beforeEach(() => (comparer = new BodyComparer(2)));
  afterEach(() => comparer.close());

  it('decodes gzip, deflate and br before comparing, and diffs JSON with ignored paths', async () => {
    const legacy = JSON.stringify({ id: 1, at: 'now', items: [{ q: 1 }, { q: 2 }] });
    const shadow = JSON.stringify({ id: 1, at: 'later', items: [{ q: 1 }, { q: 3 }] });
    for (const [encoding, encode] of [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const) {
      const r = await comparer.compare({ legacy: bytes(encode(legacy)), legacyEncoding: encoding, shadow: bytes(shadow), shadowEncoding: '', ignore: ['$.at'] });
      expect(r).toEqual({ count: 1, samples: [{ path: '$.items[1].q', legacy: 2, shadow: 3 }] });
    }
    expect(await comparer.compare({ legacy: bytes(gzipSync(legacy)), legacyEncoding: 'gzip', shadow: bytes(legacy), shadowEncoding: 'identity', ignore: [] })).toEqual({ count: 0, samples: [] });
  });

  it('says a service body that cannot be decoded differs, and that an unreadable legacy body is not a finding', async () => {
    expect(await comparer.compare({ legacy: bytes('{}'), legacyEncoding: '', shadow: bytes('not gzip'), shadowEncoding: 'gzip', ignore: [] })).toMatchObject({ count: 1, samples: [{ path: 'body' }] });
    expect(await comparer.compare({ legacy: bytes('not gzip'), legacyEncoding: 'gzip', shadow: bytes('{}'), shadowEncoding: '', ignore: [] })).toBeNull();
  });

  it('refuses a job while its queue is full, and takes one again once a job is answered', async () => {
    const job = () => ({ legacy: bytes('[1]'), legacyEncoding: '', shadow: bytes('[2]'), shadowEncoding: '', ignore: [] });
    const first = comparer.compare(job());
    const second = comparer.compare(job());
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(comparer.compare(job())).toBeNull();
    await Promise.all([first, second]);
    expect(await comparer.compare(job())).toEqual({ count: 1, samples: [{ path: '$[0]', legacy: 1, shadow: 2 }] });
  });

  it('compares two 1 MiB JSON bodies like the in-process diff does', async () => {
    const items = Array.from({ length: 18_000 }, (_, i) => ({ id: i, name: `product ${i}`, price: i / 4, tags: ['a', 'b'] }));
    const a = JSON.stringify({ items });
    const changed = items.map((x) => (x.id % 4000 === 7 ? { ...x, price: -1 } : x));
    const b = JSON.stringify({ items: changed, extra: true });
    expect(a.length).toBeGreaterThan(1024 * 1024);
    const expected = diffJson(JSON.parse(a), JSON.parse(b), compileIgnore([]));
    expect(expected.count).toBe(6); // five prices (ids 7, 4007 … 16007) and the extra key, derived from the change above
    expect(await comparer.compare({ legacy: bytes(gzipSync(a)), legacyEncoding: 'gzip', shadow: bytes(b), shadowEncoding: '', ignore: [] })).toEqual(expected);
  });
});

/** Threads of this process under SCHED_IDLE (policy 5, field 41 of /proc/<pid>/task/<tid>/stat). */
function idleThreads(): string[] {
  return readdirSync('/proc/self/task').filter((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // field 3 onwards; the name may hold spaces
    return fields[41 - 3] === '5';
  });
}

describe('the comparison thread', () => {
  it('moves itself to SCHED_IDLE, so a waking proxy thread takes the CPU from it at once', async () => {
    const before = idleThreads();
    const comparer = new BodyComparer(1);
    try {
      expect(await comparer.compare({ legacy: bytes('[1]'), legacyEncoding: '', shadow: bytes('[1]'), shadowEncoding: '', ignore: [] })).toEqual({ count: 0, samples: [] });
      const now = idleThreads();
      expect(now.filter((tid) => !before.includes(tid))).toHaveLength(1);
      expect(now).not.toContain(String(process.pid)); // the calling thread keeps its priority
    } finally {
      await comparer.close();
    }
  });
});
