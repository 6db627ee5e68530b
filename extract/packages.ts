/**
 * The service's package.json and package-lock.json: only the npm packages its code imports, at the
 * versions the monolith's lockfile pins (npm's, yarn's or pnpm's: lockfiles.ts), else at the range of
 * the nearest package.json declaring them (said as a warning); workspace packages are a decision, not
 * a dependency. From npm's lockfile, the service gets it cut down to the packages those need (same
 * versions, same integrity hashes, same layout), so `npm ci` installs exactly what the monolith ran with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findLockfile, npmPackagesOf, readPnpmLock, readYarnLock, type LockKind, type MonolithLock } from './lockfiles';

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
  lockKind: LockKind | null;
  /** Where the monolith's package sits inside the lockfile ('' at the root, 'sample-monolith' for a workspace). */
  location: string;
  /** npm's lockfile, as v2/v3 `packages` (a v1 file converted): the one extract can cut down for the service. */
  lock: Lockfile | null;
  /** The yarn or pnpm lockfile, read. */
  other: MonolithLock | null;
  /** The monolith's package.json. */
  manifest: { name?: string; type?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  /** package.json files from the monolith's folder up to the filesystem root (the workspace's), nearest first. */
  manifests: { file: string; ranges: Record<string, string> }[];
}

export function readMonolithPackages(root: string): MonolithPackages {
  const manifestPath = findUp(root, 'package.json');
  const manifest = manifestPath ? JSON.parse(fs.readFileSync(manifestPath, 'utf8')) : {};
  const found = findLockfile(root);
  // package.json files up to the workspace root: the lockfile's folder, else the repository's
  const manifests = manifestsUp(root, found ? path.dirname(found.file) : null);
  const pkgDir = manifestPath ? path.dirname(manifestPath) : root;
  const none = { lockfile: null, lockKind: null, location: '', lock: null, other: null, manifest, manifests };
  if (!found) return none;
  const location = path.relative(path.dirname(found.file), pkgDir).split(path.sep).join('/');
  if (found.kind === 'pnpm') return { ...none, lockfile: found.file, lockKind: 'pnpm', location, other: readPnpmLock(found.file, location) };
  if (found.kind === 'yarn') return { ...none, lockfile: found.file, lockKind: 'yarn', location, other: readYarnLock(found.file, location) };
  const raw = JSON.parse(fs.readFileSync(found.file, 'utf8'));
  const lock = { ...raw, packages: npmPackagesOf(raw) } as Lockfile;
  return { ...none, lockfile: found.file, lockKind: 'npm', location, lock };
}

function manifestsUp(dir: string, top: string | null): { file: string; ranges: Record<string, string> }[] {
  const out: { file: string; ranges: Record<string, string> }[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (top && !(d + path.sep).startsWith(path.resolve(top) + path.sep)) return out;
    const f = path.join(d, 'package.json');
    if (fs.existsSync(f)) {
      const m = JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, Record<string, string> | undefined>;
      out.push({ file: f, ranges: { ...m.peerDependencies, ...m.optionalDependencies, ...m.devDependencies, ...m.dependencies } });
    }
    if (path.dirname(d) === d || (!top && fs.existsSync(path.join(d, '.git')))) return out;
  }
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

/** How a package's version was decided: pinned by the lockfile, a range from a package.json, a workspace package, or nothing. */
export type Resolution =
  | { how: 'lockfile'; version: string }
  | { how: 'range'; version: string; file: string }
  | { how: 'workspace'; spec: string; file: string | null }
  | { how: 'missing' };

export function resolvePackage(pk: MonolithPackages, name: string): Resolution {
  const declared = pk.manifests.find((m) => name in m.ranges);
  const range = declared?.ranges[name];
  if (range && /^(workspace|link|file|portal):/.test(range)) return { how: 'workspace', spec: range, file: declared!.file };
  if (pk.lock) {
    const key = locate(pk.lock, pk.location, name);
    const entry = key ? pk.lock.packages[key] : undefined;
    if (entry?.link || /^file:/.test(entry?.version ?? '')) return { how: 'workspace', spec: entry!.resolved ?? entry!.version ?? 'link', file: declared?.file ?? null };
    if (entry?.version) return { how: 'lockfile', version: entry.version };
  }
  if (pk.other) {
    const p = pk.other.pin(name, range);
    if (p && 'link' in p) return { how: 'workspace', spec: p.link, file: declared?.file ?? null };
    if (p) return { how: 'lockfile', version: p.version };
  }
  if (range && declared) return { how: 'range', version: range, file: declared.file };
  return { how: 'missing' };
}

export function versionOf(pk: MonolithPackages, name: string): string | null {
  const r = resolvePackage(pk, name);
  return r.how === 'lockfile' || r.how === 'range' ? r.version : null;
}

export interface ServicePackages {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** Imported packages nothing pins or declares (so no version could be given). */
  missing: string[];
  /** Packages no lockfile pins: the range of the nearest package.json that declares them is used. */
  ranges: { name: string; range: string; file: string }[];
  /** Workspace packages of the monolith (`workspace:*`, `link:`): not on a registry; left out of package.json. */
  workspace: { name: string; spec: string; file: string | null }[];
  /** The monolith's lockfile the versions came from (absolute), or null. */
  lockfile: string | null;
  lock: Lockfile | null;
}

export function servicePackages(pk: MonolithPackages, name: string, runtime: string[], devOnly: string[]): ServicePackages {
  const missing: string[] = [];
  const ranges: ServicePackages['ranges'] = [];
  const workspace: ServicePackages['workspace'] = [];
  const pin = (list: string[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const p of [...new Set(list)].sort()) {
      const r = resolvePackage(pk, p);
      if (r.how === 'lockfile') out[p] = r.version;
      else if (r.how === 'range') {
        out[p] = r.version;
        if (p !== 'typescript') ranges.push({ name: p, range: r.version, file: r.file });
      } else if (r.how === 'workspace') workspace.push({ name: p, spec: r.spec, file: r.file });
      else missing.push(p);
    }
    return out;
  };
  const dependencies = pin(runtime);
  const typesFor = [...runtime, ...devOnly, 'node'].map((p) => `@types/${p.replace(/^@([^/]+)\//, '$1__')}`).filter((t) => versionOf(pk, t));
  const devDependencies = pin([...devOnly.filter((p) => !(p in dependencies)), ...typesFor, 'typescript']);
  if (!('typescript' in devDependencies)) devDependencies.typescript = '^5';
  // the service's tsconfig compiles with types: ['node'] and its engines ask for node 20
  if (!('@types/node' in devDependencies)) devDependencies['@types/node'] = '^20';
  const missingReal = missing.filter((m) => m !== 'typescript');
  // a cut lockfile only from npm's, and only when every dependency is in it
  const lock = pk.lock && ranges.length === 0 ? cutLock(pk, name, dependencies, devDependencies) : null;
  return { dependencies, devDependencies, missing: missingReal, ranges, workspace, lockfile: pk.lockfile, lock };
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
