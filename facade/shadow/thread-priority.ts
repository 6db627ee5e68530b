/**
 * CPU priority of the calling thread, for the shadow threads that share a core with the proxy.
 *
 * A nice value alone is not enough for work that should only ever use CPU the proxy leaves idle.
 * Linux's fair scheduler (EEVDF) lets the running thread finish a protected slice (about a
 * millisecond) before a thread that wakes up may take the CPU, whatever their nice values; under
 * SCHED_IDLE a waking normal thread takes the CPU at once (bench/facade/probes/shared-core-latency.ts:
 * a worker burning 4 of every 10 ms on a server's core moved the server's p99 from ~2 to 4.1 ms at
 * nice 19, and not measurably at SCHED_IDLE). SCHED_IDLE is no guarantee that the thread waits
 * while the proxy's thread can run: EEVDF still picks it whenever the proxy's thread has run ahead
 * of it in virtual time, until the next tick; so work at this priority must also come in short
 * steps (compare.ts). Node has no binding for sched_setscheduler, so `chrt`
 * (util-linux, present wherever Debian is) sets it on this thread's own id; an unprivileged thread
 * may always move itself to SCHED_IDLE.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** This thread's id: `/proc/thread-self` names the calling thread, so this must stay synchronous (an async readlink runs on libuv's pool). */
function threadId(): string | null {
  try {
    return /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1] ?? null;
  } catch {
    return null; // not Linux, or no /proc
  }
}

/** Lowers the calling thread to `nice` and, when `idle`, to SCHED_IDLE; what is not permitted is left as it was. */
export function lowerThreadPriority(nice: number, idle: boolean): void {
  try {
    setPriority(nice); // on Linux the nice value is per thread
  } catch {
    // not permitted here
  }
  const tid = idle ? threadId() : null;
  if (tid === null) return;
  try {
    execFileSync('chrt', ['--idle', '--pid', '0', tid], { stdio: 'ignore', timeout: 5000 });
  } catch {
    // no chrt, or the system refused: the nice value stands
  }
}
