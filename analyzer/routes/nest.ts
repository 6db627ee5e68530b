/**
 * NestJS routes: controllers and their method decorators, joined the way Nest's RoutePathFactory
 * joins them: `[global prefix] / [v<version>] / [RouterModule path] / controller path / method path`,
 * with `setGlobalPrefix`'s `exclude` and `enableVersioning` (URI type) applied.
 */
import type { DecoratorFact, RouteFacts } from './facts';
import type { Interpreter } from './interpret';
import { DYNAMIC, joinPaths } from './paths';
import { pathsOf, UNDEF, type Frame, type Value } from './values';

const HTTP_DECORATORS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ALL', Search: 'SEARCH' };
const NEST_COMMON = '@nestjs/common';

export interface Emit {
  (method: string, path: string, mod: string, line: number): void;
}

/** A decorator of a package (`@Get()` from `@nestjs/common`): its exported name and evaluated arguments. */
export interface PackageDecorator {
  pkg: string;
  name: string;
  args: Value[];
  line: number;
}

/** The package decorators on a class or member, evaluated in the module's scope. */
export function packageDecorators(it: Interpreter, frame: Frame, list: readonly DecoratorFact[] | undefined): PackageDecorator[] {
  const out: PackageDecorator[] = [];
  for (const d of list ?? []) {
    const fn = it.ev(d.fn, frame);
    if (fn.t !== 'pkg' || fn.path.length === 0) continue;
    out.push({ pkg: fn.spec, name: fn.path[fn.path.length - 1], args: d.args.map((a) => it.ev(a, frame)), line: d.line });
  }
  return out;
}

interface Controller {
  id: string;
  mod: string;
  paths: string[];
  version: Value;
  routes: { method: string; paths: string[]; version: Value; line: number }[];
}

interface ModuleInfo {
  controllers: string[];
  imports: Value[];
}

export function composeNest(it: Interpreter, mods: readonly string[], emit: Emit): void {
  const controllers: Controller[] = [];
  const modules = new Map<string, ModuleInfo>();
  for (const mod of mods) {
    const f = it.factsOf(mod);
    if (!f?.routing || !f.deep) continue;
    const frame = it.moduleFrame(mod);
    for (const [key, cls] of Object.entries(f.classes)) {
      if (!cls.decorators) continue;
      const decs = packageDecorators(it, frame, cls.decorators).filter((d) => d.pkg === NEST_COMMON);
      const ctrl = decs.find((d) => d.name === 'Controller');
      const module = decs.find((d) => d.name === 'Module');
      if (module) modules.set(`${mod}#${key}`, moduleInfo(it, module.args[0] ?? UNDEF));
      if (ctrl) controllers.push(controller(it, f, frame, mod, key, ctrl.args[0] ?? UNDEF));
    }
  }
  if (controllers.length === 0) return;

  const modulePaths = routerModulePaths(it, modules);
  const modulesOf = new Map<string, string[]>();
  for (const [id, m] of modules) for (const c of m.controllers) modulesOf.set(c, [...(modulesOf.get(c) ?? []), id]);
  const versioning = versioningOptions(it);
  const prefixes = it.nest.globalPrefixes.map((g) => ({ prefixes: pathsOf(g.prefix, (s) => it.force(s)), exclude: excludes(it, g.options) }));
  if (prefixes.length === 0) prefixes.push({ prefixes: [''], exclude: [] });

  for (const c of controllers) {
    const mPaths = [...new Set((modulesOf.get(c.id) ?? []).flatMap((m) => modulePaths.get(m) ?? ['']))];
    if (mPaths.length === 0) mPaths.push('');
    for (const r of c.routes) {
      const versionSegments = versioning ? versionsOf(it, r.version.t !== 'undef' ? r.version : c.version.t !== 'undef' ? c.version : versioning.defaultVersion).map((v) => (v === undefined ? '' : `${versioning.prefix}${v}`)) : [''];
      for (const g of prefixes) {
        for (const gp of g.prefixes) {
          for (const v of versionSegments) {
            for (const m of mPaths) {
              for (const cp of c.paths) {
                for (const mp of r.paths) {
                  const inner = joinPaths(m, cp, mp);
                  const excluded = g.exclude.some((x) => (x.method === 'ALL' || x.method === r.method) && matches(x.path, inner));
                  emit(r.method, excluded ? joinPaths(v, inner) : joinPaths(gp, v, inner), c.mod, r.line);
                }
              }
            }
          }
        }
      }
    }
  }
}

function controller(it: Interpreter, f: RouteFacts, frame: Frame, mod: string, key: string, arg: Value): Controller {
  const force = (s: Parameters<Interpreter['force']>[0]): Value => it.force(s);
  let paths = [''];
  let version: Value = UNDEF;
  if (arg.t === 'obj') {
    const p = it.member(arg, 'path');
    if (p.t !== 'undef') paths = pathsOf(p, force);
    version = it.member(arg, 'version');
  } else if (arg.t !== 'undef') paths = pathsOf(arg, force);
  const routes: Controller['routes'] = [];
  for (const m of f.classes[key].members) {
    if (m.kind !== 'method' || !m.decorators) continue;
    const decs = packageDecorators(it, frame, m.decorators).filter((d) => d.pkg === NEST_COMMON);
    const v = decs.find((d) => d.name === 'Version');
    for (const d of decs) {
      const method = Object.hasOwn(HTTP_DECORATORS, d.name) ? HTTP_DECORATORS[d.name] : undefined;
      if (!method) continue;
      routes.push({ method, paths: d.args[0] && d.args[0].t !== 'undef' ? pathsOf(d.args[0], force) : [''], version: v?.args[0] ?? UNDEF, line: d.line });
    }
  }
  return { id: `${mod}#${key}`, mod, paths, version, routes };
}

