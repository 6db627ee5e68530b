/** The shadow body comparison on its worker thread: results, the bounded queue, the decoders. */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { BodyComparer } from '../shadow/comparer';
import { diffJson, compileIgnore } from '../shadow/diff';
import { idleThreads } from './helpers';

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

  it('finds two 1 MiB bodies equal whatever their encodings cut them into, and one changed byte past the first decoded piece', async () => {
    const text = JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `product ${i}` })) });
    expect(text.length).toBeGreaterThan(512 * 1024);
    const same = await comparer.compare({ legacy: bytes(gzipSync(text, { level: 9 })), legacyEncoding: 'gzip', shadow: bytes(deflateSync(text, { level: 1 })), shadowEncoding: 'deflate', ignore: [] });
    expect(same).toEqual({ count: 0, samples: [] });
    const changed = text.replace('"product 19999"', '"product 19990"'); // in the last decoded piece
    const r = await comparer.compare({ legacy: bytes(gzipSync(text)), legacyEncoding: 'gzip', shadow: bytes(changed), shadowEncoding: '', ignore: [] });
    expect(r).toEqual({ count: 1, samples: [{ path: '$.items[19999].name', legacy: 'product 19999', shadow: 'product 19990' }] });
  });

  it('stops decoding a body at 8 MiB: legacy\'s is then unreadable, the service\'s a difference', async () => {
    const bomb = () => bytes(gzipSync(Buffer.alloc(9 * 1024 * 1024, 0x20))); // 9 MiB of spaces, ~9 KB compressed; each job moves its buffers to the worker
    expect(await comparer.compare({ legacy: bomb(), legacyEncoding: 'gzip', shadow: bytes('{}'), shadowEncoding: '', ignore: [] })).toBeNull();
    const r = await comparer.compare({ legacy: bytes('{}'), legacyEncoding: '', shadow: bomb(), shadowEncoding: 'gzip', ignore: [] });
    expect(r).toMatchObject({ count: 1, samples: [{ path: 'body', legacy: '{}', shadow: expect.stringContaining('over 8388608 bytes') }] });
  });

  it('answers a job whose body already moved to the worker as lost (null), and goes on with the next', async () => {
    const body = bytes('[1]');
    expect(await comparer.compare({ legacy: body, legacyEncoding: '', shadow: bytes('[2]'), shadowEncoding: '', ignore: [] })).toMatchObject({ count: 1 });
    expect(body.byteLength).toBe(0); // moved, not copied
    expect(await comparer.compare({ legacy: body, legacyEncoding: '', shadow: bytes('[2]'), shadowEncoding: '', ignore: [] })).toBeNull();
    expect(await comparer.compare({ legacy: bytes('[1]'), legacyEncoding: '', shadow: bytes('[1]'), shadowEncoding: '', ignore: [] })).toEqual({ count: 0, samples: [] });
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
