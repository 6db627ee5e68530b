import { DirectedGraph } from 'graphology';
import type { ParsedModule, ResolvedImport } from '../parse';
import type { Edge, EdgeKind } from '../types';
import { ExportResolver } from './exports';

/**
 * Builds the graph from parsed modules:
 * - file edges: one per (from, to, kind), what the import statements say;
 * - via-edges: through a barrel, to the module that declares the imported name;
 * - the dependency graph used for blast radius: runtime file edges, with an edge into a barrel
 *   replaced by edges to the declaring modules of the names it imports (see README, "Via-edges").
 */

export const RUNTIME_KINDS: ReadonlySet<EdgeKind> = new Set(['static', 'dynamic', 're-export', 'require']);

export interface ModuleGraph {
  ids: string[];
  /** File edges then via-edges, sorted. */
  edges: Edge[];
  /** Runtime file edges (what loads what): cycles, ca/ce. */
  runtime: DirectedGraph;
  /** Runtime + type-only file edges: type-only cycles. */
  all: DirectedGraph;
  /** Runtime dependencies with barrels seen through: blast radius, transitive dependencies. */
  dependencies: DirectedGraph;
}

interface EdgeAcc {
  edge: Edge;
  /** Names with how each is used at runtime; undefined when the import cannot be traced by name. */
  names?: Map<string, 'value' | 'type'>;
}

/** `keepForwardedImports`: per importing module, whether `export { X }` of an import is kept (isolatedModules). */
export function buildGraph(modules: ReadonlyMap<string, ParsedModule>, opts: { keepForwardedImports: boolean | ((id: string) => boolean) }): ModuleGraph {
  const exportsOf = new ExportResolver(modules);
  const ids = [...modules.keys()].sort();
  const fileEdges = new Map<string, EdgeAcc>();

  const keep = opts.keepForwardedImports;
  for (const mod of modules.values()) {
    const keepForwarded = typeof keep === 'function' ? keep(mod.id) : keep;
    for (const imp of mod.imports) {
      if (imp.target === undefined) continue;
      const { kind, uses } = settle(imp, exportsOf, keepForwarded);
      const key = `${mod.id}\0${imp.target}\0${kind}`;
      let acc = fileEdges.get(key);
      if (!acc) {
        acc = { edge: { from: mod.id, to: imp.target, kind, line: imp.line, specifier: imp.specifier }, names: uses ? new Map() : undefined };
        fileEdges.set(key, acc);
      } else if (!uses) acc.names = undefined;
      if (imp.line < acc.edge.line) Object.assign(acc.edge, { line: imp.line, specifier: imp.specifier });
      if (acc.names && uses) for (const [n, u] of uses) if (acc.names.get(n) !== 'value') acc.names.set(n, u);
    }
  }

  const viaEdges = new Map<string, Edge>();
  const runtime = new DirectedGraph();
  const all = new DirectedGraph();
  const dependencies = new DirectedGraph();
  for (const id of ids) {
    runtime.addNode(id);
    all.addNode(id);
    dependencies.addNode(id);
  }

  for (const { edge, names } of fileEdges.values()) {
    if (names && names.size) edge.names = [...names.keys()].filter((n) => n !== '*');
    if (edge.names && !edge.names.length) delete edge.names;
    all.mergeEdge(edge.from, edge.to);
    const isRuntime = RUNTIME_KINDS.has(edge.kind);
    if (isRuntime) runtime.mergeEdge(edge.from, edge.to);

    // names traced to their declaring modules
    const runtimeTargets = new Set<string>();
    let opaque = !names || names.size === 0 || names.has('*');
    if (names) {
      for (const [name, use] of names) {
        if (name === '*') continue;
        const decl = exportsOf.declaration(edge.to, name);
        const viaKind: EdgeKind = use === 'value' && isRuntime ? edge.kind : 'type-only';
        if (!decl) {
          if (viaKind !== 'type-only') opaque = true;
          continue;
        }
        if (viaKind !== 'type-only') runtimeTargets.add(decl.module);
        if (decl.module === edge.to || decl.module === edge.from) continue;
        const key = `${edge.from}\0${decl.module}\0${viaKind}\0${edge.to}`;
        let via = viaEdges.get(key);
        if (!via) {
          via = { from: edge.from, to: decl.module, kind: viaKind, line: edge.line, specifier: edge.specifier, via: edge.to, names: [] };
          viaEdges.set(key, via);
        }
        via.names!.push(name);
      }
    }
    if (!isRuntime) continue;
    // an edge that names nothing at runtime (verbatim-kept type imports) still loads its target
    if (opaque || runtimeTargets.size === 0) runtimeTargets.add(edge.to);
    for (const t of runtimeTargets) if (t !== edge.from || t === edge.to) dependencies.mergeEdge(edge.from, t);
    // said in the report, so a reader (the viewer) can walk the same dependency graph
    if (!runtimeTargets.has(edge.to)) edge.seenThrough = true;
  }

  const edges = [...[...fileEdges.values()].map((a) => a.edge), ...viaEdges.values()].sort(compareEdges);
  return { ids, edges, runtime, all, dependencies };
}

/** The final kind of an import, and the uses of its names for tracing (undefined: not traceable by name). */
function settle(imp: ResolvedImport, exportsOf: ExportResolver, keepForwarded: boolean): { kind: EdgeKind; uses?: Map<string, 'value' | 'type'> } {
  let kind: EdgeKind;
  const uses = imp.names ? new Map<string, 'value' | 'type'>() : undefined;
  if (imp.kind === 'pending') {
    // kept only to be re-exported: erased when every forwarded name is a type (TypeScript elides it)
    const target = imp.target!;
    const forwardsValue =
      keepForwarded || imp.names!.some((n) => (n.use === 'forward' || n.use === 'value') && exportsOf.declaration(target, n.name)?.kind !== 'type');
    kind = forwardsValue ? (imp.reexport ? 're-export' : imp.mode === 'require' ? 'require' : 'static') : 'type-only';
  } else kind = imp.kind;
  if (uses) {
    for (const n of imp.names!) {
      let use: 'value' | 'type' = n.use === 'value' ? 'value' : 'type';
      if (n.use === 'forward') use = keepForwarded || exportsOf.declaration(imp.target!, n.name)?.kind !== 'type' ? 'value' : 'type';
      if (kind === 'type-only') use = 'type';
      if (uses.get(n.name) !== 'value') uses.set(n.name, use);
    }
  }
  return { kind, uses };
}

const KIND_ORDER: Record<EdgeKind, number> = { static: 0, 're-export': 1, require: 2, dynamic: 3, 'type-only': 4 };

export function compareEdges(a: Edge, b: Edge): number {
  if (a.from !== b.from) return a.from < b.from ? -1 : 1;
  if ((a.via === undefined) !== (b.via === undefined)) return a.via === undefined ? -1 : 1;
  if (a.to !== b.to) return a.to < b.to ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return (a.via ?? '') < (b.via ?? '') ? -1 : (a.via ?? '') > (b.via ?? '') ? 1 : 0;
}
