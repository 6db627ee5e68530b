import type { Route } from '../types';
import type { RouteFacts, ValueRef } from './facts';
import { DYNAMIC, IMPORT_MARKER, joinPaths } from './paths';

export type ResolveImport = (fromModuleId: string, specifier: string) => string | undefined;

/** What a reference evaluates to across modules. */
type Value =
  | { t: 'router'; node: string }
  | { t: 'fn'; mod: string; key: string }
  | { t: 'module'; mod: string }
  | { t: 'class'; mod: string; name: string }
  | { t: 'instance'; mod: string; name: string };

interface RouterNode {
  routes: { method: string; paths: string[]; module: string; line: number }[];
  children: { node: string; prefixes: string[] }[];
  mounted: boolean;
}

/** Re-export chains and alias chains longer than this are treated as unresolvable (and cycles end here). */
const MAX_DEPTH = 40;

/**
 * Joins every file's route facts into full routes: follows `use` mounts from each app (and from each
 * router nobody mounts, which keeps its local paths) through imports, barrels, factories and
 * router-typed parameters, and prefixes Nest controllers with the global prefix.
 */
export function composeRoutes(facts: ReadonlyMap<string, RouteFacts>, resolveImport: ResolveImport): Route[] {
  const resolver = new Resolver(facts, resolveImport);
  const nodes = new Map<string, RouterNode>();
  const nodeOf = (id: string): RouterNode => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { routes: [], children: [], mounted: false }));
    return n;
  };
  for (const [mod, f] of facts) for (const key of Object.keys(f.routers)) nodeOf(`${mod}#${key}`);

  for (const [mod, f] of facts) {
    const paths = (list: string[]): string[] => list.map((p) => resolver.markers(mod, p));
    for (const reg of f.routes) {
      const on = resolver.ref(mod, reg.on);
      if (on?.t === 'router') nodeOf(on.node).routes.push({ method: reg.method, paths: paths(reg.paths), module: mod, line: reg.line });
    }
    for (const mount of f.mounts) {
      const on = resolver.ref(mod, mount.on);
      if (on?.t !== 'router') continue;
      let prefixes = paths(mount.prefixes);
      const children = [...mount.children];
      if (mount.prefixConstant) {
        const prefix = resolver.markers(mod, mount.prefixConstant.marker, true);
        if (prefix !== undefined) prefixes = [prefix];
        else children.unshift(mount.prefixConstant.ref);
      }
      for (const childRef of children) {
        const child = resolver.ref(mod, childRef);
        if (child?.t !== 'router' || child.node === on.node) continue;
        nodeOf(on.node).children.push({ node: child.node, prefixes });
        nodeOf(child.node).mounted = true;
      }
    }
    for (const call of f.paramCalls) {
      const callee = resolver.ref(mod, call.callee);
      if (callee?.t !== 'fn') continue;
      const fns = facts.get(callee.mod)?.functions;
      const params = (fns && own(fns, callee.key)?.params) ?? {};
      for (const arg of call.args) {
        const paramKey = params[arg.index];
        if (paramKey === undefined) continue;
        const value = resolver.ref(mod, arg.value);
        if (value?.t !== 'router') continue;
        const paramNode = `${callee.mod}#${paramKey}`;
        if (paramNode === value.node) continue;
        nodeOf(value.node).children.push({ node: paramNode, prefixes: [''] });
        nodeOf(paramNode).mounted = true;
      }
    }
  }

  const out = new Map<string, Route>();
  const emit = (method: string, path: string, module: string, line: number): void => {
    const route: Route = { method, path, module, line };
    out.set(`${method} ${path} ${module} ${line}`, route);
  };
  const visited = new Set<string>();
  const walk = (id: string, prefix: string, stack: Set<string>): void => {
    const node = nodes.get(id);
    if (!node || stack.has(id)) return;
    visited.add(id);
    stack.add(id);
    for (const r of node.routes) for (const p of r.paths) emit(r.method, joinPaths(prefix, p), r.module, r.line);
    for (const c of node.children) for (const p of c.prefixes) walk(c.node, joinPaths(prefix, p), stack);
    stack.delete(id);
  };
  for (const [id, node] of nodes) if (!node.mounted) walk(id, '', new Set());
  // routers only mounted inside a mount cycle have no root: show them with their local paths
  for (const id of nodes.keys()) if (!visited.has(id)) walk(id, '', new Set());

  const globalPrefixes = [...new Set([...facts].flatMap(([mod, f]) => f.globalPrefixes.map((p) => resolver.markers(mod, p))))].sort();
  if (globalPrefixes.length === 0) globalPrefixes.push('');
  for (const [mod, f] of facts) {
    for (const ctrl of f.controllers) {
      const ctrlPaths = ctrl.paths.map((p) => resolver.markers(mod, p));
      for (const r of ctrl.routes) {
        for (const g of globalPrefixes) {
          for (const c of ctrlPaths) for (const p of r.paths) emit(r.method, joinPaths(g, c, resolver.markers(mod, p)), mod, r.line);
        }
      }
    }
  }
  return [...out.values()].sort(compareRoutes);
}

