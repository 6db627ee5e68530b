/**
 * Writes a route's new weight back into the config file so admin changes survive restarts.
 * The weight's source text is replaced in place, so comments and formatting stay byte for byte;
 * only when the route has no `weight` key yet is the document re-serialised (comments kept).
 */
import { randomBytes } from 'node:crypto';
import { open, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import { parseConfigText, type ConfigSource } from './config-file';

/** The config text with `routes[name].weight` set; throws if the route is not in the document. */
export function withRouteWeight(source: ConfigSource, routeName: string, weight: number): string {
  const routes = source.doc.get('routes', true);
  const index = isSeq(routes) ? routes.items.findIndex((r) => isMap(r) && r.get('name') === routeName) : -1;
  if (index < 0) throw new Error(`route "${routeName}" is not in ${path.basename(source.file)}`);
  const node = source.doc.getIn(['routes', index, 'weight'], true);
  let text: string;
  if (isScalar(node) && node.range) {
    const [start, end] = node.range;
    text = source.text.slice(0, start) + String(weight) + source.text.slice(end);
  } else {
    const doc = source.doc.clone();
    doc.setIn(['routes', index, 'weight'], weight);
    text = source.format === 'json' ? `${JSON.stringify(doc.toJS(), null, jsonIndent(source.text))}\n` : doc.toString({ lineWidth: 0 });
  }
  // Belt and braces: the edited text must still be a valid config that says what we meant.
  const check = parseConfigText(source.file, text);
  if (check.config.routes.find((r) => r.name === routeName)?.weight !== weight) throw new Error(`writing the weight of "${routeName}" did not round-trip`);
  return text;
}

function jsonIndent(text: string): number | string {
  const m = /\n([ \t]+)"/.exec(text);
  if (!m) return 2;
  return m[1].startsWith('\t') ? '\t' : m[1].length;
}

/**
 * Replaces (or first writes) the file atomically: temp file in the same directory as the real file, fsync, rename.
 * A symlinked config is written through to its target so the link survives; a read-only mount
 * (a Kubernetes ConfigMap) fails here with EROFS and the caller keeps the change in memory only.
 */
export async function writeFileAtomic(file: string, text: string, options: { create?: boolean } = {}): Promise<void> {
  // a config that vanished is not silently recreated; the rollout state beside it may be written the first time
  const existing = await realpath(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' && options.create) return null;
    throw err;
  });
  const target = existing ?? file;
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const mode = existing ? (await stat(existing)).mode & 0o777 : 0o644;
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
