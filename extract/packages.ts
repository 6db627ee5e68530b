/**
 * The service's package.json and package-lock.json: only the npm packages its code imports, at the
 * versions the monolith's lockfile pins, and a lockfile that is the monolith's own, cut down to the
 * packages those need (same versions, same integrity hashes, same layout), so `npm ci` installs
 * exactly what the monolith ran with, offline from a warm cache and reproducibly anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [k: string]: unknown;
}

interface Lockfile {
  name?: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

export interface MonolithPackages {
  /** The lockfile found (absolute), or null. */
  lockfile: string | null;
  /** Where the monolith's package sits inside the lockfile ('' at the root, 'sample-monolith' for a workspace). */
  location: string;
  lock: Lockfile | null;
  /** The monolith's package.json. */
  manifest: { name?: string; type?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
}

export function readMonolithPackages(root: string): MonolithPackages {
  const manifestPath = findUp(root, 'package.json');
  const manifest = manifestPath ? JSON.parse(fs.readFileSync(manifestPath, 'utf8')) : {};
  const lockfile = findUp(root, 'package-lock.json');
  if (!lockfile) return { lockfile: null, location: '', lock: null, manifest };
  const lock = JSON.parse(fs.readFileSync(lockfile, 'utf8')) as Lockfile;
  if (!lock.packages) throw new Error(`extract: ${lockfile} is lockfileVersion ${lock.lockfileVersion}; npm 7 or later writes the version this reads (run npm install once)`);
  const pkgDir = manifestPath ? path.dirname(manifestPath) : root;
  const location = path.relative(path.dirname(lockfile), pkgDir).split(path.sep).join('/');
  return { lockfile, location, lock, manifest };
}

function findUp(dir: string, name: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const f = path.join(d, name);
    if (fs.existsSync(f)) return f;
    if (path.dirname(d) === d) return null;
  }
}

/** Where Node would find `name` required from the package at `from` (a lockfile key), per the lockfile's layout. */
function locate(lock: Lockfile, from: string, name: string): string | null {
  for (let dir = from; ; ) {
    const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!dir) return null;
    // one level up: out of a nested node_modules, or from a workspace folder towards the root
    const i = dir.lastIndexOf('/node_modules/');
    dir = i >= 0 ? dir.slice(0, i) : dir.startsWith('node_modules/') ? '' : path.posix.dirname(dir) === '.' ? '' : path.posix.dirname(dir);
  }
}

export function versionOf(pk: MonolithPackages, name: string): string | null {
  if (!pk.lock) return null;
  const key = locate(pk.lock, pk.location, name);
  const entry = key ? pk.lock.packages[key] : undefined;
  return entry?.version ?? null;
}

export interface ServicePackages {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** Imported packages the lockfile does not have (so no version could be pinned). */
  missing: string[];
  lock: Lockfile | null;
}

export function servicePackages(pk: MonolithPackages, name: string, runtime: string[], devOnly: string[]): ServicePackages {
  const missing: string[] = [];
  const pin = (list: string[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const p of [...new Set(list)].sort()) {
      const v = versionOf(pk, p);
      if (v) out[p] = v;
      else missing.push(p);
    }
    return out;
  };
  const dependencies = pin(runtime);
  const typesFor = [...runtime, ...devOnly, 'node'].map((p) => `@types/${p.replace(/^@([^/]+)\//, '$1__')}`).filter((t) => versionOf(pk, t));
  const devDependencies = pin([...devOnly.filter((p) => !(p in dependencies)), ...typesFor, 'typescript']);
  if (!('typescript' in devDependencies)) devDependencies.typescript = '^5';
  const missingReal = missing.filter((m) => m !== 'typescript');
  return { dependencies, devDependencies, missing: missingReal, lock: pk.lock ? cutLock(pk, name, dependencies, devDependencies) : null };
}

/** The monolith's lockfile with only what the service's dependencies need, dev flags recomputed for the service. */
function cutLock(pk: MonolithPackages, name: string, deps: Record<string, string>, devDeps: Record<string, string>): Lockfile {
  const lock = pk.lock!;
  const prod = new Set<string>();
  const all = new Set<string>();
  const walk = (from: string, names: string[], into: Set<string>) => {
    const queue = names.map((n) => ({ from, n }));
    while (queue.length) {
      const { from: f, n } = queue.shift()!;
      const key = locate(lock, f, n);
      if (!key || into.has(key)) continue;
      into.add(key);
      const e = lock.packages[key];
      const peers = Object.keys(e.peerDependencies ?? {}).filter((p) => !e.peerDependenciesMeta?.[p]?.optional);
      for (const d of [...Object.keys(e.dependencies ?? {}), ...Object.keys(e.optionalDependencies ?? {}), ...peers]) queue.push({ from: key, n: d });
    }
  };
  walk(pk.location, Object.keys(deps), prod);
  walk(pk.location, [...Object.keys(deps), ...Object.keys(devDeps)], all);
  const packages: Record<string, LockEntry> = {
    '': { name, version: '1.0.0', dependencies: deps, devDependencies: devDeps },
  };
  // keys relative to the service: the workspace's own node_modules become the root's
  const rebase = (key: string) => (pk.location && key.startsWith(`${pk.location}/`) ? key.slice(pk.location.length + 1) : key);
  for (const key of [...all].sort()) {
    const { dev: _d, devOptional: _do, optional: _o, peer: _p, ...entry } = lock.packages[key];
    const out: LockEntry = { ...entry };
    if (!prod.has(key)) out.dev = true;
    if (lock.packages[key].optional) out.optional = true;
    packages[rebase(key)] = out;
  }
  return { name, lockfileVersion: 3, requires: true, packages } as Lockfile;
}
