/**
 * Worker-thread entry: compares shadow bodies (compare.ts), one message per job. The thread lowers
 * its own CPU priority (on Linux the nice value is per thread) so that comparing only ever uses CPU
 * the proxy leaves idle: with the proxy pinned to one core, a busy comparer at normal priority
 * would take half of that core from the users' requests.
 */
import { setPriority } from 'node:os';
import { compareBodies } from './compare';
import { serveJobs } from './worker-queue';

try {
  setPriority(19);
} catch {
  // not permitted here: compare at normal priority
}

serveJobs(compareBodies);
