import ts from 'typescript';
import type { EdgeKind } from '../types';
import { globImports, type GlobImport, type GlobOpening } from './glob-imports';

/**
 * One AST walk per file: the imports it makes (with how each imported binding is used),
 * the names it exports (for barrel tracing), and nothing else. No type checker: whether a
 * plain `import { X }` survives in the emitted JS is decided the way TypeScript's own
 * elision decides it — X is kept only if referenced in a value position.
 */

/**
 * How an imported binding is used in its file: `value` (kept at runtime), `forward` (only
 * re-exported: kept unless it is a type), `type` (imported with `type`), `none` (no runtime use:
 * unused, or used only in types — TypeScript erases both alike).
 */
export type BindingUse = 'value' | 'type' | 'forward' | 'none';

export interface ImportedName {
  /** The exported name asked for: `default`, `*` for a namespace import, else the name. */
  name: string;
  use: BindingUse;
}

export interface RawImport {
  specifier: string;
  line: number;
  /**
   * The kind as far as this file alone tells. `pending` means the import is kept only to be
   * re-exported (`export { X }` / `export { X } from`), which is erased when X is a type:
   * the graph stage decides with the export tables.
   */
  kind: EdgeKind | 'pending';
  /** Names for barrel tracing; absent for side-effect, `export *`, dynamic and require imports. */
  names?: ImportedName[];
  /** `require` for require()/import=require (CommonJS resolution), `import` for the rest. */
  mode: 'import' | 'require' | 'dynamic';
  /** A triple-slash `reference path`: resolved as a file path, not a module name. */
  referencePath?: boolean;
  /** `export ... from` (as opposed to an import statement). */
  reexport?: boolean;
  /** `import.meta.glob` / `require.context`: the files it loads are listed by the resolver. */
  glob?: GlobImport;
}

export interface ExportTarget {
  specifier: string;
  /** The name exported by the target, `*` for the module namespace itself. */
  name: string;
  /** Re-exported with `export type` (erased whatever the target is). */
  typeOnly: boolean;
}

export interface ExportTable {
  /** Names declared in this file and exported: whether each is only a type. */
  local: Map<string, 'type' | 'value'>;
  /** `export { a as b } from`, `export * as ns from`, and `import {a} from; export {a}` forwarding. */
  named: Map<string, ExportTarget>;
  /** `export * from` specifiers. */
  stars: string[];
}

export interface ScanOptions {
  /** verbatimModuleSyntax / preserveValueImports: plain imports are kept whatever their use. */
  keepValueImports: boolean;
  /** isolatedModules: `export { X }` of an import is kept (transpilers cannot know X is a type). */
  isolatedModules: boolean;
  emitDecoratorMetadata: boolean;
  /** Force the full AST walk instead of the text search (measurements, tests). */
  walk?: boolean;
}

export interface ScanResult {
  imports: RawImport[];
  exports: ExportTable;
}

const enum Ctx {
  Value = 0,
  Type = 1,
  /** A type annotation that emitDecoratorMetadata serializes: its type names are runtime references. */
  Metadata = 2,
}

const rank = { none: 0, type: 1, forward: 2, value: 3 } as const;

interface Binding {
  importIndex: number;
  nameIndex: number;
}

