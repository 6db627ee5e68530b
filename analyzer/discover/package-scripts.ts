/**
 * Which source files the package.json files run: `scripts` commands, `main` and `bin`. A file that
 * only a tool script runs (`seed`, `migration:up`, `docs:export`) is a script, not part of the
 * running app; one a `start`/`dev`/`…:prod` script, `main` or `bin` runs is an entry of the app.
 */
import fs from 'node:fs';
import path from 'node:path';
import { filesAbove } from './tsconfig';

export interface ScriptUse {
  /** Names of the package.json scripts that run the file (`main`/`bin` for those fields). */
  scripts: string[];
  /** Run as (part of) the app: by a start/dev/serve/prod script, `main` or `bin`. */
  runtime: boolean;
}

/**
 * A script runs the app when its name starts with start, dev, serve, server, prod, production,
 * debug or preview (`start:worker`, `dev-api`), or has a `prod`/`production`/`dev` part
 * (`collab:prod`) and no part naming a tool (`db:migrate:dev`, `ch:migrate:dev` and `seed:dev`
 * run a tool against the dev database); `copy:watch`, `seed:setup`, `migration:run` are tools.
 */
const RUNTIME_FIRST = /^(start|dev|develop|serve|server|prod|production|debug|preview)$/;
const RUNTIME_PART = /^(prod|production|dev)$/;
const TOOL_PART = /^(migrate|migration|migrations|seed|generate|gen|codegen|test|lint|build|typecheck|format|docs|db)$/;
export const isRuntimeScript = (name: string): boolean => {
  const parts = name.toLowerCase().split(/[:\-_.]/);
  if (RUNTIME_FIRST.test(parts[0])) return true;
  const rest = parts.slice(1);
  return rest.some((p) => RUNTIME_PART.test(p)) && !parts.some((p) => TOOL_PART.test(p));
};

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
/** Output folders a command may run from (`node dist/server.js`): mapped back to the source. */
const BUILD_DIRS = new Set(['dist', 'build', 'out', 'lib']);

/**
 * Every project file run by a package.json at or above root (the nearest one, up to the
 * repository root) or in a folder holding project files; keys are real absolute paths.
 */
export function packageScriptUses(root: string, files: readonly string[], isProjectFile: (file: string) => boolean): Map<string, ScriptUse> {
  const uses = new Map<string, ScriptUse>();
  const record = (file: string, script: string, runtime: boolean): void => {
    const use = uses.get(file) ?? { scripts: [], runtime: false };
    if (!use.scripts.includes(script)) use.scripts.push(script);
    use.runtime ||= runtime;
    uses.set(file, use);
  };
  for (const pkgFile of packageJsonFiles(root, files)) {
    let pkg: { scripts?: unknown; main?: unknown; bin?: unknown };
    try {
      pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as typeof pkg;
    } catch {
      continue; // not ours to validate: npm reports a broken package.json
    }
    const dir = path.dirname(pkgFile);
    const targets = (command: string): string[] => commandPaths(command).flatMap((p) => sourceOf(dir, p, isProjectFile) ?? []);
    if (typeof pkg.main === 'string') for (const f of targets(pkg.main)) record(f, 'main', true);
    const bins = typeof pkg.bin === 'string' ? [pkg.bin] : pkg.bin && typeof pkg.bin === 'object' ? Object.values(pkg.bin).filter((b): b is string => typeof b === 'string') : [];
    for (const b of bins) for (const f of targets(b)) record(f, 'bin', true);
    if (pkg.scripts && typeof pkg.scripts === 'object') {
      for (const [name, command] of Object.entries(pkg.scripts as Record<string, unknown>)) {
        if (typeof command === 'string') for (const f of targets(command)) record(f, name, isRuntimeScript(name));
      }
    }
  }
  for (const use of uses.values()) use.scripts.sort();
  return uses;
}

function packageJsonFiles(root: string, files: readonly string[]): string[] {
  const found = new Set<string>();
  const dirs = new Set<string>();
  for (const f of files) for (let d = path.dirname(f); d.startsWith(root) && !dirs.has(d); d = path.dirname(d)) dirs.add(d);
  dirs.add(root);
  for (const d of dirs) {
    const p = path.join(d, 'package.json');
    if (fs.existsSync(p)) found.add(p);
  }
  // `analyze src`: the package.json is the project's, a level or more up
  if (!found.has(path.join(root, 'package.json'))) for (const p of filesAbove(root, 'package.json').slice(0, 1)) found.add(p);
  return [...found].sort();
}

/** The words of a shell command that look like paths to source files: `./dist/server.js`, `src/seed.ts`, `dist/main`. */
export function commandPaths(command: string): string[] {
  const words = command.split(/[\s;&|()]+/).map((w) => w.replace(/^['"]+|['"]+$/g, ''));
  return words.filter((w) => w.length > 0 && !w.startsWith('-') && !/[=*$`{}<>]/.test(w) && (SOURCE_EXT.test(w) || (w.includes('/') && !w.includes('://'))));
}

/** The project source file a path of a command runs, directly or through its built copy. */
function sourceOf(dir: string, word: string, isProjectFile: (file: string) => boolean): string | undefined {
  const abs = path.resolve(dir, word);
  const stem = abs.replace(SOURCE_EXT, '');
  const candidates = [abs, ...EXTS.map((e) => stem + e), ...EXTS.map((e) => path.join(abs, `index${e}`))];
  const parts = path.relative(dir, stem).split(path.sep);
  parts.forEach((part, i) => {
    if (!BUILD_DIRS.has(part)) return;
    // dist/x.js → src/x.ts, or x.ts when the build mirrors the package root (outDir build, rootDir .)
    for (const base of [[...parts.slice(0, i), 'src', ...parts.slice(i + 1)], [...parts.slice(0, i), ...parts.slice(i + 1)]]) {
      for (const e of EXTS) candidates.push(path.join(dir, ...base) + e);
    }
  });
  for (const c of candidates) {
    if (!fs.existsSync(c) || !fs.statSync(c).isFile()) continue;
    const real = fs.realpathSync(c);
    if (isProjectFile(real)) return real;
  }
  return undefined;
}