function classId(v: Value): string | undefined {
  return v.t === 'class' ? `${v.mod}#${v.key}` : undefined;
}

function moduleInfo(it: Interpreter, opts: Value): ModuleInfo {
  const list = (name: string): Value[] => {
    const v = opts.t === 'obj' ? it.member(opts, name) : UNDEF;
    return v.t === 'arr' ? v.items : [];
  };
  return { controllers: list('controllers').flatMap((c) => classId(c) ?? []), imports: list('imports') };
}

/** Module → path, from every `RouterModule.register(routes)` among the modules' imports. */
function routerModulePaths(it: Interpreter, modules: Map<string, ModuleInfo>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (id: string, path: string): void => {
    const list = out.get(id) ?? [];
    if (!list.includes(path)) list.push(path);
    out.set(id, list);
  };
  const walk = (routes: Value, parent: string, depth: number): void => {
    if (depth > 8 || routes.t !== 'arr') return;
    for (const r of routes.items) {
      const id = classId(r);
      if (id) {
        add(id, parent);
        continue;
      }
      if (r.t !== 'obj') continue;
      const p = it.member(r, 'path');
      const path = joinPaths(parent, p.t === 'str' ? p.alts[0] : p.t === 'undef' ? '' : DYNAMIC);
      const m = classId(it.member(r, 'module'));
      if (m) add(m, path);
      walk(it.member(r, 'children'), path, depth + 1);
    }
  };
  for (const m of modules.values()) {
    for (const imp of m.imports) if (imp.t === 'nestModule' && imp.path.join('.') === 'RouterModule.register') walk(imp.args[0] ?? UNDEF, '', 0);
  }
  return out;
}

/** URI versioning options of `app.enableVersioning(...)`, if the type is URI. */
function versioningOptions(it: Interpreter): { prefix: string; defaultVersion: Value } | undefined {
  for (const opts of it.nest.versioning) {
    const type = opts.t === 'obj' ? it.member(opts, 'type') : UNDEF;
    // enableVersioning() with no options is URI versioning
    const isUri = type.t === 'undef' || (type.t === 'pkg' && type.path[type.path.length - 1] === 'URI') || (type.t === 'str' && type.alts[0] === 'uri');
    if (!isUri) continue;
    const prefix = opts.t === 'obj' ? it.member(opts, 'prefix') : UNDEF;
    return {
      prefix: prefix.t === 'str' ? prefix.alts[0] : prefix.t === 'lit' && prefix.v === false ? '' : 'v',
      defaultVersion: opts.t === 'obj' ? it.member(opts, 'defaultVersion') : UNDEF,
    };
  }
  return undefined;
}

/** The versions a route is served under; undefined stands for VERSION_NEUTRAL (no version segment). */
function versionsOf(it: Interpreter, v: Value): (string | undefined)[] {
  if (v.t === 'arr') return v.items.flatMap((i) => versionsOf(it, i));
  if (v.t === 'str') return v.alts;
  if (v.t === 'pkg' && v.path[v.path.length - 1] === 'VERSION_NEUTRAL') return [undefined];
  if (v.t === 'undef') return [undefined];
  return [DYNAMIC];
}

function excludes(it: Interpreter, options: Value): { path: string; method: string }[] {
  const list = options.t === 'obj' ? it.member(options, 'exclude') : UNDEF;
  if (list.t !== 'arr') return [];
  return list.items.flatMap((x) => {
    if (x.t === 'str') return x.alts.map((path) => ({ path, method: 'ALL' }));
    if (x.t !== 'obj') return [];
    const p = it.member(x, 'path');
    const m = it.member(x, 'method');
    const method = m.t === 'pkg' ? m.path[m.path.length - 1] : m.t === 'str' ? m.alts[0].toUpperCase() : 'ALL';
    return p.t === 'str' ? p.alts.map((path) => ({ path, method })) : [];
  });
}

/** An exclude pattern against a path (path-to-regexp style: `:param` one segment, `*`, `(.*)`, `{*x}` the rest). */
function matches(pattern: string, path: string): boolean {
  const pat = pattern.split('/').filter((s) => s !== '');
  const segs = path.split('/').filter((s) => s !== '');
  for (let i = 0; i < pat.length; i++) {
    const p = pat[i];
    if (p === '*' || p === '(.*)' || p.startsWith('*') || p.startsWith('{*')) return true;
    if (i >= segs.length) return false;
    if (p.startsWith(':')) continue;
    if (p.toLowerCase() !== segs[i].toLowerCase()) return false;
  }
  return pat.length === segs.length;
}