export function scanSourceFile(sf: ts.SourceFile, options: ScanOptions): ScanResult {
  const isJs = /\.(c|m)?jsx?$/.test(sf.fileName);
  const imports: RawImport[] = [];
  const exports: ExportTable = { local: new Map(), named: new Map(), stars: [] };
  const bindings = new Map<string, Binding>();
  const lineOf = (node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  /** Local `export { X }` specifiers whose X may be an import: settled once the walk is done. */
  const localExportSpecifiers: { local: string; exported: string; typeOnly: boolean }[] = [];
  const localDeclarations = new Map<string, 'type' | 'value'>();

  /** Imported names not yet seen in a value position; when none are left the walk can stop early. */
  const awaitingValue = new Set<string>();
  let done = false;
  const calls = callOpenings(sf.text);
  // without these openings there is no import() / import('x').T / require() to find below
  const mayImportCall = calls.imports.length > 0;
  const mayRequire = calls.requires.length > 0;

  const declareLocal = (name: string, kind: 'type' | 'value'): void => {
    // a name declared both as a type and a value (class, or interface + const) is a value
    if (localDeclarations.get(name) !== 'value') localDeclarations.set(name, kind);
  };

  const addImportDeclaration = (node: ts.ImportDeclaration): void => {
    if (!ts.isStringLiteral(node.moduleSpecifier)) return;
    const specifier = node.moduleSpecifier.text;
    const clause = node.importClause;
    const line = lineOf(node);
    if (!clause) {
      imports.push({ specifier, line, kind: 'static', mode: 'import' });
      return;
    }
    const clauseTypeOnly = clause.isTypeOnly;
    const names: ImportedName[] = [];
    const importIndex = imports.length;
    const bind = (local: string, name: string, typeOnly: boolean): void => {
      // in JS nothing is elided: every binding counts as a value
      names.push({ name, use: typeOnly ? 'type' : isJs ? 'value' : 'none' });
      if (!typeOnly && !isJs) awaitingValue.add(local);
      bindings.set(local, { importIndex, nameIndex: names.length - 1 });
    };
    if (clause.name) bind(clause.name.text, 'default', clauseTypeOnly);
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) bind(nb.name.text, '*', clauseTypeOnly);
    else if (nb) {
      for (const el of nb.elements) bind(el.name.text, (el.propertyName ?? el.name).text, clauseTypeOnly || el.isTypeOnly);
    }
    // the final kind is settled after the walk, from how the bindings were used
    imports.push({ specifier, line, kind: clauseTypeOnly ? 'type-only' : 'static', names, mode: 'import' });
  };

  const addExportDeclaration = (node: ts.ExportDeclaration): void => {
    const typeOnly = node.isTypeOnly;
    if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const specifier = node.moduleSpecifier.text;
      const line = lineOf(node);
      const clause = node.exportClause;
      if (!clause) {
        exports.stars.push(specifier);
        imports.push({ specifier, line, kind: typeOnly ? 'type-only' : 're-export', mode: 'import', reexport: true });
        return;
      }
      if (ts.isNamespaceExport(clause)) {
        exports.named.set(clause.name.text, { specifier, name: '*', typeOnly });
        imports.push({ specifier, line, kind: typeOnly ? 'type-only' : 're-export', names: [{ name: '*', use: typeOnly ? 'type' : 'value' }], mode: 'import', reexport: true });
        return;
      }
      const names: ImportedName[] = [];
      let allTypes = true;
      for (const el of clause.elements) {
        const t = typeOnly || el.isTypeOnly;
        const name = (el.propertyName ?? el.name).text;
        exports.named.set(el.name.text, { specifier, name, typeOnly: t });
        // a value-looking re-export is erased when the name turns out to be a type
        names.push({ name, use: t ? 'type' : options.isolatedModules || options.keepValueImports || isJs ? 'value' : 'forward' });
        if (!t) allTypes = false;
      }
      const kind: RawImport['kind'] = allTypes ? 'type-only' : names.some((n) => n.use === 'value') ? 're-export' : 'pending';
      imports.push({ specifier, line, kind, names, mode: 'import', reexport: true });
      return;
    }
    // export { a, b as c } — of local declarations or of imported bindings
    const clause = node.exportClause;
    if (clause && ts.isNamedExports(clause)) {
      for (const el of clause.elements) {
        localExportSpecifiers.push({ local: (el.propertyName ?? el.name).text, exported: el.name.text, typeOnly: typeOnly || el.isTypeOnly });
      }
    }
  };

  const useBinding = (id: ts.Identifier, use: BindingUse): void => {
    const b = bindings.get(id.text);
    if (!b) return;
    const n = imports[b.importIndex].names![b.nameIndex];
    // value beats forward beats type beats none
    if (rank[use] <= rank[n.use]) return;
    n.use = use;
    if (use === 'value' && awaitingValue.delete(id.text) && awaitingValue.size === 0 && !mayImportCall && !mayRequire) done = true;
  };

  const hasExportModifier = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const hasDefaultModifier = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);

  const collectBindingNames = (name: ts.BindingName, out: string[]): void => {
    if (ts.isIdentifier(name)) out.push(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collectBindingNames(el.name, out);
  };

  /** Top-level declarations: what the file declares (for `export { X }`) and exports directly. */
  const recordTopLevel = (stmt: ts.Statement): void => {
    let names: string[] = [];
    let kind: 'type' | 'value' = 'value';
    if (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt)) {
      names = [stmt.name.text];
      kind = 'type';
    } else if (ts.isClassDeclaration(stmt) || ts.isFunctionDeclaration(stmt) || ts.isEnumDeclaration(stmt)) {
      if (stmt.name) names = [stmt.name.text];
    } else if (ts.isModuleDeclaration(stmt) && ts.isIdentifier(stmt.name)) {
      names = [stmt.name.text];
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) collectBindingNames(d.name, names);
    } else if (ts.isExportAssignment(stmt)) {
      if (!stmt.isExportEquals) exports.local.set('default', 'value');
      return;
    } else return;
    for (const n of names) declareLocal(n, kind);
    if (hasExportModifier(stmt)) {
      if (hasDefaultModifier(stmt)) exports.local.set('default', kind);
      else for (const n of names) exports.local.set(n, localDeclarations.get(n) ?? kind);
    }
  };

  const isDeclarationName = (id: ts.Identifier, parent: ts.Node): boolean => {
    switch (parent.kind) {
      case ts.SyntaxKind.PropertyAccessExpression:
        return (parent as ts.PropertyAccessExpression).name === id;
      case ts.SyntaxKind.QualifiedName:
        return (parent as ts.QualifiedName).right === id;
      case ts.SyntaxKind.PropertyAssignment:
      case ts.SyntaxKind.PropertyDeclaration:
      case ts.SyntaxKind.PropertySignature:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.MethodSignature:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
      case ts.SyntaxKind.EnumMember:
      case ts.SyntaxKind.VariableDeclaration:
      case ts.SyntaxKind.Parameter:
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
      case ts.SyntaxKind.TypeParameter:
      case ts.SyntaxKind.JsxAttribute:
      case ts.SyntaxKind.ImportSpecifier:
      case ts.SyntaxKind.ImportClause:
      case ts.SyntaxKind.NamespaceImport:
      case ts.SyntaxKind.ImportEqualsDeclaration:
      case ts.SyntaxKind.NamespaceExport:
        return (parent as ts.NamedDeclaration).name === id;
      case ts.SyntaxKind.BindingElement:
        return (parent as ts.BindingElement).name === id || (parent as ts.BindingElement).propertyName === id;
      case ts.SyntaxKind.ExportSpecifier:
        return true; // handled by export declarations
      default:
        return false;
    }
  };

  const stringArg = (call: ts.CallExpression): ts.StringLiteralLike | undefined => {
    const a = call.arguments[0];
    return a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) ? a : undefined;
  };

  /** `import('x')`, `require('x')`, `import('x').T` / `typeof import('x')`. */
  const recordImportCall = (node: ts.Node): void => {
    if (ts.isImportTypeNode(node)) {
      if (ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        imports.push({ specifier: node.argument.literal.text, line: lineOf(node), kind: 'type-only', mode: 'import' });
      }
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const a = stringArg(node);
        if (a) imports.push({ specifier: a.text, line: lineOf(node), kind: 'dynamic', mode: 'dynamic' });
      } else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1) {
        const a = stringArg(node);
        if (a) imports.push({ specifier: a.text, line: lineOf(node), kind: 'require', mode: 'require' });
      }
    }
  };

  const isDecorated = (node: ts.Node): boolean => ts.canHaveDecorators(node) && (ts.getDecorators(node)?.length ?? 0) > 0;

  /** With emitDecoratorMetadata, decorated members' annotations are emitted as runtime references. */
  const visitClassMetadata = (cls: ts.ClassLikeDeclaration): Set<ts.Node> => {
    const serialized = new Set<ts.Node>();
    const classDecorated = isDecorated(cls);
    for (const m of cls.members) {
      if (ts.isConstructorDeclaration(m)) {
        if (classDecorated || m.parameters.some(isDecorated)) for (const p of m.parameters) if (p.type) serialized.add(p.type);
      } else if (isDecorated(m)) {
        if (ts.isPropertyDeclaration(m) && m.type) serialized.add(m.type);
        if (ts.isMethodDeclaration(m) || ts.isAccessor(m)) {
          for (const p of m.parameters) if (p.type) serialized.add(p.type);
          if (m.type) serialized.add(m.type);
        }
      } else if (ts.isMethodDeclaration(m) && m.parameters.some(isDecorated)) {
        for (const p of m.parameters) if (p.type) serialized.add(p.type);
      }
    }
    return serialized;
  };

  let metadataTypes: Set<ts.Node> | undefined;
  /**
   * The node whose child `visit` is looking at: the SourceFile is parsed without parent pointers
   * (setting them is a pass over every node), so the walk keeps the one it needs.
   */
  let parentNode: ts.Node = sf;
  const visitChildren = (node: ts.Node, visitor: (c: ts.Node) => void): void => {
    const outer = parentNode;
    parentNode = node;
    ts.forEachChild(node, visitor);
    parentNode = outer;
  };
  const visitValue = (c: ts.Node): void => visit(c, Ctx.Value);
  const visitType = (c: ts.Node): void => visit(c, Ctx.Type);
  const visitMetadata = (c: ts.Node): void => visit(c, Ctx.Metadata);
  const childVisitor = [visitValue, visitType, visitMetadata];

  const visit = (node: ts.Node, ctx: Ctx): void => {
    if (done) return;
    // inside a type only import('x').T matters: whether a name is used as a type or not at all, it is erased
    if (ctx === Ctx.Type && !mayImportCall) return;
    switch (node.kind) {
      case ts.SyntaxKind.Identifier: {
        // most identifiers are not imported names: the map lookup comes first
        if (!bindings.has((node as ts.Identifier).text)) return;
        const parent = parentNode;
        if (ctx === Ctx.Value && parent.kind === ts.SyntaxKind.ShorthandPropertyAssignment) {
          useBinding(node as ts.Identifier, 'value');
          return;
        }
        // a use in a type changes nothing: erased, like no use at all
        if (ctx === Ctx.Type || isDeclarationName(node as ts.Identifier, parent)) return;
        useBinding(node as ts.Identifier, 'value');
        return;
      }
      case ts.SyntaxKind.ImportDeclaration:
        addImportDeclaration(node as ts.ImportDeclaration);
        return;
      case ts.SyntaxKind.ExportDeclaration:
        addExportDeclaration(node as ts.ExportDeclaration);
        return;
      case ts.SyntaxKind.ImportEqualsDeclaration: {
        const ie = node as ts.ImportEqualsDeclaration;
        if (ts.isExternalModuleReference(ie.moduleReference) && ts.isStringLiteral(ie.moduleReference.expression)) {
          const typeOnly = ie.isTypeOnly;
          const idx = imports.length;
          imports.push({
            specifier: ie.moduleReference.expression.text,
            line: lineOf(ie),
            kind: typeOnly ? 'type-only' : 'require',
            names: [{ name: '*', use: typeOnly ? 'type' : isJs || hasExportModifier(ie) ? 'value' : 'none' }],
            mode: 'require',
          });
          bindings.set(ie.name.text, { importIndex: idx, nameIndex: 0 });
          if (imports[idx].names![0].use === 'none') awaitingValue.add(ie.name.text);
          return;
        }
        // `import A = NS.B` is a value use of NS
        visitChildren(ie.moduleReference, (c) => visit(c, ctx));
        if (ts.isIdentifier(ie.moduleReference)) useBinding(ie.moduleReference, 'value');
        return;
      }
      case ts.SyntaxKind.ImportType:
      case ts.SyntaxKind.CallExpression:
        recordImportCall(node);
        break;
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
        visitChildren(node, visitType);
        return;
      case ts.SyntaxKind.HeritageClause: {
        const hc = node as ts.HeritageClause;
        const typeCtx = hc.token === ts.SyntaxKind.ImplementsKeyword || ctx === Ctx.Type;
        const outer = parentNode;
        for (const t of hc.types) {
          parentNode = t;
          // `class A extends B<T>`: B is a value, T a type
          visit(t.expression, typeCtx ? Ctx.Type : Ctx.Value);
          if (t.typeArguments) for (const ta of t.typeArguments) visit(ta, Ctx.Type);
        }
        parentNode = outer;
        return;
      }
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
        if (options.emitDecoratorMetadata) {
          const outer = metadataTypes;
          const own = visitClassMetadata(node as ts.ClassLikeDeclaration);
          metadataTypes = own.size ? new Set([...(outer ?? []), ...own]) : outer;
          visitChildren(node, childVisitor[ctx]);
          metadataTypes = outer;
          return;
        }
        break;
      case ts.SyntaxKind.TypeQuery:
        // `typeof x` in a type: erased
        visitChildren(node, visitType);
        return;
      case ts.SyntaxKind.TypeReference:
        if (ctx === Ctx.Metadata) {
          const tr = node as ts.TypeReferenceNode;
          let left: ts.EntityName = tr.typeName;
          while (ts.isQualifiedName(left)) left = left.left;
          useBinding(left, 'value');
          const outer = parentNode;
          parentNode = tr;
          if (tr.typeArguments) for (const ta of tr.typeArguments) visit(ta, Ctx.Type);
          parentNode = outer;
          return;
        }
        break;
    }
    if (ctx === Ctx.Value && metadataTypes?.has(node)) {
      visit(node, Ctx.Metadata);
      return;
    }
    if (ctx === Ctx.Value && isTypeNodeStart(node)) {
      visitChildren(node, visitType);
      return;
    }
    visitChildren(node, childVisitor[ctx]);
  };

  // imports first (they are hoisted), so every binding is known before the first use is met
  const isModuleImport = (stmt: ts.Statement): boolean =>
    ts.isImportDeclaration(stmt) || (ts.isImportEqualsDeclaration(stmt) && ts.isExternalModuleReference(stmt.moduleReference));
  for (const stmt of sf.statements) if (isModuleImport(stmt)) visit(stmt, Ctx.Value);
  // Searching the text for the imported names is much cheaper than walking every node; the walk
  // stays for what a search cannot see: decorator metadata, and import/export statements inside
  // `declare module`/namespaces (namespaces holding only declarations, as in effect, are searched).
  const search = !options.walk && !(options.emitDecoratorMetadata && sf.text.includes('@')) && !sf.statements.some(holdsModuleStatements);
  for (const stmt of sf.statements) {
    recordTopLevel(stmt);
    if (isModuleImport(stmt)) continue;
    if (ts.isExportDeclaration(stmt)) addExportDeclaration(stmt);
    else if (!search) visit(stmt, Ctx.Value);
  }
  if (search) {
    const text = sf.text;
    const spans = awaitingValue.size ? codeSpans(sf) : [];
    for (const name of [...awaitingValue]) {
      for (const { start, code } of spans) {
        for (let i = code.indexOf(name); i >= 0 && awaitingValue.has(name); i = code.indexOf(name, i + name.length)) {
          const pos = start + i;
          if (isIdentifierChar(text.charCodeAt(pos - 1)) || isIdentifierChar(text.charCodeAt(pos + name.length))) continue;
          const tok = tokenAt(sf, pos);
          if (tok.kind !== ts.SyntaxKind.Identifier || (tok as ts.Identifier).text !== name || tok.getStart(sf) !== pos) continue;
          const parent = tok.parent;
          if (parent.kind === ts.SyntaxKind.ShorthandPropertyAssignment) useBinding(tok as ts.Identifier, 'value');
          else if (!isDeclarationName(tok as ts.Identifier, parent) && !inTypePosition(tok)) useBinding(tok as ts.Identifier, 'value');
        }
        if (!awaitingValue.has(name)) break;
      }
    }
    for (const at of calls.imports) {
      const tok = tokenAt(sf, at);
      const node = tok.kind === ts.SyntaxKind.ImportKeyword ? tok.parent : tok;
      recordImportCall(node);
    }
    for (const at of calls.requires) {
      const tok = tokenAt(sf, at);
      if (tok.kind === ts.SyntaxKind.Identifier && ts.isCallExpression(tok.parent) && tok.parent.expression === tok) recordImportCall(tok.parent);
    }
  }
  for (const ref of sf.referencedFiles) {
    imports.push({ specifier: ref.fileName, line: sf.getLineAndCharacterOfPosition(ref.pos).line + 1, kind: 'type-only', mode: 'import', referencePath: true });
  }

  // `export { X }`: a local declaration, or forwarding of an imported binding
  for (const spec of localExportSpecifiers) {
    const b = bindings.get(spec.local);
    if (b && !localDeclarations.has(spec.local)) {
      const imp = imports[b.importIndex];
      const n = imp.names![b.nameIndex];
      exports.named.set(spec.exported, { specifier: imp.specifier, name: n.name, typeOnly: spec.typeOnly || imp.kind === 'type-only' });
      if (!spec.typeOnly) useBinding({ text: spec.local } as ts.Identifier, options.isolatedModules || options.keepValueImports ? 'value' : 'forward');
      else useBinding({ text: spec.local } as ts.Identifier, 'type');
    } else {
      exports.local.set(spec.exported, spec.typeOnly ? 'type' : (localDeclarations.get(spec.local) ?? 'value'));
    }
  }

  settleImportKinds(imports, options, isJs);
  imports.push(...globImports(sf, calls.globs, tokenAt));
  // source order, whichever way (walk or search) each import was found
  imports.sort((a, b) => a.line - b.line);
  return { imports, exports };
}

