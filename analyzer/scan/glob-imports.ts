/**
 * Bundler glob imports: Vite's `import.meta.glob(patterns, { eager })` and webpack's
 * `require.context(directory, recursive, filter, mode)`. Each loads every file that matches, so each
 * matching file is an import of the module (the resolver lists them); an argument that is not a
 * literal cannot be followed and is said so.
 */
import ts from 'typescript';
import type { RawImport } from './index';

export interface GlobImport {
  /** `import.meta.glob`: patterns relative to the file (`./x/*.ts`) or to the app root (`/src/*.ts`); `!` excludes. */
  patterns?: string[];
  /** `require.context`: the folder, whether to descend into subfolders, the filter the `./relative/path` keys must match. */
  context?: { directory: string; recursive: boolean; filter: { source: string; flags: string } };
  /** Set when an argument is not a literal: what the call is, for the warning. */
  unreadable?: string;
}

/** Where a glob import's callee starts in the text (`import.meta.glob(`, `import.meta.globEager(`, `require.context(`), found by the scan's text search. */
export interface GlobOpening {
  at: number;
  /** `require.context` rather than `import.meta.glob`. */
  context: boolean;
  /** `import.meta.globEager`. */
  eager: boolean;
}

/** Glob imports of a file, read from the syntax tree at the openings the text search found (the same either way the scan runs). */
export function globImports(sf: ts.SourceFile, openings: readonly GlobOpening[], tokenAt: (sf: ts.SourceFile, pos: number) => ts.Node): RawImport[] {
  const found: RawImport[] = [];
  for (const o of openings) {
    const tok = tokenAt(sf, o.at);
    const call = calleeCall(tok);
    if (!call) continue;
    const line = sf.getLineAndCharacterOfPosition(call.getStart(sf)).line + 1;
    const read = o.context ? readContext(call) : readGlob(call, o.eager);
    if (read) found.push({ line, mode: 'import', ...read });
  }
  return found;
}

/** `import.meta.glob(...)` / `require.context(...)`: from the first token up to the call. */
function calleeCall(tok: ts.Node): ts.CallExpression | undefined {
  // `import.meta` is one node (the keyword is no child of it); `require` an identifier
  const callee: ts.Node = tok;
  if (!ts.isMetaProperty(tok) && !ts.isIdentifier(tok)) return undefined;
  const access = callee.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== callee) return undefined;
  const call = access.parent;
  return call && ts.isCallExpression(call) && call.expression === access ? call : undefined;
}

const literal = (n: ts.Node | undefined): string | undefined => (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined);

function readGlob(call: ts.CallExpression, eagerName: boolean): Omit<RawImport, 'line' | 'mode'> {
  const [first, opts] = call.arguments;
  const patterns = first && ts.isArrayLiteralExpression(first) ? first.elements.map(literal) : [literal(first)];
  let eager = eagerName;
  let base: string | undefined;
  let readable = patterns.length > 0 && patterns.every((p) => p !== undefined);
  if (opts && ts.isObjectLiteralExpression(opts)) {
    for (const p of opts.properties) {
      if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) continue;
      if (p.name.text === 'eager') eager = p.initializer.kind === ts.SyntaxKind.TrueKeyword;
      if (p.name.text === 'base') {
        base = literal(p.initializer);
        readable &&= base !== undefined;
      }
    }
  } else if (opts) readable = false;
  const shown = (patterns as (string | undefined)[]).map((p) => p ?? '…').join(', ');
  const kind = eager ? 'static' : 'dynamic';
  if (!readable) return { specifier: shown, kind, glob: { unreadable: 'import.meta.glob' } };
  // `base` prefixes the relative patterns (Vite 6)
  const withBase = (patterns as string[]).map((p) => (base && !p.startsWith('/') ? joinBase(base, p) : p));
  return { specifier: withBase.join(', '), kind, glob: { patterns: withBase } };
}

function joinBase(base: string, pattern: string): string {
  const neg = pattern.startsWith('!');
  const p = (neg ? pattern.slice(1) : pattern).replace(/^\.\//, '');
  return `${neg ? '!' : ''}${base.replace(/\/$/, '')}/${p}`;
}

function readContext(call: ts.CallExpression): Omit<RawImport, 'line' | 'mode'> {
  const [dirArg, recursiveArg, filterArg, modeArg] = call.arguments;
  const directory = literal(dirArg);
  const recursive = recursiveArg === undefined || recursiveArg.kind === ts.SyntaxKind.TrueKeyword;
  const recursiveKnown = recursiveArg === undefined || recursiveArg.kind === ts.SyntaxKind.TrueKeyword || recursiveArg.kind === ts.SyntaxKind.FalseKeyword;
  const mode = modeArg === undefined ? 'sync' : literal(modeArg);
  let filter = { source: '^\\.\\/.*$', flags: '' };
  let filterKnown = true;
  if (filterArg) {
    if (ts.isRegularExpressionLiteral(filterArg)) {
      const text = filterArg.text;
      const end = text.lastIndexOf('/');
      filter = { source: text.slice(1, end), flags: text.slice(end + 1) };
    } else filterKnown = false;
  }
  // lazy contexts load each file on demand, like import(); the others bundle them in
  const kind = mode === 'lazy' || mode === 'lazy-once' ? 'dynamic' : 'require';
  if (directory === undefined || !recursiveKnown || !filterKnown || mode === undefined) return { specifier: directory ?? '…', kind, glob: { unreadable: 'require.context' } };
  return { specifier: directory, kind, glob: { context: { directory, recursive, filter } } };
}
