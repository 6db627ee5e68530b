/**
 * Preloaded into a measured process (`node -r dist/bench/lib/maxrss.js <cli>`): at exit it writes the
 * process's peak resident set size (kilobytes) and its CPU time (user and system, microseconds) as JSON
 * to the file named by BENCH_MAXRSS_FILE.
 * getrusage(RUSAGE_SELF) covers every thread of the process, so worker threads are counted too,
 * and no GNU time (an apt package) is needed.
 */
import fs from 'node:fs';

const out = process.env.BENCH_MAXRSS_FILE;
if (out) {
  // Children of the measured tool must not overwrite the tool's own figure.
  delete process.env.BENCH_MAXRSS_FILE;
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(out, JSON.stringify({ maxRssKb: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }));
  });
}