/**
 * `import(`, `require(` and the glob imports' `import.meta.glob(`, `import.meta.globEager(`,
 * `require.context(`: one regex reads the text once for all of them. Two openings never overlap (each
 * is a keyword, dots and letters, then `(`), so it finds exactly what a regex for each would.
 */
const CALL_OPENING = /\b(?:import(\.meta\.glob(Eager)?)?|require(\.context)?)\s*\(/g;

interface CallOpenings {
  imports: number[];
  requires: number[];
  globs: GlobOpening[];
}

function callOpenings(text: string): CallOpenings {
  const out: CallOpenings = { imports: [], requires: [], globs: [] };
  for (const m of text.matchAll(CALL_OPENING)) {
    if (m[1] !== undefined) out.globs.push({ at: m.index, context: false, eager: m[2] !== undefined });
    else if (m[3] !== undefined) out.globs.push({ at: m.index, context: true, eager: false });
    else if (m[0].startsWith('import')) out.imports.push(m.index);
    else out.requires.push(m.index);
  }
  return out;
}

/** A plain import's kind from its bindings' uses, as TypeScript's import elision decides. */
function settleImportKinds(imports: RawImport[], options: ScanOptions, isJs: boolean): void {
  for (const imp of imports) {
    if (imp.kind !== 'static' && imp.kind !== 'require') continue;
    if (!imp.names || isJs) continue;
    const uses = imp.names.map((n) => n.use);
    if (options.keepValueImports) {
      // verbatimModuleSyntax keeps the statement (as `import {} from`) unless the whole clause is `import type`
      for (const n of imp.names) if (n.use === 'none' || n.use === 'forward') n.use = 'value';
      continue;
    }
    if (uses.includes('value')) continue;
    if (uses.includes('forward')) imp.kind = 'pending';
    else imp.kind = 'type-only';
  }
}

/** Leading trivia at least this long is left out of the name search; shorter trivia is not worth a span of its own. */
const LONG_TRIVIA = 256;

/**
 * The file's text without the long leading trivia of its top-level statements, as spans (offset and
 * text). Every token lies in some statement's range after its leading trivia, so a search of the
 * spans finds every identifier a search of the whole text finds; in a file of long doc comments
 * (effect: 524k lines, mostly JSDoc) it reads a fraction of the text for each imported name.
 */
function codeSpans(sf: ts.SourceFile): { start: number; code: string }[] {
  const text = sf.text;
  const spans: { start: number; end: number }[] = [];
  for (const stmt of sf.statements) {
    const start = stmt.getStart(sf);
    const last = spans[spans.length - 1];
    if (last && start - last.end < LONG_TRIVIA) last.end = stmt.end;
    else spans.push({ start, end: stmt.end });
  }
  return spans.map(({ start, end }) => ({ start, code: text.slice(start, end) }));
}

/**
 * The deepest node whose range (leading trivia included) holds `pos`, with `parent` set on it and its
 * ancestors: the SourceFile has no parent pointers, and the search only needs those of the few nodes
 * it lands on. Unlike ts.getTokenAtPosition it does not build token lists (getChildren) on the way
 * down; a position in a comment or a punctuation token lands on an enclosing node, which no caller
 * takes for an identifier (they check the kind and that the node starts at `pos`).
 */
export function tokenAt(sf: ts.SourceFile, pos: number): ts.Node {
  let node: ts.Node = sf;
  for (;;) {
    const parent = node;
    // lists (statements, members, arguments) are searched by halves: their nodes are in source order
    const child = ts.forEachChild(
      parent,
      (c) => (holds(c, pos) ? c : undefined),
      (list) => elementAt(list, pos),
    );
    if (!child) return node;
    (child as { parent: ts.Node }).parent = parent;
    node = child;
  }
}

function holds(node: ts.Node, pos: number): boolean {
  return node.pos <= pos && pos < node.end;
}

/** The node of a list whose range holds `pos`, if one does (nodes of a list are in order and do not overlap). */
function elementAt(list: ts.NodeArray<ts.Node>, pos: number): ts.Node | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const node = list[mid];
    if (pos < node.pos) hi = mid - 1;
    else if (pos >= node.end) lo = mid + 1;
    else return node;
  }
  return undefined;
}

function isIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;
}

/** A `declare module`/namespace with an import or export statement somewhere in its body. */
function holdsModuleStatements(stmt: ts.Statement): boolean {
  if (!ts.isModuleDeclaration(stmt)) return false;
  const body = stmt.body;
  if (!body) return false;
  if (ts.isModuleDeclaration(body)) return holdsModuleStatements(body);
  if (!ts.isModuleBlock(body)) return false;
  return body.statements.some(
    (s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s) || ts.isExportDeclaration(s) || holdsModuleStatements(s),
  );
}

/** Whether an identifier sits where TypeScript erases it: in a type, an interface, an `implements` clause. */
function inTypePosition(node: ts.Node): boolean {
  let child = node;
  for (let n = node.parent; n && n.kind !== ts.SyntaxKind.SourceFile; child = n, n = n.parent) {
    switch (n.kind) {
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
        return true;
      case ts.SyntaxKind.HeritageClause:
        return (n as ts.HeritageClause).token === ts.SyntaxKind.ImplementsKeyword || n.parent.kind === ts.SyntaxKind.InterfaceDeclaration;
      case ts.SyntaxKind.ImportEqualsDeclaration:
        // `import A = NS.B`: NS is a value use
        return (n as ts.ImportEqualsDeclaration).moduleReference !== child;
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.ExportDeclaration:
        return true;
      default:
        if (isTypeNodeStart(n)) return true;
    }
  }
  return false;
}

/** A type annotation or type argument met while walking values (`x: T`, `f<T>()`, `as T`, `satisfies T`). */
function isTypeNodeStart(node: ts.Node): boolean {
  return node.kind >= ts.SyntaxKind.FirstTypeNode && node.kind <= ts.SyntaxKind.LastTypeNode && node.kind !== ts.SyntaxKind.ExpressionWithTypeArguments;
}
