/**
 * The service's app is the monolith's own composition root, copied with only this service's routers:
 * the same middleware, settings, not-found and error handlers, so the service answers exactly as the
 * monolith did. Found through the `.use()` calls that mount the candidate's routers; mounts and routes
 * of routers that stay in the monolith are dropped, with the imports only they used.
 */
import path from 'node:path';
import { Node, SyntaxKind, type ImportDeclaration, type SourceFile, type Statement } from 'ts-morph';
import type { Candidate } from '../../analyzer/types';
import { declarationOf, type Mount, type MonolithSource, type RouterInfo } from './routers';

export interface Dropped {
  line: number;
  text: string;
  why: string;
}

export interface FactoryOption {
  name: string;
  optional: boolean;
  /** The option carries the database handle (a better-sqlite3 Database): the service passes its own. */
  database: boolean;
}

export type Factory = { kind: 'function'; name: string; options: FactoryOption[] | null } | { kind: 'value'; name: string };

export interface ServiceMount {
  router: RouterInfo;
  prefix: string;
  /** How the service gets it mounted: kept from the root, or added because its parent router stays behind. */
  how: 'kept' | 'added';
  parentChain: string[];
}

export interface CompositionPlan {
  /** Module id of the copied composition root, or null when no root mounts the candidate's routers. */
  root: string | null;
  factory: Factory | null;
  /** The root's text with this service's routers only. */
  text: string | null;
  dropped: Dropped[];
  /** Lines (1-based, original file) of import declarations removed from the root. */
  droppedImportLines: number[];
  /** Modules the root imports after pruning because a mount was added. */
  addedImports: string[];
  mounts: ServiceMount[];
  warnings: string[];
}

