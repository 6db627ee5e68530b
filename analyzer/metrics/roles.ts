/**
 * Which modules are not part of the running backend: test code, tool scripts, build and tool
 * configuration, browser-side code. They are in the graph like every module, but the ranking and
 * the reach metrics leave them out (unless asked): a test that imports a module is not a module
 * that breaks when it moves, and a test folder is not an extraction candidate.
 *
 * A module is non-runtime when its name or place says so (below), or when only non-runtime code
 * imports it; and it is runtime again whenever runtime code imports it (a `scripts/` helper the
 * server imports, an email template in .tsx that the mailer renders).
 */
import { ASSET } from '../resolve';
import type { NonRuntimeKind, NonRuntimeModule } from '../types';

export interface RoleInput {
  /** Module ids, sorted. */
  ids: readonly string[];
  /** Runtime file edges (the import statements that load code), self-imports left out. */
  runtimeEdges: readonly { from: string; to: string }[];
  /** npm packages each module imports (`react-dom`, `node:fs`). */
  packages(id: string): readonly string[];
  /** Import specifiers as written. */
  specifiers(id: string): readonly string[];
  /** package.json scripts that run the module, and whether one of them runs the app. */
  scriptUse(id: string): { scripts: string[]; runtime: boolean } | undefined;
}

const EXT = String.raw`\.[cm]?[jt]sx?$`;
const TEST_FILE = new RegExp(String.raw`[._-](test|spec|e2e-spec|e2e|test-d|bench)${EXT}`, 'i');
const TEST_SETUP = new RegExp(String.raw`^(setup-?tests?|tests?-?setup|(jest|vitest)[.-](setup|teardown|global-setup|global-teardown)|global-?(setup|teardown))${EXT}`, 'i');
const TEST_DIRS = new Set(['__tests__', '__mocks__', '__fixtures__', '__snapshots__', 'test', 'tests', 'e2e', 'test-utils', 'test_utils', 'testutils', 'test-helpers']);
const TOOL_CONFIG = [
  new RegExp(String.raw`\.config${EXT}`),
  new RegExp(String.raw`^(gulpfile|gruntfile|jakefile|knexfile|ormconfig)${EXT}`, 'i'),
  new RegExp(String.raw`^\.(eslintrc|prettierrc|babelrc|mocharc|lintstagedrc|stylelintrc|swcrc)(\.[\w]+)?${EXT}`),
  new RegExp(String.raw`^(jest|vitest)\.(preset|workspace)${EXT}`),
  new RegExp(String.raw`^(webpack|rollup)\.[\w.-]+${EXT}`),
];
const SCRIPT_DIRS = new Set(['scripts', 'script']);
/** Migrations and seeders: run by the schema tool (knex migrate, sequelize-cli, umzug), not by the app's requests. */
const SCHEMA_CODE = /(^|\/)(migrations?|seeds?|seeders?)\/|(^|\/)(seed|seeds|migrate|migration)\.[cm]?[jt]sx?$/;

/**
 * UI frameworks and libraries that run in a browser. React runs on servers too (email templates,
 * server rendering): a server module that imports React is imported by other server code, which
 * makes it runtime again, and one that renders (`react-dom/server`) is never browser code.
 */
const BROWSER_PACKAGES = new Set([
  'react',
  'react-dom',
  'react-router',
  'react-router-dom',
  'react-redux',
  'react-query',
  'react-i18next',
  'react-hook-form',
  'mobx-react',
  'mobx-react-lite',
  'styled-components',
  'framer-motion',
  'swr',
  'vue',
  'vue-router',
  'vuex',
  'pinia',
  'svelte',
  'preact',
  'solid-js',
  'lit',
  'jquery',
  'antd',
]);
const BROWSER_SCOPES = ['@angular/', '@mui/', '@mantine/', '@chakra-ui/', '@radix-ui/', '@emotion/', '@headlessui/', '@vue/', '@sveltejs/', '@tanstack/react-', '@remix-run/react'];
/** Rendering HTML on the server: the module is server code whatever UI library it imports. */
const SERVER_RENDER = /^(react-dom\/server|vue\/server-renderer|@vue\/server-renderer|svelte\/server|preact-render-to-string)/;
const STORY = new RegExp(String.raw`\.stories${EXT}`);

