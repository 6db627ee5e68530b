import { lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfigFile } from '../config-file';
import { ChangeRefusedError, ConfigController, RouteNotFoundError } from '../controller';
import { RecordingFacade } from './support/recording-facade';
import { subdir } from './support/read-only';
import { memoryLogger, SAMPLE_YAML, tempDir } from './support/files';

async function setup(text = SAMPLE_YAML, name = 'routes.yaml') {
  const t = tempDir();
  const file = path.join(t.dir, name);
  writeFileSync(file, text);
  const source = await loadConfigFile(file);
  const facade = new RecordingFacade(source.config);
  const { logger, lines } = memoryLogger();
  const controller = new ConfigController(facade, source, { logger });
  return { ...t, file, facade, controller, lines };
}

async function reloadsMetric(facade: RecordingFacade, result: string): Promise<number> {
  const m = await facade.registry.getSingleMetric('strangler_config_reloads_total')?.get();
  return m?.values.find((v) => v.labels.result === result)?.value ?? NaN;
}

describe('ConfigController', () => {
  it('sets a weight, applies it and writes it back keeping every comment and space', async () => {
    const s = await setup();
    try {
      const change = await s.controller.setWeight('cart', 50);
      expect(change).toMatchObject({ route: 'cart', weight: 50, previous: 10, persisted: true });
      expect(s.facade.applied.at(-1)?.routes.find((r) => r.name === 'cart')?.weight).toBe(50);
      expect(readFileSync(s.file, 'utf8')).toBe(SAMPLE_YAML.replace('weight: 10    # canary', 'weight: 50    # canary'));
    } finally {
      s.cleanup();
    }
  });

  it('adds a weight key to a route that had none, keeping comments', async () => {
    const s = await setup();
    try {
      await s.controller.setWeight('users', 25);
      const text = readFileSync(s.file, 'utf8');
      expect(text).toContain('# the cart is being strangled');
      expect(text).toContain('# canary: 10 %');
      expect(text).toContain('# the monolith');
      expect((await loadConfigFile(s.file)).config.routes.find((r) => r.name === 'users')?.weight).toBe(25);
    } finally {
      s.cleanup();
    }
  });

  it('writes JSON configs back as JSON', async () => {
    const json = `{\n    "legacy": "http://127.0.0.1:3000",\n    "services": { "s": "http://127.0.0.1:4000" },\n    "routes": [{ "name": "a", "match": { "prefix": "/a" }, "service": "s", "weight": 5 }]\n}\n`;
    const s = await setup(json, 'routes.json');
    try {
      await s.controller.setWeight('a', 100);
      expect(JSON.parse(readFileSync(s.file, 'utf8')).routes[0].weight).toBe(100);
    } finally {
      s.cleanup();
    }
  });

  it('rejects an unknown route with the list of names', async () => {
    const s = await setup();
    try {
      await expect(s.controller.setWeight('kart', 5)).rejects.toEqual(new RouteNotFoundError('kart', ['cart', 'users']));
      expect(s.facade.applied).toHaveLength(0);
    } finally {
      s.cleanup();
    }
  });

  it('rolls back to the previous weight when asked', async () => {
    const s = await setup();
    try {
      await s.controller.setWeight('cart', 30);
      await s.controller.setWeight('cart', 80);
      expect((await s.controller.rollbackToPrevious('cart')).weight).toBe(30);
      expect((await s.controller.rollbackToPrevious('cart')).weight).toBe(10);
      await expect(s.controller.rollbackToPrevious('cart')).rejects.toThrow(/no earlier weight/);
    } finally {
      s.cleanup();
    }
  });

  it('writes through a symlink, leaving the link in place', async () => {
    const s = await setup();
    try {
      const link = path.join(subdir(s.dir, 'etc'), 'routes.yaml');
      symlinkSync(s.file, link);
      const facade = new RecordingFacade((await loadConfigFile(link)).config);
      const controller = new ConfigController(facade, await loadConfigFile(link), { logger: memoryLogger().logger });
      await controller.setWeight('cart', 60);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readFileSync(s.file, 'utf8')).toContain('weight: 60    # canary');
    } finally {
      s.cleanup();
    }
  });

  it('reloads a valid file, rejects an invalid one and keeps the last good config', async () => {
    const s = await setup();
    try {
      writeFileSync(s.file, SAMPLE_YAML.replace('weight: 10 ', 'weight: 70 '));
      expect(await s.controller.reload('signal')).toMatchObject({ result: 'applied' });
      expect(s.facade.current().routes[0].weight).toBe(70);

      writeFileSync(s.file, SAMPLE_YAML.replace('weight: 10 ', 'weight: 700'));
      const r = await s.controller.reload('file');
      expect(r).toEqual({ result: 'rejected', problems: ['routes.yaml:17: routes[0].weight: expected a number from 0 to 100, got 700'] });
      expect(s.facade.current().routes[0].weight).toBe(70);
      expect(s.lines.some((l) => l.level === 50 && String(l.msg).includes('routes[0].weight: expected a number from 0 to 100, got 700'))).toBe(true);

      expect(await s.controller.reload('file')).toEqual({ result: 'rejected', problems: expect.any(Array) });
      writeFileSync(s.file, SAMPLE_YAML.replace('weight: 10 ', 'weight: 70 ').replace('# the monolith', '# the old app'));
      expect(await s.controller.reload('file')).toMatchObject({ result: 'unchanged' });
      expect(await reloadsMetric(s.facade, 'applied')).toBe(1);
      expect(await reloadsMetric(s.facade, 'rejected')).toBe(2);
      expect(await reloadsMetric(s.facade, 'unchanged')).toBe(1);
      expect(s.facade.applied).toHaveLength(1);
    } finally {
      s.cleanup();
    }
  });

  it('keeps the old listen address on reload and says a restart is needed', async () => {
    const s = await setup();
    try {
      writeFileSync(s.file, SAMPLE_YAML.replace('port: 0\nlegacy', 'port: 9999\nlegacy').replace('weight: 10 ', 'weight: 20 '));
      expect(await s.controller.reload('signal')).toEqual({ result: 'applied', restartNeeded: ['listen'] });
      expect(s.facade.current().listen.port).toBe(0);
      expect(s.facade.current().routes[0].weight).toBe(20);
      expect(s.lines.some((l) => String(l.msg).includes('a change of `listen` needs a restart'))).toBe(true);
    } finally {
      s.cleanup();
    }
  });

  it('takes in an edit the watcher has not seen yet before writing back', async () => {
    const s = await setup();
    try {
      writeFileSync(s.file, SAMPLE_YAML.replace('  - name: users', '  - name: users # edited by hand'));
      await s.controller.setWeight('cart', 15);
      const text = readFileSync(s.file, 'utf8');
      expect(text).toContain('# edited by hand');
      expect(text).toContain('weight: 15    # canary');
    } finally {
      s.cleanup();
    }
  });

  it('reports a weight the data plane refuses and changes nothing: not the running config, not the file, not the history', async () => {
    const s = await setup();
    try {
      await s.controller.setWeight('cart', 30);
      s.facade.refuseNextApply = 'no such cluster';
      await expect(s.controller.setWeight('cart', 80)).rejects.toEqual(
        new ChangeRefusedError('route "cart": the facade refused weight 80 (no such cluster); nothing changed, the weight stays 30', 'apply_failed'),
      );
      expect(s.controller.current().routes[0].weight).toBe(30);
      expect(readFileSync(s.file, 'utf8')).toContain('weight: 30    # canary');
      expect((await s.controller.rollbackToPrevious('cart')).weight).toBe(10);
    } finally {
      s.cleanup();
    }
  });

  it('keeps its rollback history when applying the rollback fails, so the next rollback still finds it', async () => {
    const s = await setup();
    try {
      await s.controller.setWeight('cart', 30);
      await s.controller.setWeight('cart', 80);
      s.facade.refuseNextApply = 'busy';
      await expect(s.controller.rollbackToPrevious('cart')).rejects.toBeInstanceOf(ChangeRefusedError);
      expect(s.controller.current().routes[0].weight).toBe(80);
      expect((await s.controller.rollbackToPrevious('cart')).weight).toBe(30);
      expect((await s.controller.rollbackToPrevious('cart')).weight).toBe(10);
    } finally {
      s.cleanup();
    }
  });

  it('marks a change made while the file is invalid as in memory only, and lets the file win once it is valid again', async () => {
    const s = await setup();
    try {
      writeFileSync(s.file, SAMPLE_YAML.replace('weight: 10 ', 'weight: 700'));
      const change = await s.controller.setWeight('cart', 40);
      expect(change).toMatchObject({ persisted: false, weight: 40 });
      expect(change.error).toMatch(/the config file on disk is invalid, not overwriting it \(routes\.yaml:17: routes\[0\]\.weight/);
      expect(s.controller.fileState()).toMatchObject({ valid: false, problems: [expect.stringContaining('routes[0].weight')], weights: new Map([['cart', 10], ['users', 0]]) });
      expect(s.controller.current().routes[0].weight).toBe(40);

      writeFileSync(s.file, SAMPLE_YAML); // the exact text last loaded
      expect(await s.controller.reload('file')).toMatchObject({ result: 'applied' });
      expect(s.controller.current().routes[0].weight).toBe(10);
      expect(s.facade.current().routes[0].weight).toBe(10);
      expect(s.controller.fileState()).toMatchObject({ valid: true, problems: [] });
      expect(s.lines.some((l) => l.replacedInMemory === true && String(l.msg).includes('route cart: weight 40 -> 10'))).toBe(true);
    } finally {
      s.cleanup();
    }
  });
});
