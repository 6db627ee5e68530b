/** Bounded request load through the facade, recording every outcome (no sampling). */
import { Pool } from 'undici';

export interface LoadResult {
  total: number;
  failures: string[];
  /** Which upstream answered, in completion order. */
  answeredBy: string[];
}

export interface Load {
  /** Resolves when at least `minRequests` were made and `stop()` was called (or `maxRequests` reached). */
  done: Promise<LoadResult>;
  /** Upstream names of the answers so far. */
  answeredBy: string[];
  stop(): void;
}

export function startLoad(origin: string, path: string, options: { minRequests?: number; maxRequests?: number; concurrency?: number; pauseMs?: number } = {}): Load {
  const { minRequests = 2000, maxRequests = 20_000, concurrency = 20, pauseMs = 20 } = options;
  const pool = new Pool(origin, { connections: concurrency });
  const answeredBy: string[] = [];
  const failures: string[] = [];
  let started = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (started < maxRequests && (started < minRequests || !stopped)) {
      started += 1;
      try {
        const res = await pool.request({ method: 'GET', path, headers: { 'x-user-id': `user-${started}` } });
        const text = await res.body.text();
        if (res.statusCode !== 200) failures.push(`${res.statusCode} ${text.slice(0, 200)}`);
        else answeredBy.push((JSON.parse(text) as { from: string }).from);
      } catch (err) {
        failures.push(String(err));
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, worker)).then(async () => {
    await pool.close();
    return { total: answeredBy.length + failures.length, failures, answeredBy };
  });
  return { done, answeredBy, stop: () => (stopped = true) };
}
