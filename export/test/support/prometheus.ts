/**
 * A real Prometheus (Debian's `prometheus` package, /usr/bin/prometheus) run as the test's own child
 * process: its own config, a temporary TSDB, a loopback port, scraping every second. Never the system
 * service. Queries go through its HTTP API as Argo Rollouts' and Flagger's providers send them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface TestPrometheus {
  url: string;
  /** An instant query at `time` (seconds), or now; the vector's samples ("NaN" parsed as NaN). */
  query(q: string, time?: number): Promise<Sample[]>;
  log(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Polls `check` until it answers something other than null, for at most `ms`. */
export async function pollFor<T>(what: string, ms: number, check: () => Promise<T | null>, log: () => string = () => ''): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown = null;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== null) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${log()}`);
}

export async function startPrometheus(scrapeTarget: string): Promise<TestPrometheus> {
  if (!existsSync(PROMETHEUS_BIN))
    throw new Error(`${PROMETHEUS_BIN} is missing: these tests evaluate the exported queries in a real Prometheus; install it with \`apt-get install prometheus\` (.ci/run does)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strangler-prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'scrape_configs:', '  - job_name: mesh', '    static_configs:', `      - targets: ['${scrapeTarget}']`, ''].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(PROMETHEUS_BIN, [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => `prometheus output:\n${output.slice(-4000)}`;

  const query = async (q: string, time?: number): Promise<Sample[]> => {
    const params = new URLSearchParams({ query: q, ...(time !== undefined ? { time: String(time) } : {}) });
    const res = await fetch(`${url}/api/v1/query?${params}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`query failed (${res.status}): ${body.error}\n  ${q}`);
    if (body.data!.resultType !== 'vector') throw new Error(`query answered a ${body.data!.resultType}, not a vector: ${q}`);
    return body.data!.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  const close = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pollFor('Prometheus to be ready', 20_000, async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
      const r = await fetch(`${url}/-/ready`);
      return r.ok ? true : null;
    }, log);
  } catch (e) {
    await close();
    throw e;
  }
  return { url, query, log, close };
}