const words = (id: string): string[] => id.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/);
const TEST_WORDS = new Set(['test', 'tests', 'testing', 'fake', 'fakes', 'mock', 'mocks', 'stub', 'stubs', 'fixture', 'fixtures', 'dummy']);
const SCRIPT_WORDS = new Set(['script', 'scripts', 'tool', 'tools', 'cli', 'bin']);

/** Whether a module imported only by non-runtime code of this kind is of that kind too. */
function inherits(kind: NonRuntimeKind, id: string): boolean {
  if (kind === 'test') return words(id).some((w) => TEST_WORDS.has(w));
  if (kind === 'script') return words(id).some((w) => SCRIPT_WORDS.has(w));
  // nothing else loads what only a bundle or a tool's config imports
  return true;
}

/** Why a module is non-runtime by its own name, place or imports; undefined when nothing says so. */
/** `serverSide`: it imports server code, directly or not (an HTTP framework, a database driver, `node:fs`): never browser code. */
export function ownRole(id: string, input: RoleInput, serverSide = false): { kind: NonRuntimeKind; reason: string } | undefined {
  const segments = id.split('/');
  const base = segments[segments.length - 1];
  const folders = segments.slice(0, -1);
  if (TEST_FILE.test(base)) return { kind: 'test', reason: `a test file (${base})` };
  const testDir = folders.find((f) => TEST_DIRS.has(f));
  if (testDir) return { kind: 'test', reason: `in a test folder (${testDir}/)` };
  if (TEST_SETUP.test(base)) return { kind: 'test', reason: 'a test set-up file' };
  if (TOOL_CONFIG.some((re) => re.test(base))) return { kind: 'config', reason: `a tool's configuration file (${base})` };
  const use = input.scriptUse(id);
  if (use && !use.runtime) {
    const names = use.scripts.slice(0, 3).map((s) => `"${s}"`).join(', ') + (use.scripts.length > 3 ? ` and ${use.scripts.length - 3} more` : '');
    return { kind: 'script', reason: `run by the package.json ${use.scripts.length === 1 ? 'script' : 'scripts'} ${names}, not by the app` };
  }
  const scriptDir = folders.find((f) => SCRIPT_DIRS.has(f));
  if (scriptDir && !use) return { kind: 'script', reason: `in a ${scriptDir}/ folder` };
  if (SCHEMA_CODE.test(id) && !use) return { kind: 'script', reason: 'a migration or seed, run by the schema tool' };
  if (serverSide) return undefined;
  if (STORY.test(base)) return { kind: 'browser', reason: 'a Storybook story' };
  const asset = input.specifiers(id).find((s) => ASSET.test(s));
  if (asset) return { kind: 'browser', reason: `browser-side: imports ${asset}, which only a bundler loads` };
  const renders = input.specifiers(id).some((s) => SERVER_RENDER.test(s));
  const ui = renders ? undefined : input.packages(id).find((p) => BROWSER_PACKAGES.has(p) || BROWSER_SCOPES.some((s) => p.startsWith(s)));
  if (ui) return { kind: 'browser', reason: `browser-side: imports ${ui}` };
  // JSX without a server import (a component on the new JSX transform imports nothing)
  if (/\.[jt]sx$/.test(base) && !renders) return { kind: 'browser', reason: 'browser-side: a JSX component' };
  return undefined;
}

/** Node's server-side builtins (not the ones bundlers polyfill for browsers: events, buffer, path, url…). */
const SERVER_BUILTINS = new Set(['fs', 'http', 'https', 'http2', 'net', 'tls', 'child_process', 'cluster', 'dgram', 'dns', 'os', 'worker_threads', 'v8', 'vm', 'readline', 'module', 'perf_hooks', 'inspector'].map((b) => `node:${b}`));
/** HTTP servers and database drivers: what only a server imports. */
const SERVER_PACKAGES = new Set(['express', 'koa', 'fastify', 'hono', '@nestjs/core', '@nestjs/common', '@hapi/hapi', 'restify', 'pg', 'mysql', 'mysql2', 'sqlite3', 'better-sqlite3', 'mongodb', 'mongoose', 'ioredis', 'redis', 'knex', 'sequelize', 'sequelize-typescript', 'typeorm', '@prisma/client', 'bullmq', 'bull']);

const isServerPackage = (p: string): boolean => SERVER_BUILTINS.has(p) || SERVER_PACKAGES.has(p);

