import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { isInside } from '../discover';
import type { GlobImport } from '../scan/glob-imports';

/** Where an import specifier leads. */
export type Resolution =
  /** A module of the analyzed project (absolute real path). */
  | { kind: 'internal'; file: string }
  /** An npm package or a Node builtin (`node:fs`): recorded on the module, not a graph node. */
  | { kind: 'package'; name: string }
  /** Resolved to something that is not a module of ours: a `.d.ts`, a file outside the analyzed directory; `quiet` when that is normal (declarations, assets). */
  | { kind: 'ignored'; reason: string; quiet?: true }
  | { kind: 'unresolved' };

export type ImportMode = 'import' | 'require' | 'dynamic';

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const BUILD_DIRS = ['dist', 'lib', 'build', 'out', 'esm', 'cjs'];
/** Stylesheets, images, fonts, single-file components: files a bundler turns into modules. */
export const ASSET = /\.(css|scss|sass|less|styl|pcss|vue|svelte|svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf|eot)(\?.*)?$/i;

/** `@scope/pkg/deep/path` → `@scope/pkg`; `fs` and `node:fs/promises` → `node:fs`. */
export function packageName(specifier: string): string {
  if (specifier.startsWith('node:')) return `node:${specifier.slice(5).split('/')[0]}`;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0];
  return BUILTINS.has(name) || BUILTINS.has(specifier) ? `node:${name}` : name;
}

const isBare = (s: string): boolean => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('#') && !path.isAbsolute(s);

/** What resolution needs of one tsconfig project: its options, its own resolution cache. */
interface ProjectResolution {
  options: ts.CompilerOptions;
  cache: ts.ModuleResolutionCache;
  pathPatterns: RegExp[];
}

/**
 * Resolves specifiers exactly as TypeScript does (ts.resolveModuleName with the compilerOptions of
 * the importing file's project and one resolution cache per project), over a host that caches
 * every file system question, then decides whether the result is one of our modules.
 */
export class Resolver {
  private readonly host: ts.ModuleResolutionHost;
  private readonly projects: ProjectResolution[];
  private readonly results = new Map<string, Resolution>();

