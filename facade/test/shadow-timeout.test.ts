/**
 * The shadow worker runs at SCHED_IDLE, so on a busy core it can be kept off the CPU for a long
 * time. A mirror's timeout must then not fire early: undici counts headersTimeout/bodyTimeout in
 * ticks of its own timer (~0.5 s), not in wall-clock time, so a thread that was not running did not
 * see the time pass. This guards that assumption (shadow-worker.ts, docs/facade.md).
 */
import { Pool } from 'undici';
import { add, capture } from '../shadow/capture';
import { BodyComparer } from '../shadow/comparer';
import { runMirror, type MirrorJob } from '../shadow/shadow-call';
import { upstream, type Upstream } from './helpers';

const BODY = '{"ok":true}';

function job(svc: Upstream, timeoutMs: number): MirrorJob {
  const legacy = capture(200, [Buffer.from('content-type'), Buffer.from('application/json')], [], 1024);
  add(legacy, Buffer.from(BODY));
  return { origin: svc.url, path: '/x', method: 'GET', headers: [], body: null, timeoutMs, rule: { status: true, headers: [], ignore: [], maxBytes: 1024 }, legacy };
}

/** Keeps this thread off its event loop, as a starved thread is. */
function hold(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('a mirror on a thread kept from running', () => {
  let svc: Upstream;
  let pool: Pool;
  let comparer: BodyComparer;
  beforeEach(async () => {
    // answers 50 ms after the request arrives, on the same (held) event loop as the mirror
    svc = await upstream('svc', (_req, res) => setTimeout(() => res.end(BODY), 50));
    pool = new Pool(svc.url);
    comparer = new BodyComparer(1);
  });
  afterEach(async () => {
    await pool.close();
    await comparer.close();
    await svc.close();
  });

  it('is not timed out by the time it did not run: held 2.5 s against a 1 s timeout, it still matches', async () => {
    const pending = runMirror(job(svc, 1000), pool, comparer);
    await new Promise<void>((resolve) => {
      const wait = setInterval(() => {
        if (svc.seen.length === 0) return; // the request is out and its headers timeout running
        clearInterval(wait);
        hold(2500);
        resolve();
      }, 1);
    });
    const r = await pending;
    expect(r.outcome).toMatchObject({ mismatch: false, reasons: [], legacyStatus: 200, shadowStatus: 200 });
  });

  it('does time out a service that stays silent while the thread runs', async () => {
    svc.server.removeAllListeners('request');
    svc.server.on('request', () => undefined); // never answers
    const r = await runMirror(job(svc, 1000), pool, comparer);
    expect(r.outcome).toMatchObject({ mismatch: true, reasons: ['shadow-error'], error: 'UND_ERR_HEADERS_TIMEOUT' });
  });
});
