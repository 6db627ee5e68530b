/**
 * A real nginx (Debian's /usr/sbin/nginx) running an exported config as our own process, not
 * root's: a temp prefix holding config, pid file, logs and temp dirs, one process (no master) on a
 * loopback port. The nginx export test sends traffic through it; bench/facade measures it as a peer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface RunningNginx {
  dir: string;
  errorLog(): string;
  /** The JSON lines of the exported `strangler` log_format. */
  accessLog(): Array<Record<string, unknown>>;
  /** The nginx process (master_process off: the one that serves). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** Log every request in the export's `strangler` log_format (default true; a benchmark turns it off). */
  accessLog?: boolean;
}

/** A loopback port nothing listens on right now (nginx cannot be told to pick one itself). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The main config around an exported http-context file, every path inside `dir`. */
export function mainConfig(dir: string, include: string, options: NginxOptions = {}): string {
  const p = (f: string): string => path.join(dir, f);
  return `daemon off;
master_process off;
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('error.log')} warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${p('body')};
  proxy_temp_path ${p('proxy')};
  fastcgi_temp_path ${p('fastcgi')};
  uwsgi_temp_path ${p('uwsgi')};
  scgi_temp_path ${p('scgi')};
  include ${include};
  access_log ${options.accessLog === false ? 'off' : `${p('access.log')} strangler`};
}
`;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

export async function startNginx(exported: string, port: number, options: NginxOptions = {}): Promise<RunningNginx> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strangler-nginx-'));
  writeFileSync(path.join(dir, 'strangler.conf'), exported);
  writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir, path.join(dir, 'strangler.conf'), options));
  const errorLog = (): string => {
    try {
      return readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const child: ChildProcess = spawn(NGINX, ['-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 200 && !gone; i++) {
    if (await listening(port)) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  if (gone || !(await listening(port))) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`nginx did not start on port ${port}: ${stderr}${errorLog()}`);
  }
  return {
    dir,
    pid: child.pid,
    errorLog,
    accessLog: () => {
      try {
        return readFileSync(path.join(dir, 'access.log'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      } catch {
        return [];
      }
    },
    stop: async () => {
      if (!gone) {
        child.kill('SIGQUIT');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
        clearTimeout(timer);
        if (!gone) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
