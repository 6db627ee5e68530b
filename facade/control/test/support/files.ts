import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { Writable } from 'node:stream';

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strangler-facade-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real pino logger whose JSON lines are kept for assertions. */
export function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export const SAMPLE_YAML = `# strangler facade config used by the control-plane tests
listen:
  host: 127.0.0.1
  port: 0
legacy: http://127.0.0.1:3000   # the monolith

services:
  cart: http://127.0.0.1:4001
  users:
    urls: [http://127.0.0.1:4002]

routes:
  # the cart is being strangled
  - name: cart
    match: { prefix: /api/cart }
    service: cart
    weight: 10    # canary: 10 %
  - name: users
    match:
      prefix: /api/users
    service: users

admin:
  port: 0
`;
