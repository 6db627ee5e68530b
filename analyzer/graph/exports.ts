import type { ParsedModule } from '../parse';

export interface Declaration {
  /** The module that declares the name. */
  module: string;
  kind: 'type' | 'value';
}

/**
 * Follows per-file export tables (built from the AST, no checker) to the module that declares
 * an exported name: through `export *`, `export { X as Y } from`, `export * as ns from` and
 * `import { X } from './a'; export { X }` forwarding. Memoized; cycles of re-exports end the search.
 */
export class ExportResolver {
  private readonly memo = new Map<string, Declaration | null>();
  private readonly targets = new Map<string, Map<string, string>>();

  constructor(private readonly modules: ReadonlyMap<string, ParsedModule>) {}

  declaration(moduleId: string, name: string): Declaration | undefined {
    return this.find(moduleId, name, new Set()) ?? undefined;
  }

  private find(moduleId: string, name: string, visiting: Set<string>): Declaration | null {
    const key = `${moduleId}\0${name}`;
    const cached = this.memo.get(key);
    if (cached !== undefined) return cached;
    if (visiting.has(key)) return null;
    visiting.add(key);
    const result = this.search(moduleId, name, visiting);
    visiting.delete(key);
    this.memo.set(key, result);
    return result;
  }

  private search(moduleId: string, name: string, visiting: Set<string>): Declaration | null {
    const mod = this.modules.get(moduleId);
    if (!mod) return null;
    if (name === '*') return { module: moduleId, kind: 'value' };
    const local = mod.exports.local.get(name);
    if (local) return { module: moduleId, kind: local };
    const named = mod.exports.named.get(name);
    if (named) {
      const target = this.targetOf(mod, named.specifier);
      if (target === undefined) return null;
      const found = this.find(target, named.name, visiting);
      if (found && named.typeOnly) return { module: found.module, kind: 'type' };
      return found;
    }
    // `export *` never re-exports a default
    if (name === 'default') return null;
    for (const spec of mod.exports.stars) {
      const target = this.targetOf(mod, spec);
      if (target === undefined) continue;
      const found = this.find(target, name, visiting);
      if (found) return found;
    }
    return null;
  }

  private targetOf(mod: ParsedModule, specifier: string): string | undefined {
    let map = this.targets.get(mod.id);
    if (!map) {
      map = new Map();
      for (const imp of mod.imports) if (imp.target !== undefined && !map.has(imp.specifier)) map.set(imp.specifier, imp.target);
      this.targets.set(mod.id, map);
    }
    return map.get(specifier);
  }
}
