import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, runCli } from './run-cli';

describe('strangler CLI', () => {
  it('lists every command in --help and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['analyze', 'view', 'extract', 'facade', 'route', 'export']) expect(r.stdout).toContain(cmd);
  });

  it('rejects an unknown command with a clear message and exit 2', () => {
    const r = runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('rejects an unknown flag with exit 2', () => {
    const r = runCli(['analyze', '--no-such-flag', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--no-such-flag'/);
  });

  it('rejects a missing required option of a subcommand with exit 2', () => {
    const r = runCli(['route', 'set', 'some-route']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--weight/);
  });

  it('says in --help of no command that it is not implemented', () => {
    const lines = runCli(['--help']).stdout.split('\n');
    for (const cmd of ['analyze', 'view', 'extract', 'facade', 'route', 'export']) expect(lines.find((l) => l.trimStart().startsWith(`${cmd} `))).not.toMatch(/not implemented/);
  });

  it('prints its version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('a closed stdout', () => {
  // The reader closes its end at once, before the analysis has written anything: every write fails with EPIPE.
  const intoClosedPipe = (args: string[]) => {
    const script = `"$0" "$@" | { exec 0<&-; sleep 2; }; echo "exit=\${PIPESTATUS[0]}" >&2`;
    return spawnSync('bash', ['-c', script, process.execPath, path.join(REPO_ROOT, 'bin', 'strangler.js'), ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 60_000 });
  };

  it.each(['json', 'table', 'md', 'dot', 'mermaid'])('ends `analyze --format %s` quietly with exit 0', (format) => {
    const r = intoClosedPipe(['analyze', 'sample-monolith', '--format', format, '--quiet']);
    expect(r.stderr).toBe('exit=0\n');
  });
});