/** Sorted by path, then method, module, line: reads like a route table. */
export function compareRoutes(a: Route, b: Route): number {
  return cmp(a.path, b.path) || cmp(a.method, b.method) || cmp(a.module, b.module) || a.line - b.line;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class Resolver {
  constructor(
    private readonly facts: ReadonlyMap<string, RouteFacts>,
    private readonly resolveImport: ResolveImport,
  ) {}

  /**
   * A path with its import markers replaced by the imported constants' values (`<dynamic>` where the
   * import is not a string constant). With `strict`, undefined instead when a marker is not a constant.
   */
  markers(mod: string, path: string): string;
  markers(mod: string, path: string, strict: boolean, depth?: number): string | undefined;
  markers(mod: string, path: string, strict = false, depth = 0): string | undefined {
    if (!path.includes('\u0001')) return path;
    let missing = false;
    const out = path.replace(IMPORT_MARKER, (_, dotted: string) => {
      const value = depth > MAX_DEPTH ? undefined : this.importedConstant(mod, dotted.split('.'), depth + 1);
      if (value === undefined) missing = true;
      return value ?? DYNAMIC;
    });
    return strict && missing ? undefined : out;
  }

  /** The value of `names` (`['PATHS', 'orders']`) as imported in `mod`. */
  private importedConstant(mod: string, names: string[], depth: number): string | undefined {
    const f = this.facts.get(mod);
    const imp = f ? own(f.imports, names[0]) : undefined;
    if (!imp || depth > MAX_DEPTH) return undefined;
    const target = this.target(mod, imp.from);
    if (target === undefined) return undefined;
    if (imp.name === '*') return names.length > 1 ? this.exportedConstant(target, names[1], names.slice(2), depth + 1) : undefined;
    return this.exportedConstant(target, imp.name, names.slice(1), depth + 1);
  }

  private exportedConstant(mod: string, name: string, rest: string[], depth: number): string | undefined {
    const f = this.facts.get(mod);
    if (!f || depth > MAX_DEPTH) return undefined;
    const e = own(f.exports, name);
    if (e?.ref?.key && e.ref.steps.length === 0) {
      const local = own(f.constants, [e.ref.key, ...rest].join('.'));
      if (local !== undefined) return this.markers(mod, local, false, depth + 1);
      return own(f.imports, e.ref.key) ? this.importedConstant(mod, [e.ref.key, ...rest], depth + 1) : undefined;
    }
    if (e?.from !== undefined && e.name !== undefined) {
      const target = this.target(mod, e.from);
      if (target === undefined) return undefined;
      if (e.name === '*') return rest.length > 0 ? this.exportedConstant(target, rest[0], rest.slice(1), depth + 1) : undefined;
      return this.exportedConstant(target, e.name, rest, depth + 1);
    }
    if (e) return undefined;
    for (const star of f.exportStars) {
      const target = this.target(mod, star);
      const v = target === undefined ? undefined : this.exportedConstant(target, name, rest, depth + 1);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  ref(mod: string, ref: ValueRef, depth = 0): Value | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let v: Value | undefined;
    if (ref.require !== undefined) {
      const target = this.target(mod, ref.require);
      v = target === undefined ? undefined : this.moduleValue(target, depth + 1);
    } else if (ref.key) v = this.key(mod, ref.key, depth + 1);
    for (const step of ref.steps) {
      if (!v) return undefined;
      v = 'member' in step ? this.member(v, step.member, depth + 1) : this.call(v, depth + 1);
    }
    return v;
  }

  private target(mod: string, specifier: string): string | undefined {
    const target = this.resolveImport(mod, specifier);
    return target !== undefined && this.facts.has(target) ? target : undefined;
  }

  private key(mod: string, key: string, depth: number): Value | undefined {
    const f = this.facts.get(mod);
    if (!f || depth > MAX_DEPTH) return undefined;
    if (Object.hasOwn(f.routers, key)) return { t: 'router', node: `${mod}#${key}` };
    if (Object.hasOwn(f.functions, key)) return { t: 'fn', mod, key };
    if (Object.hasOwn(f.classes, key)) return { t: 'class', mod, name: key };
    const imp = own(f.imports, key);
    if (imp) {
      const target = this.target(mod, imp.from);
      if (target === undefined) return undefined;
      return imp.name === '*' ? this.moduleValue(target, depth + 1) : this.exported(target, imp.name, depth + 1);
    }
    const alias = own(f.aliases, key);
    return alias ? this.ref(mod, alias, depth + 1) : undefined;
  }

  /** A module used as a value: its `module.exports =` value, else its namespace. */
  private moduleValue(mod: string, depth: number): Value | undefined {
    const f = this.facts.get(mod);
    if (!f) return undefined;
    return f.exportEquals ? this.exported(mod, 'default', depth + 1) : { t: 'module', mod };
  }

  private exported(mod: string, name: string, depth: number): Value | undefined {
    const f = this.facts.get(mod);
    if (!f || depth > MAX_DEPTH) return undefined;
    const e = own(f.exports, name);
    if (e?.ref) return this.ref(mod, e.ref, depth + 1);
    if (e?.from !== undefined && e.name !== undefined) {
      const target = this.target(mod, e.from);
      if (target === undefined) return undefined;
      return e.name === '*' ? { t: 'module', mod: target } : this.exported(target, e.name, depth + 1);
    }
    if (name === 'default') return f.exportEquals ? undefined : { t: 'module', mod };
    for (const star of f.exportStars) {
      const target = this.target(mod, star);
      const v = target === undefined ? undefined : this.exported(target, name, depth + 1);
      if (v) return v;
    }
    return undefined;
  }

  private member(v: Value, name: string, depth: number): Value | undefined {
    if (v.t === 'module') return this.exported(v.mod, name, depth);
    if (v.t === 'instance') {
      const cls = this.facts.get(v.mod)?.classes;
      const key = cls && Object.hasOwn(cls, v.name) ? own(cls[v.name].props, name) : undefined;
      return key ? this.key(v.mod, key, depth) : undefined;
    }
    return undefined;
  }

  private call(v: Value, depth: number): Value | undefined {
    if (v.t === 'fn') {
      const fns = this.facts.get(v.mod)?.functions;
      const returns = fns ? own(fns, v.key)?.returns : undefined;
      return returns ? this.ref(v.mod, returns, depth) : undefined;
    }
    if (v.t === 'class') return { t: 'instance', mod: v.mod, name: v.name };
    return undefined;
  }
}

/** Own property only: keys are user identifiers and may be `constructor` or `toString`. */
function own<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
