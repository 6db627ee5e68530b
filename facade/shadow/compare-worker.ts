/**
 * Worker-thread entry: compares shadow bodies (compare.ts), one message per job. The thread moves
 * itself to the lowest CPU priority there is (SCHED_IDLE, else nice 19; thread-priority.ts says
 * why a nice value alone was not enough), so that comparing only ever uses CPU the proxy leaves
 * idle: with the proxy pinned to one core, a busy comparer at normal priority would take half of
 * that core from the users' requests.
 */
import { compareBodies } from './compare';
import { lowerThreadPriority } from './thread-priority';
import { serveJobs } from './worker-queue';

lowerThreadPriority(19, true);

serveJobs(compareBodies);
