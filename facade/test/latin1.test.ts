import { latin1 } from '../forwarder/headers';

describe('latin1() (header bytes to strings, reusing earlier decodes)', () => {
  it('decodes exactly like Buffer#toString("latin1"), hit or miss, for every byte value and length', () => {
    const samples: Buffer[] = [Buffer.alloc(0)];
    for (let n = 1; n <= 200; n += 7) for (let k = 0; k < 3; k++) samples.push(Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n * 11 + k * 101) & 0xff)));
    samples.push(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    // the same bytes again (hits), and bytes differing only in the middle or the last character (same slot candidates)
    const variants = samples.flatMap((b) => {
      const mid = Buffer.from(b);
      if (mid.length > 2) mid[mid.length >> 2] ^= 1;
      const last = Buffer.from(b);
      if (last.length > 0) last[last.length - 1] ^= 0x80;
      return [b, Buffer.from(b), mid, last, b];
    });
    for (const b of variants) expect(latin1(b)).toBe(b.toString('latin1'));
  });

  it('reads views into a larger buffer (as undici hands them over) correctly after the buffer is reused', () => {
    const pool = Buffer.from('content-type: application/json');
    const view = pool.subarray(14);
    expect(latin1(view)).toBe('application/json');
    pool.write('text/plain; x=1', 14, 'latin1');
    expect(latin1(view)).toBe('text/plain; x=1n');
  });
});
