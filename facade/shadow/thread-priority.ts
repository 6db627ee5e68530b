/**
 * CPU priority of the calling thread, for the shadow threads that share a core with the proxy.
 *
 * A nice value alone is not enough for work that should only ever use CPU the proxy leaves idle.
 * Linux's fair scheduler (EEVDF) lets the running thread finish a protected slice (about a
 * millisecond) before a thread that wakes up may take the CPU, whatever their nice values. The
 * comparison worker decodes a 1 MiB gzip body in about 0.7 ms, so a user request arriving mid-decode
 * waited up to a slice (bench:facade `@rate+1MiB`: +1.5 to +3.4 ms p99 at nice 19). Under
 * SCHED_IDLE a waking normal thread takes the CPU at once. Node has no binding for
 * sched_setscheduler, so `chrt` (util-linux, present wherever Debian is) sets it on this thread's
 * own id; an unprivileged thread may always move itself to SCHED_IDLE.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export type ThreadPriority = 'idle' | `nice ${number}` | 'normal';

/** This thread's id: `/proc/thread-self` names the calling thread, so this must stay synchronous (an async readlink runs on libuv's pool). */
function threadId(): string | null {
  try {
    return /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1] ?? null;
  } catch {
    return null; // not Linux, or no /proc
  }
}

/** Lowers the calling thread to `nice` and, when `idle`, to SCHED_IDLE; returns what it got. */
export function lowerThreadPriority(nice: number, idle: boolean): ThreadPriority {
  let got: ThreadPriority = 'normal';
  try {
    setPriority(nice); // on Linux the nice value is per thread
    got = `nice ${nice}`;
  } catch {
    // not permitted here
  }
  const tid = idle ? threadId() : null;
  if (tid === null) return got;
  try {
    execFileSync('chrt', ['--idle', '--pid', '0', tid], { stdio: 'ignore', timeout: 5000 });
    return 'idle';
  } catch {
    return got; // no chrt, or the system refused: the nice value stands
  }
}
