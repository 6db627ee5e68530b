/**
 * A refusal the client can read (issue 7): a body declared over `limits.maxBodyBytes` gets 413
 * instead of `100 Continue`, and the facade closes in stages (RFC 9112 §9.6) so the client reads the
 * 413 instead of a reset, however far into sending its body it is.
 */
import http from 'node:http';
import net from 'node:net';
import { startFacade, upstream, type Running, type Upstream } from './helpers';

const LIMIT = 4 * 1024 * 1024;
const BODY = Buffer.alloc(5 * 1024 * 1024, 0x61);
const TRIES = 20;

interface Outcome {
  status?: number;
  code?: string;
  error?: string;
}

/**
 * node:http client, fresh connection, the whole body written at once. Settles when the request is
 * closed, so an error after the response (EPIPE while still writing) is seen too.
 */
function nodePost(port: number, expectContinue: boolean, chunked = false): Promise<Outcome> {
  return new Promise((resolve) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/octet-stream' };
    if (!chunked) headers['content-length'] = BODY.length;
    if (expectContinue) headers.expect = '100-continue';
    const req = http.request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', headers, agent: false });
    const outcome: Outcome = {};
    const problem = (what: string) => (outcome.error = outcome.error ?? what);
    req.on('continue', () => {
      problem('got 100 Continue');
      req.end(BODY);
    });
    req.on('response', (res) => {
      outcome.status = res.statusCode;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        try {
          outcome.code = (JSON.parse(text) as { error: { code: string } }).error.code;
        } catch {
          outcome.code = `unreadable body: ${text.slice(0, 80)}`;
        }
      });
      res.on('error', (e) => problem(`response: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    });
    req.on('error', (e) => problem((e as NodeJS.ErrnoException).code ?? e.message));
    req.on('close', () => resolve(outcome));
    if (!expectContinue) req.end(BODY);
  });
}

async function fetchPost(port: number): Promise<Outcome> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: BODY, headers: { 'content-type': 'application/octet-stream' } });
    const body = (await res.json()) as { error: { code: string } };
    return { status: res.status, code: body.error.code };
  } catch (e) {
    const cause = (e as { cause?: NodeJS.ErrnoException }).cause;
    return { error: cause?.code ?? (e as Error).message };
  }
}

describe('413 for a body over limits.maxBodyBytes', () => {
  let legacy: Upstream, f: Running;
  beforeAll(async () => {
    legacy = await upstream('legacy');
    f = await startFacade({ legacy: legacy.url, limits: { maxBodyBytes: LIMIT } });
  });
  afterAll(async () => {
    await f.close();
    await legacy.close();
  });

  const refused: Outcome = { status: 413, code: 'payload_too_large' };

  it(`reaches node:http clients sending the whole body: ${TRIES} of ${TRIES}`, async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < TRIES; i++) outcomes.push(await nodePost(f.port, false));
    expect(outcomes).toEqual(Array(TRIES).fill(refused));
    expect(legacy.seen).toEqual([]);
  });

  it(`reaches node:http clients sending a chunked body that grows past the limit: ${TRIES} of ${TRIES}`, async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < TRIES; i++) outcomes.push(await nodePost(f.port, false, true));
    expect(outcomes).toEqual(Array(TRIES).fill(refused));
  });

  it(`reaches fetch: ${TRIES} of ${TRIES}`, async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < TRIES; i++) outcomes.push(await fetchPost(f.port));
    expect(outcomes).toEqual(Array(TRIES).fill(refused));
    expect(legacy.seen).toEqual([]);
  });

  it(`answers 413 instead of 100 Continue: ${TRIES} of ${TRIES}, and no body byte is invited`, async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < TRIES; i++) outcomes.push(await nodePost(f.port, true));
    expect(outcomes).toEqual(Array(TRIES).fill(refused));
  });

  it('still answers 100 Continue to a body within the limit, and forwards it', async () => {
    const small = Buffer.from('{"ok":true}');
    const status = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = http.request({ host: '127.0.0.1', port: f.port, path: '/small', method: 'POST', agent: false, headers: { expect: '100-continue', 'content-length': small.length } });
      req.on('continue', () => {
        continued = true;
        req.end(small);
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, continued }));
      });
      req.on('error', reject);
    });
    expect(status).toEqual({ status: 200, continued: true });
    expect(legacy.seen.at(-1)).toMatchObject({ method: 'POST', url: '/small', body: '{"ok":true}' });
    expect(legacy.seen.at(-1)?.headers.expect).toBeUndefined();
  });

  it('half-closes after the 413 and keeps reading, so the whole answer arrives before the end of the stream', async () => {
    // A raw client that sends the head and part of the body, then reads: it sees the 413, then the
    // facade's FIN (end) while its own side is still open, and no reset.
    const events: string[] = [];
    const text = await new Promise<string>((resolve, reject) => {
      const s = net.connect(f.port, '127.0.0.1');
      s.setTimeout(20_000, () => reject(new Error('no close from the facade')));
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString('latin1')));
      s.on('end', () => {
        events.push('end');
        s.write(BODY.subarray(0, 64 * 1024), () => {
          events.push('wrote after end');
          s.end();
        });
      });
      s.on('error', (e) => reject(e));
      s.on('close', () => resolve(got));
      s.write(`POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: ${BODY.length}\r\n\r\n`);
      s.write(BODY.subarray(0, 1024 * 1024));
    });
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/connection: close/i);
    expect(text).toContain('"code":"payload_too_large"');
    expect(events).toEqual(['end', 'wrote after end']);
  });
});
