import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { watchConfigFile } from '../watch';
import { tempDir } from './support/files';
import { ConfigMapDir } from './support/k8s';
import { subdir } from './support/read-only';
import { eventually } from './support/wait';

describe('watchConfigFile', () => {
  it('sees an in-place rewrite and an editor-style rename over the file', async () => {
    const t = tempDir();
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, 'a: 1\n');
    const seen: string[] = [];
    const w = watchConfigFile(file, () => seen.push(readFileSync(file, 'utf8')), { debounceMs: 50 });
    try {
      writeFileSync(file, 'a: 2\n');
      await eventually(() => expect(seen).toContain('a: 2\n'));
      writeFileSync(path.join(t.dir, '.routes.yaml.swp'), 'a: 3\n');
      renameSync(path.join(t.dir, '.routes.yaml.swp'), file);
      await eventually(() => expect(seen).toContain('a: 3\n'));
    } finally {
      w.close();
      t.cleanup();
    }
  });

  it('follows a Kubernetes ConfigMap ..data symlink swap, more than once', async () => {
    const t = tempDir();
    const cm = new ConfigMapDir(subdir(t.dir, 'config'));
    cm.write('generation: 1\n');
    const seen: string[] = [];
    const w = watchConfigFile(cm.file, () => seen.push(readFileSync(cm.file, 'utf8')), { debounceMs: 50 });
    try {
      cm.write('generation: 2\n');
      await eventually(() => expect(seen).toContain('generation: 2\n'));
      cm.write('generation: 3\n');
      await eventually(() => expect(seen).toContain('generation: 3\n'));
    } finally {
      w.close();
      t.cleanup();
    }
  });

  it('stops calling after close', async () => {
    const t = tempDir();
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, 'a: 1\n');
    let calls = 0;
    const w = watchConfigFile(file, () => (calls += 1), { debounceMs: 10 });
    w.close();
    writeFileSync(file, 'a: 2\n');
    // a sentinel watcher proves events were delivered in this time, so silence is meaningful
    let sentinel = 0;
    const s = watchConfigFile(file, () => (sentinel += 1), { debounceMs: 10 });
    writeFileSync(file, 'a: 3\n');
    await eventually(() => expect(sentinel).toBeGreaterThan(0));
    s.close();
    expect(calls).toBe(0);
    t.cleanup();
  });
});