  /** `options`: one project's compilerOptions, or several with `projectOf` telling which a file belongs to. */
  constructor(
    private readonly root: string,
    options: ts.CompilerOptions | readonly ts.CompilerOptions[],
    private readonly isProjectFile: (file: string) => boolean,
    private readonly projectOf: (file: string) => number = () => 0,
  ) {
    this.host = cachedHost(root);
    this.projects = (Array.isArray(options) ? options : [options]).map((o: ts.CompilerOptions) => ({
      options: o,
      cache: ts.createModuleResolutionCache(root, (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()), o),
      pathPatterns: Object.keys(o.paths ?? {}).map((k) => new RegExp(`^${k.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)),
    }));
  }

  resolve(specifier: string, containingFile: string, mode: ImportMode, referencePath = false): Resolution {
    const project = this.projects.length > 1 ? this.projectOf(containingFile) : 0;
    const key = `${project}\0${path.dirname(containingFile)}\0${mode}\0${referencePath ? 'ref' : ''}\0${specifier}`;
    let r = this.results.get(key);
    if (!r) {
      r = referencePath ? this.resolveReference(specifier, containingFile) : this.resolveModule(specifier, containingFile, mode, this.projects[project]);
      this.results.set(key, r);
    }
    return r;
  }

  /**
   * The project files a glob import loads (real paths, sorted): Vite patterns resolved against the
   * importing file's folder (`/` against its package root), webpack contexts walked from their folder.
   */
  resolveGlob(glob: GlobImport, containingFile: string): string[] {
    // loaded here: few projects have glob imports, and loading the globber costs every run ~20 ms
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { globSync } = require('tinyglobby') as typeof import('tinyglobby');
    const dir = path.dirname(containingFile);
    let files: string[];
    if (glob.patterns) {
      const appRoot = this.packageRootOf(dir);
      const patterns = glob.patterns.map((p) => {
        const neg = p.startsWith('!');
        const body = neg ? p.slice(1) : p;
        const abs = body.startsWith('/') ? path.join(appRoot, body) : path.resolve(dir, body);
        return `${neg ? '!' : ''}${abs.split(path.sep).join('/')}`;
      });
      // Vite leaves node_modules out unless a pattern asks for it
      const ignore = patterns.some((p) => p.includes('node_modules')) ? [] : ['**/node_modules/**'];
      files = globSync(patterns, { absolute: true, ignore, expandDirectories: false });
    } else if (glob.context) {
      const { directory, recursive, filter } = glob.context;
      const base = path.resolve(dir, directory);
      const keep = new RegExp(filter.source, filter.flags.replace('g', ''));
      files = globSync(recursive ? '**/*' : '*', { cwd: base, absolute: false, ignore: ['**/node_modules/**'] })
        .filter((rel) => keep.test(`./${rel}`))
        .map((rel) => path.join(base, rel));
    } else return [];
    const own = new Set<string>();
    for (const f of files) {
      const real = this.host.realpath!(path.resolve(f));
      if (real !== path.resolve(containingFile) && this.isProjectFile(real)) own.add(real);
    }
    return [...own].sort();
  }

  /** The nearest folder holding a package.json (Vite's root for `/` patterns), else the analyzed root. */
  private packageRootOf(dir: string): string {
    for (let d = dir; isInside(this.root, d) || d === this.root; d = path.dirname(d)) {
      if (this.host.fileExists(path.join(d, 'package.json'))) return d;
      if (d === this.root) break;
    }
    return this.root;
  }

  private resolveReference(specifier: string, containingFile: string): Resolution {
    const file = path.resolve(path.dirname(containingFile), specifier);
    if (!this.host.fileExists(file)) return { kind: 'unresolved' };
    return this.classify(this.host.realpath!(file));
  }

  private resolveModule(specifier: string, containingFile: string, mode: ImportMode, project: ProjectResolution): Resolution {
    const aliased = project.pathPatterns.some((re) => re.test(specifier));
    const builtin = isBare(specifier) && (specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]));
    // `domain/x` with `baseUrl: src` is src/domain/x.ts to TypeScript, not Node's `domain`: only then is a builtin name looked up
    if (builtin && (specifier.startsWith('node:') || (!aliased && project.options.baseUrl === undefined))) return { kind: 'package', name: packageName(specifier) };
    const primary = this.modeFor(containingFile, mode, project);
    let resolved = this.tsResolve(specifier, containingFile, primary, project);
    // an extensionless `./x` in an ES-module file, or a require() TS would not follow: take the other mode's answer
    if (!resolved) resolved = this.tsResolve(specifier, containingFile, primary === ts.ModuleKind.CommonJS ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS, project);
    if (resolved) {
      const file = this.host.realpath!(resolved.resolvedFileName);
      const inRepo = isInside(this.root, file) && !file.split(path.sep).includes('node_modules');
      if (inRepo) {
        const r = this.classify(file);
        if (!builtin || r.kind === 'internal') return r;
      }
      if (isBare(specifier)) return { kind: 'package', name: packageName(specifier) };
      return { kind: 'ignored', reason: `resolves outside the analyzed directory (${file})` };
    }
    // JSON without resolveJsonModule, or a data file a JS module requires
    if (!isBare(specifier) && /\.json$/.test(specifier)) {
      const file = path.resolve(path.dirname(containingFile), specifier);
      if (this.host.fileExists(file)) return this.classify(this.host.realpath!(file));
    }
    // `import './app.css'`, `import logo from './logo.svg?url'`: a bundler's business, not a module
    if (!isBare(specifier) && ASSET.test(specifier) && this.host.fileExists(path.resolve(path.dirname(containingFile), specifier.replace(/\?.*$/, '')))) {
      return { kind: 'ignored', reason: 'an asset a bundler loads', quiet: true };
    }
    if (builtin || (isBare(specifier) && !aliased)) return { kind: 'package', name: packageName(specifier) };
    return { kind: 'unresolved' };
  }

  private tsResolve(specifier: string, containingFile: string, mode: ts.ResolutionMode, project: ProjectResolution): ts.ResolvedModuleFull | undefined {
    return ts.resolveModuleName(specifier, containingFile, project.options, this.host, project.cache, undefined, mode).resolvedModule;
  }

  /** A file in the repo: one of our modules, the source behind a built file, or something to ignore. */
  private classify(file: string): Resolution {
    if (this.isProjectFile(file)) return { kind: 'internal', file };
    const source = this.sourceFor(file);
    if (source) return { kind: 'internal', file: source };
    if (/\.d\.[mc]?ts$/.test(file)) return { kind: 'ignored', reason: 'a declaration file', quiet: true };
    return { kind: 'ignored', reason: 'not a project source file' };
  }

  /** A workspace package's `dist/x.js` / `dist/x.d.ts` → its `src/x.ts`, when that source exists. */
  private sourceFor(file: string): string | undefined {
    const parts = file.split(path.sep);
    const stem = file.replace(/(\.d)?\.[mc]?[jt]sx?$/, '');
    for (let i = parts.length - 2; i >= 0; i--) {
      if (!BUILD_DIRS.includes(parts[i])) continue;
      const base = [...parts.slice(0, i), 'src', ...stem.split(path.sep).slice(i + 1)].join(path.sep);
      for (const ext of SOURCE_EXTS) {
        const candidate = base + ext;
        if (this.host.fileExists(candidate) && this.isProjectFile(candidate)) return this.host.realpath!(candidate);
      }
    }
    return undefined;
  }

  /** ESM or CJS resolution, as TypeScript picks it for this file and this kind of import. */
  private modeFor(containingFile: string, mode: ImportMode, project: ProjectResolution): ts.ResolutionMode {
    if (mode === 'require') return ts.ModuleKind.CommonJS;
    if (mode === 'dynamic') return ts.ModuleKind.ESNext;
    const implied = ts.getImpliedNodeFormatForFile(containingFile, project.cache.getPackageJsonInfoCache(), this.host, project.options);
    return implied ?? ts.ModuleKind.ESNext;
  }
}

/** ts.sys with every question the resolver asks answered once. */
function cachedHost(root: string): ts.ModuleResolutionHost {
  const fileExists = new Map<string, boolean>();
  const dirExists = new Map<string, boolean>();
  const realpaths = new Map<string, string>();
  const reads = new Map<string, string | undefined>();
  return {
    fileExists: (f) => {
      let v = fileExists.get(f);
      if (v === undefined) {
        v = fs.statSync(f, { throwIfNoEntry: false })?.isFile() ?? false;
        fileExists.set(f, v);
      }
      return v;
    },
    directoryExists: (d) => {
      let v = dirExists.get(d);
      if (v === undefined) {
        v = fs.statSync(d, { throwIfNoEntry: false })?.isDirectory() ?? false;
        dirExists.set(d, v);
      }
      return v;
    },
    readFile: (f) => {
      if (!reads.has(f)) reads.set(f, ts.sys.readFile(f));
      return reads.get(f);
    },
    realpath: (p) => {
      let v = realpaths.get(p);
      if (v === undefined) {
        try {
          v = fs.realpathSync.native(p);
        } catch {
          v = p;
        }
        realpaths.set(p, v);
      }
      return v;
    },
    getCurrentDirectory: () => root,
    getDirectories: (d) => ts.sys.getDirectories(d),
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
  };
}