export function planComposition(src: MonolithSource, cand: Candidate): CompositionPlan {
  const inCand = new Set(cand.modules);
  const candRoutes = new Set(cand.routes.map((r) => `${r.method} ${r.path}`));
  const mine = src.routers.filter((r) => inCand.has(r.module) && (r.routes.length === 0 || r.routes.some((rt) => candRoutes.has(`${rt.method} ${rt.path}`))));
  const mineSet = new Set(mine);
  const warnings: string[] = [];
  // top routers: not mounted by another router of this service
  const top = mine.filter((r) => !r.mounts.some((m) => m.parent && mineSet.has(m.parent)));

  const mounts: ServiceMount[] = [];
  const rootUse = new Map<string, { mount: Mount; added: RouterInfo[] }[]>();
  for (const r of top) {
    const chain: string[] = [];
    let m = r.mounts[0] as Mount | undefined;
    let how: 'kept' | 'added' = 'kept';
    while (m && m.parent) {
      // the parent stays in the monolith: this router is mounted at its full path in the parent's root
      how = 'added';
      chain.push(`${m.parent.name} (${m.parent.module}:${m.line})`);
      m = m.parent.mounts[0];
    }
    if (r.mounts.length > 1) warnings.push(`${r.name} (${r.module}) is mounted ${r.mounts.length} times; the service mounts it where ${r.mounts[0].module}:${r.mounts[0].line} does`);
    if (!r.prefix) warnings.push(`${r.name} (${r.module}): its mount path could not be read from the report's routes; mounted at /`);
    mounts.push({ router: r, prefix: r.prefix ?? '/', how, parentChain: chain });
    if (m) {
      const list = rootUse.get(m.module) ?? [];
      const entry = list.find((e) => e.mount.call === m!.call);
      if (how === 'added') {
        if (entry) entry.added.push(r);
        else list.push({ mount: m, added: [r] });
      } else if (!entry) list.push({ mount: m, added: [] });
      rootUse.set(m.module, list);
    }
  }
  const empty: CompositionPlan = { root: null, factory: null, text: null, dropped: [], droppedImportLines: [], addedImports: [], mounts, warnings };
  if (rootUse.size === 0) return empty;
  const rootId = [...rootUse.keys()].sort((a, b) => rootUse.get(b)!.length - rootUse.get(a)!.length)[0];
  if (rootUse.size > 1) warnings.push(`the candidate's routers are mounted from ${[...rootUse.keys()].join(', ')}; the service copies ${rootId}`);
  if (inCand.has(rootId)) return { ...empty, warnings: [...warnings, `${rootId} is part of the candidate: it is moved, not pruned`] };
  return { ...pruneRoot(src, rootId, cand, mineSet, rootUse.get(rootId)!), mounts, warnings };
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function pruneRoot(
  src: MonolithSource,
  rootId: string,
  cand: Candidate,
  mine: Set<RouterInfo>,
  uses: { mount: Mount; added: RouterInfo[] }[],
): Omit<CompositionPlan, 'mounts' | 'warnings'> {
  const sf = src.file(rootId);
  const text = sf.getFullText();
  const candRoutes = new Set(cand.routes.map((r) => `${r.method} ${r.path}`));
  const foreignRouteLines = new Set(src.report.routes.filter((r) => r.module === rootId && !candRoutes.has(`${r.method} ${r.path}`)).map((r) => r.line));
  const dropped: Dropped[] = [];
  const edits: Edit[] = [];
  const removedRanges: [number, number][] = [];
  const addedImports: string[] = [];

  const replaceByUse = new Map<Statement, RouterInfo[]>();
  for (const u of uses) if (u.added.length) replaceByUse.set(u.mount.call.getFirstAncestorByKindOrThrow(SyntaxKind.ExpressionStatement), u.added);

  for (const stmt of sf.getDescendantsOfKind(SyntaxKind.ExpressionStatement)) {
    const call = stmt.getExpression();
    if (!Node.isCallExpression(call)) continue;
    const why = dropReason(call, mine, src, foreignRouteLines.has(stmt.getStartLineNumber()));
    if (!why) continue;
    const range = lineRange(text, stmt.getStart(), stmt.getEnd());
    const added = replaceByUse.get(stmt);
    const indent = text.slice(range[0], stmt.getStart());
    const callee = call.getExpression();
    const app = Node.isPropertyAccessExpression(callee) ? callee.getExpression().getText() : 'app';
    const replacement = added ? added.map((r) => `${indent}${app}.use('${r.prefix ?? '/'}', ${r.name}); // strangler: was under ${stmt.getText().trim()}\n`).join('') : '';
    edits.push({ start: range[0], end: range[1], text: replacement });
    removedRanges.push([stmt.getStart(), stmt.getEnd()]);
    dropped.push({ line: stmt.getStartLineNumber(), text: stmt.getText().trim(), why });
    if (added) for (const r of added) addedImports.push(r.module);
  }

  const droppedImportLines: number[] = [];
  for (const imp of sf.getImportDeclarations()) {
    const kept = keptBindings(imp, removedRanges);
    if (kept === null) continue;
    const range = lineRange(text, imp.getStart(), imp.getEnd());
    if (kept.length === 0 && !imp.getImportClause()) continue;
    if (kept.length === 0) {
      edits.push({ start: range[0], end: range[1], text: '' });
      droppedImportLines.push(imp.getStartLineNumber());
      dropped.push({ line: imp.getStartLineNumber(), text: imp.getText().trim(), why: 'imported only what the dropped lines used' });
    } else {
      edits.push({ start: imp.getStart(), end: imp.getEnd(), text: importText(imp, kept) });
    }
  }

  // imports for routers mounted here at their full path because their parent router stays behind
  const newImports = [...new Set(uses.flatMap((u) => u.added))]
    .map((r) => `${importOf(r, relativeSpecifier(rootId, r.module))} // strangler: mounted directly, see MIGRATION.md\n`)
    .join('');
  if (newImports) {
    const imports = sf.getImportDeclarations();
    const at = imports.length ? lineRange(text, 0, imports[imports.length - 1].getEnd())[1] : 0;
    edits.push({ start: at, end: at, text: newImports });
  }

  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { root: rootId, factory: factoryOf(sf, uses[0].mount), text: out, dropped, droppedImportLines, addedImports };
}

/** Why a call statement of the root goes: it mounts a router that stays, or registers a route that is not this service's. */
function dropReason(call: Node, mine: Set<RouterInfo>, src: MonolithSource, foreignRoute: boolean): string | null {
  if (!Node.isCallExpression(call)) return null;
  for (const arg of call.getArguments()) {
    if (!Node.isIdentifier(arg) && !Node.isPropertyAccessExpression(arg)) continue;
    const decl = declarationOf(arg);
    const router = decl && src.routerOf(decl);
    if (router && !router.isApp && !mine.has(router)) return `mounts ${router.name} (${router.module}), which stays in the monolith`;
  }
  if (foreignRoute) return 'a route of the monolith that is not this service\'s';
  return null;
}

/** The bindings of an import still used outside the removed ranges; null when nothing was removed from it. */
function keptBindings(imp: ImportDeclaration, removed: [number, number][]): string[] | null {
  const names: { node: Node; text: string }[] = [];
  const def = imp.getDefaultImport();
  if (def) names.push({ node: def, text: def.getText() });
  const ns = imp.getNamespaceImport();
  if (ns) names.push({ node: ns, text: `* as ${ns.getText()}` });
  for (const n of imp.getNamedImports()) names.push({ node: n.getAliasNode() ?? n.getNameNode(), text: n.getText() });
  if (!names.length) return null;
  const inRemoved = (pos: number) => removed.some(([s, e]) => pos >= s && pos < e);
  const kept = names.filter(({ node }) => {
    const id = node as Node;
    if (!Node.isIdentifier(id)) return true;
    const refs = id.findReferencesAsNodes().filter((r) => r.getSourceFile() === imp.getSourceFile() && r !== id && !r.getFirstAncestorByKind(SyntaxKind.ImportDeclaration));
    return refs.length === 0 || refs.some((r) => !inRemoved(r.getStart()));
  });
  if (kept.length === names.length) return null;
  return kept.map((k) => k.text);
}

function importText(imp: ImportDeclaration, kept: string[]): string {
  const def = imp.getDefaultImport()?.getText();
  const rest = kept.filter((k) => k !== def);
  const ns = rest.find((k) => k.startsWith('* as '));
  const named = rest.filter((k) => !k.startsWith('* as '));
  const parts = [kept.includes(def ?? '\0') ? def : undefined, ns, named.length ? `{ ${named.join(', ')} }` : undefined].filter(Boolean);
  return `import ${imp.isTypeOnly() ? 'type ' : ''}${parts.join(', ')} from ${imp.getModuleSpecifier().getText()};`;
}

/** The whole lines a node spans, with the line break after it. */
function lineRange(text: string, start: number, end: number): [number, number] {
  const s = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', end);
  return [s, nl === -1 ? text.length : nl + 1];
}

function factoryOf(sf: SourceFile, mount: Mount): Factory | null {
  const fn = mount.call.getFirstAncestor((n) => Node.isFunctionDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n));
  if (!fn) {
    const appName = (mount.call.getExpression() as Node).getFirstChild()?.getText() ?? 'app';
    const v = sf.getVariableDeclaration(appName);
    return v && v.isExported() ? { kind: 'value', name: appName } : null;
  }
  const decl = Node.isFunctionDeclaration(fn) ? fn : fn.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
  if (!decl || !decl.isExported()) return null;
  const name = decl.getName();
  if (!name) return null;
  const params = Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getParameters() : [];
  if (params.length === 0) return { kind: 'function', name, options: [] };
  if (params.length > 1) return { kind: 'function', name, options: null };
  const options = params[0]
    .getType()
    .getProperties()
    .map((p) => {
      const d = p.getValueDeclaration() ?? p.getDeclarations()[0];
      const type = d?.getType();
      const sym = type?.getSymbol() ?? type?.getAliasSymbol();
      const file = sym?.getDeclarations()[0]?.getSourceFile().getFilePath() ?? '';
      return {
        name: p.getName(),
        optional: Boolean(d && Node.isPropertySignature(d) && d.hasQuestionToken()),
        database: /[/\\]better-sqlite3[/\\]/.test(file) && /Database/.test(type?.getText() ?? ''),
      };
    });
  return { kind: 'function', name, options };
}

