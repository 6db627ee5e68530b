import { runCli } from './run-cli';

describe('strangler CLI', () => {
  it('lists every command in --help and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['analyze', 'view', 'extract', 'facade', 'route']) expect(r.stdout).toContain(cmd);
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

  it('prints its version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