/** Per module: whether it imports server code, directly or through its imports. */
function reachesServer(ids: readonly string[], out: number[][], input: RoleInput): Uint8Array {
  const into: number[][] = ids.map(() => []);
  out.forEach((targets, a) => targets.forEach((b) => into[b].push(a)));
  const result = new Uint8Array(ids.length);
  const stack: number[] = [];
  ids.forEach((id, i) => {
    if (input.packages(id).some(isServerPackage)) (result[i] = 1), stack.push(i);
  });
  while (stack.length) for (const a of into[stack.pop()!]) if (!result[a]) (result[a] = 1), stack.push(a);
  return result;
}

/**
 * The non-runtime modules, sorted by id. Runtime code is what the app's entry points (modules
 * nothing imports that no rule marks) load, transitively; everything else is non-runtime, with the
 * kind of the non-runtime code that imports it.
 */
export function classifyModules(input: RoleInput): NonRuntimeModule[] {
  const { ids } = input;
  const index = new Map(ids.map((id, i) => [id, i]));
  const out: number[][] = ids.map(() => []);
  const imported = new Uint8Array(ids.length);
  for (const e of input.runtimeEdges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    out[a].push(b);
    imported[b] = 1;
  }
  const server = reachesServer(ids, out, input);
  const own = ids.map((id, i) => ownRole(id, input, server[i] === 1));
  // The entry of a bundle: nothing imports it and all the code it imports is of one non-runtime
  // kind (a test runner over test files; data files it reads, `../plugin.json`, say nothing), or it
  // imports browser code and reaches no server code (a plugin's client/index.tsx over its
  // components and shared helpers): it is of that kind too.
  for (let i = 0; i < ids.length; i++) {
    const code = out[i].filter((b) => !ids[b].endsWith('.json'));
    if (own[i] || imported[i] || code.length === 0) continue;
    const kinds = new Set(code.map((b) => own[b]?.kind));
    const [k] = kinds;
    const shown = (of: number[]): string => {
      const names = [...new Set(of.map((b) => ids[b]))].sort();
      return `${names.slice(0, 2).join(', ')}${names.length > 2 ? ` and ${names.length - 2} more` : ''}`;
    };
    if (kinds.size === 1 && k !== undefined) own[i] = { kind: k, reason: `imports only ${k === 'config' ? 'tool configuration' : `${k} code`} (${shown(code)})` };
    else if (kinds.has('browser') && !server[i]) {
      own[i] = { kind: 'browser', reason: `imports browser code (${shown(code.filter((b) => own[b]?.kind === 'browser'))}) and no server code` };
    }
  }
  const runtime = new Uint8Array(ids.length);
  const spread = (starts: number[]): void => {
    const stack = starts.filter((i) => !runtime[i]);
    for (const i of stack) runtime[i] = 1;
    while (stack.length) for (const next of out[stack.pop()!]) if (!runtime[next]) (runtime[next] = 1), stack.push(next);
  };
  spread(ids.map((_, i) => i).filter((i) => !imported[i] && !own[i]));

  // What non-runtime code reaches, with the importer that reached it first (roots sorted by id). A
  // module only tests or scripts import is one of theirs only when its name says so too: otherwise
  // it may be loaded by code outside the analyzed folder or by a directory scan, so it stays runtime.
  const parent = new Int32Array(ids.length).fill(-1);
  const kind: (NonRuntimeKind | undefined)[] = own.map((r) => r?.kind);
  for (;;) {
    const reached = new Uint8Array(ids.length);
    const entries: number[] = [];
    const queue = ids.map((_, i) => i).filter((i) => own[i] && !runtime[i]);
    for (const r of queue) reached[r] = 1;
    for (let q = 0; q < queue.length; q++) {
      const k = kind[queue[q]]!;
      for (const next of out[queue[q]]) {
        if (runtime[next] || reached[next]) continue;
        reached[next] = 1;
        if (!inherits(k, ids[next])) {
          entries.push(next);
          continue;
        }
        parent[next] = queue[q];
        kind[next] = k;
        queue.push(next);
      }
    }
    // and modules in import cycles that nothing outside imports and no rule marks: entry points too
    for (let i = 0; i < ids.length; i++) if (!runtime[i] && !reached[i]) entries.push(i);
    if (entries.length === 0) break;
    spread(entries);
  }

  const result: NonRuntimeModule[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (runtime[i]) continue;
    const k = kind[i]!;
    const reason = own[i]?.reason ?? `imported only by ${k === 'config' ? 'tool configuration' : `${k} code`} (${ids[parent[i]]})`;
    result.push({ module: ids[i], kind: k, reason });
  }
  return result;
}