/** The import that brings a router in under its own local name. */
export function importOf(r: RouterInfo, specifier: string): string {
  if (r.exportName === null) throw new Error(`extract: ${r.module}: ${r.name} is not exported, so the service cannot import it to mount it`);
  if (r.exportName === 'default') return `import ${r.name} from '${specifier}';`;
  return `import { ${r.exportName === r.name ? r.name : `${r.exportName} as ${r.name}`} } from '${specifier}';`;
}

export interface SetupCall {
  module: string;
  line: number;
  text: string;
  /** Before the mount (middleware, settings its requests went through) or after it (not-found and error handlers). */
  when: 'before' | 'after';
}

/**
 * What the monolith applies around a router's mount that a service on its own express app does not
 * get: every `.use()`/`.set()`/`.enable()`/`.disable()`/`.engine()` on the app or router it is mounted
 * on, up the chain of mounts to the app, except the mounts of other routers.
 */
export function setupAround(src: MonolithSource, r: RouterInfo): SetupCall[] {
  const out: SetupCall[] = [];
  for (let m = r.mounts[0] as Mount | undefined, seen = 0; m && seen < 20; m = m.parent?.mounts[0], seen++) {
    const callee = m.call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const target = callee.getExpression().getText();
    const sf = m.call.getSourceFile();
    for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (call === m.call) continue;
      const c = call.getExpression();
      if (!Node.isPropertyAccessExpression(c) || c.getExpression().getText() !== target || !/^(use|set|enable|disable|engine)$/.test(c.getName())) continue;
      if (call.getArguments().some((a) => (Node.isIdentifier(a) || Node.isPropertyAccessExpression(a)) && isRouter(src, a))) continue;
      out.push({ module: m.module, line: call.getStartLineNumber(), text: call.getText().replace(/\s+/g, ' ').slice(0, 120), when: call.getStart() < m.call.getStart() ? 'before' : 'after' });
    }
  }
  return out;
}

function isRouter(src: MonolithSource, node: Node): boolean {
  const decl = declarationOf(node);
  const router = decl && src.routerOf(decl);
  return Boolean(router && !router.isApp);
}

/** `src/app.ts` → `src/feed/feed.router.ts` as `./feed/feed.router`. */
export function relativeSpecifier(fromId: string, toId: string): string {
  let rel = path.posix.relative(path.posix.dirname(fromId), toId).replace(/\.(ts|tsx|mts|cts|js|jsx)$/, '');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}
