/**
 * Reads sample-monolith/src with the TypeScript compiler and reports the facts ground-truth.json
 * claims: import edges by kind, runtime and type-only cycles (Tarjan SCCs), and per-module SQL
 * table access found in string literals. A small, independent second opinion on the ground truth.
 */
import path from 'node:path';
import ts from 'typescript';

export const MONOLITH_ROOT = path.resolve(__dirname, '../..');

export type Kind = 'static' | 'type-only' | 'dynamic' | 're-export' | 'require';

export interface SourceEdge {
  from: string;
  to: string;
  kind: Kind;
  line: number;
  specifier: string;
}

export interface SourceFacts {
  modules: string[];
  edges: SourceEdge[];
  runtimeCycles: string[][];
  typeOnlyCycles: string[][];
  tables: Map<string, { reads: Set<string>; writes: Set<string> }>;
}

const id = (file: string) => path.relative(MONOLITH_ROOT, file).split(path.sep).join('/');

function loadProgram(): ts.Program {
  const configPath = path.join(MONOLITH_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, MONOLITH_ROOT);
  return ts.createProgram(parsed.fileNames, parsed.options);
}

/** True when every binding the import declares names only types, so the compiler drops the import. */
function elided(decl: ts.ImportDeclaration, checker: ts.TypeChecker): boolean {
  const clause = decl.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return false;
  return bindings.elements.every((el) => {
    if (el.isTypeOnly) return true;
    const symbol = checker.getSymbolAtLocation(el.name);
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return !!target && (target.flags & ts.SymbolFlags.Value) === 0;
  });
}

const READ = /\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)/gi;
const WRITE = /\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)/gi;
const SQL_WORDS = new Set(['set', 'select', 'where', 'values']);

function scanSql(text: string, reads: Set<string>, writes: Set<string>): void {
  if (/\bCREATE\s+(TABLE|INDEX)\b/i.test(text)) return; // DDL: defines tables, neither reads nor writes rows
  if (!/\b(SELECT|INSERT|UPDATE|DELETE)\b/.test(text)) return;
  for (const m of text.matchAll(WRITE)) if (!SQL_WORDS.has(m[1].toLowerCase())) writes.add(m[1]);
  const withoutDeletes = text.replace(/\bDELETE\s+FROM\s+\w+/gi, '');
  for (const m of withoutDeletes.matchAll(READ)) if (!SQL_WORDS.has(m[1].toLowerCase())) reads.add(m[1]);
}

function tarjan(nodes: string[], next: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || next.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const n of nodes) if (!idx.has(n)) visit(n);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

export function sourceFacts(): SourceFacts {
  const program = loadProgram();
  const checker = program.getTypeChecker();
  const options = program.getCompilerOptions();
  const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile && f.fileName.startsWith(MONOLITH_ROOT + '/src/'));
  const edges: SourceEdge[] = [];
  const tables = new Map<string, { reads: Set<string>; writes: Set<string> }>();

  for (const sf of files) {
    const from = id(sf.fileName);
    const reads = new Set<string>();
    const writes = new Set<string>();
    const add = (spec: string, kind: Kind, node: ts.Node) => {
      const resolved = ts.resolveModuleName(spec, sf.fileName, options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport || !resolved.resolvedFileName.startsWith(MONOLITH_ROOT + '/src/')) return;
      edges.push({ from, to: id(resolved.resolvedFileName), kind, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, specifier: spec });
    };
    const walk = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, elided(node, checker) ? 'type-only' : 'static', node);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, node.isTypeOnly ? 'type-only' : 're-export', node);
      } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0])) {
        if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0].text, 'dynamic', node);
        else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(node.arguments[0].text, 'require', node);
      }
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) scanSql(node.text, reads, writes);
      if (ts.isTemplateExpression(node)) scanSql([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ? '), reads, writes);
      ts.forEachChild(node, walk);
    };
    walk(sf);
    if (reads.size || writes.size) tables.set(from, { reads, writes });
  }

  const modules = files.map((f) => id(f.fileName)).sort();
  const graph = (kinds: Kind[]) => {
    const next = new Map<string, Set<string>>();
    for (const e of edges) if (kinds.includes(e.kind)) (next.get(e.from) ?? next.set(e.from, new Set()).get(e.from)!).add(e.to);
    return next;
  };
  const runtimeCycles = tarjan(modules, graph(['static', 'dynamic', 're-export', 'require']));
  const runtimeKeys = new Set(runtimeCycles.map((c) => c.join('|')));
  const typeOnlyCycles = tarjan(modules, graph(['static', 'dynamic', 're-export', 'require', 'type-only'])).filter((c) => !runtimeKeys.has(c.join('|')));
  return { modules, edges, runtimeCycles, typeOnlyCycles, tables };
}

if (require.main === module) {
  const f = sourceFacts();
  const tables = Object.fromEntries([...f.tables].map(([m, t]) => [m, { reads: [...t.reads].sort(), writes: [...t.writes].sort() }]));
  console.log(JSON.stringify({ modules: f.modules.length, runtimeCycles: f.runtimeCycles, typeOnlyCycles: f.typeOnlyCycles, tables, notable: f.edges.filter((e) => e.kind !== 'static' || e.specifier.startsWith('@shared')).length }, null, 2));
}
