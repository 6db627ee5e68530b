/**
 * The version the monolith runs a package at, from whichever lockfile its package manager wrote:
 * package-lock.json (v1–v3, npm), yarn.lock (classic and berry, read with @yarnpkg/parsers, yarn's
 * own parser for both) or pnpm-lock.yaml (read with `yaml`: pnpm's own reader pulls in a store and a
 * dozen packages to read one YAML file). The nearest folder holding one, from the analyzed folder up
 * to the workspace root, is the monolith's. Only reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseSyml } from '@yarnpkg/parsers';
import { parse as parseYaml } from 'yaml';

export type LockKind = 'npm' | 'yarn' | 'pnpm';

export interface Pinned {
  version: string;
}

/** A lockfile, read: what version a package is pinned at for the importer (the analyzed package). */
export interface MonolithLock {
  kind: LockKind;
  file: string;
  /** The importer's folder relative to the lockfile's ('' at the root). */
  location: string;
  /** The pinned version; `link` when the lockfile resolves it to a workspace folder; null when it pins nothing. */
  pin(name: string, declared: string | undefined): { version: string } | { link: string } | null;
}

const NAMES: [string, LockKind][] = [
  ['package-lock.json', 'npm'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
];

/** The lockfile of the nearest folder, from `dir` up, that has one. */
export function findLockfile(dir: string): { file: string; kind: LockKind } | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    for (const [name, kind] of NAMES) {
      const f = path.join(d, name);
      if (fs.existsSync(f)) return { file: f, kind };
    }
    if (path.dirname(d) === d) return null;
  }
}

/** Versions that pnpm and yarn write with a peer suffix: `6.11.0(@bull-board/ui@6.11.0)`, `4.1.0_react@18`. */
function bare(v: string): string {
  return v.replace(/\(.*$/, '').replace(/_.*$/, '');
}

/** One version when all entries agree, else null (several copies: the declared range decides). */
function single(versions: string[]): string | null {
  const set = [...new Set(versions)];
  return set.length === 1 ? set[0] : null;
}

export function readPnpmLock(file: string, location: string): MonolithLock {
  const doc = (parseYaml(fs.readFileSync(file, 'utf8')) ?? {}) as {
    importers?: Record<string, Record<string, Record<string, string | { specifier?: string; version: string }>>>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    packages?: Record<string, unknown>;
  };
  // a lockfile without importers (one package) keeps its dependencies at the top
  type Group = Record<string, string | { specifier?: string; version: string }>;
  // the package's own importer, then those of the folders above it up to the workspace root
  const chain: string[] = [];
  for (let l = location || '.'; ; l = path.posix.dirname(l)) {
    chain.push(l);
    if (l === '.') break;
  }
  const importers: Record<string, Group | undefined>[] = doc.importers
    ? chain.map((l) => doc.importers![l]).filter((i): i is NonNullable<typeof i> => Boolean(i))
    : [{ dependencies: doc.dependencies, devDependencies: doc.devDependencies }];
  const keys = Object.keys(doc.packages ?? {});
  return {
    kind: 'pnpm',
    file,
    location,
    pin(name) {
      for (const importer of importers)
        for (const group of ['dependencies', 'devDependencies', 'optionalDependencies']) {
          const e = importer[group]?.[name];
          if (!e) continue;
          const v = typeof e === 'string' ? e : e.version;
          if (v.startsWith('link:') || v.startsWith('file:')) return { link: v };
          return { version: bare(v) };
        }
      // a package the importer does not declare: its one copy in the store, if there is one
      // (v9 `name@1.2.3`, v6 `/name@1.2.3`, v5 `/name/1.2.3`)
      const versions: string[] = [];
      for (const k of keys) {
        const key = k.replace(/^\//, '');
        if (key.startsWith(`${name}@`)) versions.push(bare(key.slice(name.length + 1)));
        else if (key.startsWith(`${name}/`) && /^\d/.test(key.slice(name.length + 1))) versions.push(bare(key.slice(name.length + 1)));
      }
      const v = single(versions);
      return v ? { version: v } : null;
    },
  };
}

export function readYarnLock(file: string, location: string): MonolithLock {
  const doc = parseSyml(fs.readFileSync(file, 'utf8')) as Record<string, { version?: string; resolution?: string }>;
  // berry writes `"a@npm:^1, a@npm:^1.2"` as one key; classic's are split by the parser
  const entries: { name: string; range: string; version: string; resolution?: string }[] = [];
  for (const [key, e] of Object.entries(doc)) {
    if (key === '__metadata' || !e || typeof e.version !== 'string') continue;
    for (const one of key.split(/,\s*/)) {
      const at = one.indexOf('@', 1);
      if (at < 0) continue;
      entries.push({ name: one.slice(0, at), range: one.slice(at + 1), version: e.version, resolution: e.resolution });
    }
  }
  return {
    kind: 'yarn',
    file,
    location,
    pin(name, declared) {
      const mine = entries.filter((e) => e.name === name);
      const exact = declared ? mine.find((e) => e.range === declared || e.range === `npm:${declared}`) : undefined;
      const hit = exact ?? (single(mine.map((e) => e.version)) ? mine[0] : undefined);
      if (!hit) return null;
      if (/@(workspace|link|portal|file):/.test(hit.resolution ?? '') || /^(workspace|link|portal|file):/.test(hit.range)) return { link: hit.resolution ?? hit.range };
      return { version: hit.version };
    },
  };
}

interface NpmLockEntry {
  version?: string;
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, unknown>;
}

/** package-lock.json v1 (`dependencies`, nested) as the v2/v3 `packages` map the rest of extract reads. */
export function npmPackagesOf(lock: { lockfileVersion: number; packages?: Record<string, NpmLockEntry>; dependencies?: Record<string, NpmLockEntry> }): Record<string, NpmLockEntry> {
  if (lock.packages) return lock.packages;
  const out: Record<string, NpmLockEntry> = { '': {} };
  const walk = (prefix: string, deps: Record<string, NpmLockEntry> | undefined) => {
    for (const [name, e] of Object.entries(deps ?? {})) {
      const key = `${prefix}node_modules/${name}`;
      const { dependencies, ...rest } = e as NpmLockEntry & { dependencies?: Record<string, NpmLockEntry>; requires?: Record<string, string> };
      out[key] = { ...rest, dependencies: (e as { requires?: Record<string, string> }).requires };
      walk(`${key}/`, dependencies as Record<string, NpmLockEntry> | undefined);
    }
  };
  walk('', lock.dependencies);
  return out;
}
