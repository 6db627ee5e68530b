/**
 * What `strangler route` shows and refuses against a real facade (issue 7): a dead service (healthy
 * instances, ejections, promote refused unless --force), weights that live in memory only, and the
 * file winning again once it is valid (an edit, a rewrite to the last good text, a touch).
 */
import { chmodSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { startFacade, type RunningFacade } from '../run';
import { memoryLogger, tempDir } from './support/files';
import { readOnlyDir, subdir } from './support/read-only';
import { runCliAsync, startFacadeProcess, type FacadeProcess } from './support/spawn-cli';
import { routesYaml, startUpstream, type Upstream } from './support/upstreams';
import { eventually } from './support/wait';
import { deadUrl } from '../../test/helpers';

const TOKEN = 'route-state-token';
const ENV = { STRANGLER_ADMIN_TOKEN: TOKEN };

let legacy: Upstream;
let service: Upstream;
let t: ReturnType<typeof tempDir>;
beforeAll(async () => {
  legacy = await startUpstream('legacy');
  service = await startUpstream('service');
});
afterAll(() => Promise.all([legacy.close(), service.close()]));
beforeEach(() => (t = tempDir()));
afterEach(() => t.cleanup());

const cli = (admin: string, ...args: string[]) => runCliAsync(['route', ...args, '--admin', admin], ENV);
const cartRow = (table: string) => table.split('\n').find((l) => l.includes('│ cart')) ?? '';

describe('a dead service, seen from the CLI', () => {
  let f: RunningFacade;
  let admin: string;
  let file: string;
  let dead: string;
  beforeEach(async () => {
    dead = await deadUrl();
    file = path.join(t.dir, 'routes.yaml');
    const fast = 'healthCheck:\n  intervalMs: 100\n  timeoutMs: 500\n  unhealthyThreshold: 1\n';
    writeFileSync(file, routesYaml(legacy.url, dead, 10).replace('healthCheck:\n  intervalMs: 60000\n', fast));
    f = await startFacade({ file, logger: memoryLogger().logger, env: ENV, watch: false });
    admin = `http://127.0.0.1:${f.admin!.port}`;
  });
  afterEach(() => f.close());

  it('lists healthy/total instances and ejections, and refuses set/promote unless --force, saying why', async () => {
    await eventually(async () => {
      const routes = JSON.parse((await cli(admin, 'list', '--json')).stdout) as Array<{ instances: { healthy: number; total: number }; ejections: number }>;
      expect(routes[0]).toMatchObject({ instances: { healthy: 0, total: 1 }, ejections: 1 });
    });
    const table = await cli(admin, 'list');
    expect(table.code).toBe(0);
    for (const head of ['healthy', 'ejections']) expect(table.stdout).toContain(head);
    expect(cartRow(table.stdout)).toMatch(/│ 10%\s+│.*│ closed\s+│ 0\/1\s+│ 1\s+│$/);
    expect(table.stdout).toContain('route cart: service cart has no healthy instance; its requests go to legacy.');

    const why = `admin API: refusing to raise the weight of route "cart": service "cart" has no healthy instance (0 of 1: ${dead}/ ECONNREFUSED; 1 ejection by health checks), so its requests would all fall back to legacy. Use --force to set it anyway.\n`;
    expect(await cli(admin, 'promote', 'cart')).toEqual({ code: 2, stdout: '', stderr: why });
    expect(await cli(admin, 'set', 'cart', '--weight', '50')).toEqual({ code: 2, stdout: '', stderr: why });
    expect(readFileSync(file, 'utf8')).toContain('weight: 10   #');
    // lowering the weight moves traffic towards legacy: never refused
    expect((await cli(admin, 'set', 'cart', '--weight', '5')).code).toBe(0);
    expect(await cli(admin, 'promote', 'cart', '--force')).toEqual({ code: 0, stdout: `route cart: weight 5 -> 100 (saved to ${file})\n`, stderr: '' });
    // with no healthy instance the route's users stay on legacy
    const res = await request(`http://127.0.0.1:${f.proxy.port}/api/cart/x`);
    expect(JSON.parse(await res.body.text())).toMatchObject({ from: 'legacy' });
  });
});

describe('weights in memory only, and the file winning again', () => {
  it('shows a change made while the file is invalid as in memory only, and takes the file back once it is valid again', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    const good = routesYaml(legacy.url, service.url, 10);
    writeFileSync(file, good);
    const f = await startFacade({ file, logger: memoryLogger().logger, env: ENV });
    const admin = `http://127.0.0.1:${f.admin!.port}`;
    try {
      writeFileSync(file, good.replace('weight: 10', 'weight: 700'));
      await eventually(() => expect(f.controller.fileState().valid).toBe(false));
      const set = await cli(admin, 'set', 'cart', '--weight', '40');
      expect(set.code).toBe(1);
      expect(set.stderr).toMatch(/^warning: weight changed in memory only; could not write routes\.yaml: the config file on disk is invalid, not overwriting it/);
      const list = await cli(admin, 'list');
      expect(cartRow(list.stdout)).toMatch(/│ cart\s+│ cart\s+│ 40% \*\s+│/);
      expect(list.stdout).toContain(`* in memory only: ${file} says cart 10%. The file wins the next time it is read (an edit, a touch, SIGHUP or POST /reload).`);
      expect(list.stdout).toContain(`${file} on disk is invalid, the last good config keeps serving: routes.yaml:13: routes[0].weight: expected a number from 0 to 100, got 700`);

      writeFileSync(file, good); // back to exactly the text last loaded
      await eventually(() => expect(f.controller.current().routes[0].weight).toBe(10));
      const after = await cli(admin, 'list');
      expect(cartRow(after.stdout)).toMatch(/│ cart\s+│ cart\s+│ 10%\s+│/);
      expect(after.stdout).not.toContain('in memory only');
      expect(after.stdout).not.toContain('invalid');
    } finally {
      await f.close();
    }
  });

  it('with a read-only config (as a ConfigMap is): the change stays in memory, an event on another file keeps it, a touch of the file hands back to the file', async () => {
    const dir = subdir(t.dir, 'configmap');
    const file = path.join(dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 10));
    chmodSync(file, 0o644);
    const ro = readOnlyDir(dir, [t.dir]);
    let p: FacadeProcess | undefined;
    try {
      p = await startFacadeProcess(['-c', file], ENV, 30_000, ro.as);
      const set = await runCliAsync(['route', 'set', 'cart', '--weight', '40', '--admin', p.adminUrl], ENV);
      expect(set.code).toBe(1);
      expect(set.stdout).toBe('route cart: weight 10 -> 40\n');
      expect(set.stderr).toMatch(/^warning: weight changed in memory only; could not write routes\.yaml: (permission denied|read-only file system)/);
      expect(cartRow((await runCliAsync(['route', 'list', '--admin', p.adminUrl], ENV)).stdout)).toMatch(/│ 40% \*\s+│/);

      // The facade watches the directory: a file written next to the config is not a change of it.
      writeFileSync(path.join(dir, 'other.txt'), 'x');
      await new Promise((r) => setTimeout(r, 600)); // past the watcher's debounce (if late, this check only proves less)
      expect(cartRow((await runCliAsync(['route', 'list', '--admin', p.adminUrl], ENV)).stdout)).toMatch(/│ 40% \*\s+│/);

      const now = new Date();
      utimesSync(file, now, now); // touch
      await eventually(async () => expect(cartRow((await runCliAsync(['route', 'list', '--admin', p!.adminUrl], ENV)).stdout)).toMatch(/│ cart\s+│ cart\s+│ 10%\s+│/));
      expect(p.logs().find((l) => l.event === 'config_reload' && l.result === 'applied')).toMatchObject({ replacedInMemory: true, changes: ['route cart: weight 40 -> 10'] });
    } finally {
      await p?.stop('SIGKILL');
      ro.undo();
    }
  });
});
