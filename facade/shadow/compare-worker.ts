/**
 * Worker-thread entry: compares shadow bodies (compare.ts) off the proxy's event loop, one message
 * per job. The thread lowers its own CPU priority (on Linux the nice value is per thread) so that
 * comparing only ever uses CPU the proxy leaves idle: with the proxy pinned to one core, a busy
 * comparer at normal priority would take half of that core from the users' requests.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { compareBodies, type BodyJob } from './compare';

try {
  setPriority(19);
} catch {
  // not permitted here: compare at normal priority
}

parentPort!.on('message', (msg: { id: number; job: BodyJob }) => {
  try {
    parentPort!.postMessage({ id: msg.id, result: compareBodies(msg.job) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: String(err) });
  }
});
