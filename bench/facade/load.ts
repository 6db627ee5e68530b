/**
 * Child-process entry that runs autocannon (so the load generator never shares an event loop with
 * a server under test) and prints its result as JSON. Arguments: <url> <connections> <seconds> [requests per second].
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>, cb: (err: Error | null, result: unknown) => void) => unknown;

const [url, connections, seconds, rate] = process.argv.slice(2);
autocannon(
  {
    url,
    connections: Number(connections),
    duration: Number(seconds),
    // optional fixed request rate across all connections (sub-saturation latency runs)
    ...(rate ? { overallRate: Number(rate) } : {}),
    // a fresh x-user-id per request spreads sticky hashing over both sides, as real users would
    headers: { 'x-user-id': '[<id>]' },
    idReplacement: true,
  },
  (err, result) => {
    if (err) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(JSON.stringify(result));
  },
);
