/**
 * Watches the config file for changes, including the way Kubernetes updates a mounted ConfigMap:
 * `routes.yaml -> ..data/routes.yaml` where `..data` is a symlink swapped atomically to a new
 * timestamped directory. The file's own inode never changes there, so we watch directories: the
 * one holding the configured path and the one holding its current real path. Events are debounced;
 * the listener re-reads the file and decides whether anything changed (the watcher cannot know).
 */
import { watch, realpathSync, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface ConfigWatcher {
  close(): void;
}

export function watchConfigFile(file: string, onChange: () => void, options: { debounceMs?: number; onError?: (err: Error) => void } = {}): ConfigWatcher {
  const debounceMs = options.debounceMs ?? 150;
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const absolute = path.resolve(file);

  const directories = (): Set<string> => {
    const dirs = new Set([path.dirname(absolute)]);
    try {
      dirs.add(path.dirname(realpathSync(absolute)));
    } catch {
      // the file is being replaced right now; the parent directory watch still sees it come back
    }
    return dirs;
  };

  // Re-resolved after every event: after a ConfigMap swap the real path lives in a new directory.
  const sync = (): void => {
    const wanted = directories();
    for (const [dir, w] of watchers) {
      if (!wanted.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, fire);
        w.on('error', () => {
          // the directory went away (old ConfigMap generation deleted): forget it, sync() re-adds what exists
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch (err) {
        options.onError?.(err as Error);
      }
    }
  };

  function fire(): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (closed) return;
      sync();
      onChange();
    }, debounceMs);
  }

  sync();
  return {
    close(): void {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
