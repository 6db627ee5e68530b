/**
 * Probe behind docs/facade.md's account of the shadow threads' priorities: while a proxy's thread
 * was runnable but off its CPU, which threads had that CPU. Reads the scheduler switches of a
 * `perf sched` recording of the proxy's CPU:
 *
 *   node dist/bench/facade/run.js --only big --rounds 1 &      # then, during the 1 MiB pair:
 *   perf sched record -C 1 -o /tmp/sched.data -- sleep 8
 *   perf script -i /tmp/sched.data -F comm,pid,tid,cpu,time,event,trace > /tmp/sched.txt
 *   node dist/bench/facade/probes/proxy-waits.js /tmp/sched.txt <facade pid> [<facade pid> …]
 *
 * For each facade's main thread (its pid): how often it was switched out while runnable, how long
 * it waited in all, and the threads that ran meanwhile (process id/thread id, kernel priority:
 * 120 + nice; `perf` shows SCHED_IDLE threads at their nice value too).
 */
import { readFileSync } from 'node:fs';

const SWITCH = /^\s*(.+?)\s+(\d+)\/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch:\s+prev_comm=.*? prev_pid=(\d+) prev_prio=(\d+) prev_state=(\S+) ==> next_comm=.*? next_pid=(\d+) next_prio=(\d+)/;

interface Wait {
  since: number;
  last: number;
  ran: Map<string, number>;
}

function main(): void {
  const [file, ...mains] = process.argv.slice(2);
  if (file === undefined || mains.length === 0) throw new Error('usage: proxy-waits.js <perf script output> <pid> [<pid> …]');
  const processOf = new Map<string, string>(); // thread id -> process id, from the lines where it is the current task
  const prio = new Map<string, string>();
  const waits = new Map<string, Wait | null>(mains.map((m) => [m, null]));
  const totals = new Map(mains.map((m) => [m, { count: 0, waited: 0, max: 0, ran: new Map<string, number>() }]));
  let first = Number.NaN;
  let last = Number.NaN;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = SWITCH.exec(line);
    if (m === null) continue;
    const [, , pid, tid, , time, prev, prevPrio, prevState, next, nextPrio] = m;
    const t = Number(time);
    if (Number.isNaN(first)) first = t;
    last = t;
    processOf.set(tid, pid);
    prio.set(prev, prevPrio);
    prio.set(next, nextPrio);
    // `prev` had the CPU since the last switch: charge that to every main thread waiting
    for (const w of waits.values()) {
      if (w === null) continue;
      w.ran.set(prev, (w.ran.get(prev) ?? 0) + (t - w.last));
      w.last = t;
    }
    if (waits.has(prev) && prevState.startsWith('R') && waits.get(prev) === null) waits.set(prev, { since: t, last: t, ran: new Map() });
    const w = waits.get(next);
    if (w) {
      const total = totals.get(next)!;
      const d = t - w.since;
      total.count++;
      total.waited += d;
      total.max = Math.max(total.max, d);
      for (const [k, v] of w.ran) total.ran.set(k, (total.ran.get(k) ?? 0) + v);
      waits.set(next, null);
    }
  }
  const ms = (s: number): string => `${(s * 1000).toFixed(1)} ms`;
  process.stdout.write(`${file}: ${ms(last - first)} of switches\n`);
  for (const [m, total] of totals) {
    process.stdout.write(`main thread ${m}: switched out runnable ${total.count} times, waited ${ms(total.waited)} in all (longest ${ms(total.max)}); meanwhile ran:\n`);
    const ranked = [...total.ran].sort((a, b) => b[1] - a[1]).slice(0, 8);
    for (const [tid, s] of ranked) process.stdout.write(`  ${`${processOf.get(tid) ?? '?'}/${tid}`.padEnd(14)} prio ${(prio.get(tid) ?? '?').padEnd(4)} ${ms(s).padStart(9)}\n`);
  }
}

main();
