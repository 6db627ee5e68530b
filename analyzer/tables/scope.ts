import ts from 'typescript';
import { own, type ImportBinding, type NameRef } from './facts';
// the typescript bundle exports through getters: read the hot ones once
const { canHaveModifiers, isArrayLiteralExpression, isAsExpression, isBinaryExpression, isCallExpression, isClassDeclaration, isEnumDeclaration, isExportAssignment, isExportDeclaration, isExpressionStatement, isExternalModuleReference, isFunctionDeclaration, isIdentifier, isImportDeclaration, isImportEqualsDeclaration, isInterfaceDeclaration, isLiteralTypeNode, isNamedExports, isNamespaceImport, isNonNullExpression, isObjectBindingPattern, isObjectLiteralExpression, isParenthesizedExpression, isParenthesizedTypeNode, isPropertyAccessExpression, isPropertyAssignment, isPropertySignature, isSatisfiesExpression, isShorthandPropertyAssignment, isSpreadElement, isStringLiteral, isStringLiteralLike, isTypeAliasDeclaration, isTypeAssertionExpression, isTypeLiteralNode, isTypeQueryNode, isTypeReferenceNode, isUnionTypeNode, isVariableStatement } = ts;
const SK = ts.SyntaxKind;

/**
 * What the collector knows about a name in scope: syntactic facts only (no checker). A type written
 * on a parameter, property or variable is followed by its name; what the name denotes (a model, a
 * repository class) is decided when composing, across files.
 */
export type Sym =
  /** A string constant (`const TABLE = 'tags'`); `alternatives` for `cond ? A : B` (value is the first). */
  | { k: 'string'; value: string; alternatives?: string[] }
  /** `x: T`, `x: Repository<E>`, `x: typeof M`, or a variable whose value is known to be of type T. */
  | { k: 'typed'; type: TypeInfo }
  /** A TypeORM repository of an entity (`getRepository(E)`, `@InjectRepository(E)`). */
  | { k: 'repository'; entity: EntityRef }
  /** A query builder kept in a variable (`const qb = repo.createQueryBuilder('p')`). */
  | { k: 'queryBuilder'; root?: EntityRef; aliases: Record<string, AliasTarget> }
  | { k: 'knex' }
  | { k: 'prisma' }
  /** An EntityManager / DataSource / transaction manager: its calls name the entity as an argument. */
  | { k: 'manager' }
  /** An object or array literal kept in a variable (`const options = { include: [...] }`): ORM options. */
  | { k: 'literal'; node: ts.Expression }
  /** A query kept in a variable (`const sub = db('t').select('id')`): a subquery where a table may stand. */
  | { k: 'subquery' }
  /** A local about which nothing is known (it shadows a module binding of the same name). */
  | { k: 'local' };

export interface TypeInfo {
  ref: NameRef;
  /** The first type argument, when it names a type (`Repository<User>`). */
  generic?: NameRef;
  /** `typeof M`: the class itself, not an instance. */
  static?: boolean;
}

/** An entity named by a class (`User`) or a string (`'User'`, a model or table name). */
export type EntityRef = { ref: NameRef } | { name: string };

/** What a query-builder alias stands for: the root, a relation path from an alias, or an entity. */
export type AliasTarget = { path: string[] } | { entity: EntityRef; path: string[] };

/** The file's top-level bindings: imports, local declarations, string constants, exports. */
export interface TopLevel {
  imports: Record<string, ImportBinding>;
  /** Names declared at the top level (classes, functions, variables), besides imports. */
  declared: Set<string>;
  constants: Record<string, string>;
  exports: Record<string, string>;
  /** Members of a local type alias or interface that name a type (`type Props = { user: User }`), read when asked. */
  typeMembers(name: string): Map<string, TypeInfo> | undefined;
}

/**
 * Reads the top-level statements once (no descent into bodies). `constantsOnly`: just the string
 * constants and what exports them, which is all other files can ask of a file with no SQL to resolve
 * (`exportsConstants`: what `mayExportConstants` said, when the caller asked already).
 */
export function readTopLevel(sf: ts.SourceFile, constantsOnly = false, exportsConstants = true): TopLevel {
  if (constantsOnly && !(exportsConstants && mayExportConstants(sf))) return emptyTopLevel();
  let typeCache: Map<string, Map<string, TypeInfo> | undefined> | undefined;
  const top: TopLevel = {
    imports: {},
    declared: new Set(),
    constants: {},
    exports: {},
    typeMembers: (name) => {
      typeCache ??= new Map();
      if (!typeCache.has(name)) typeCache.set(name, typeMembersNamed(sf, name));
      return typeCache.get(name);
    },
  };
  const exported = (node: ts.Node): boolean => hasModifier(node, SK.ExportKeyword);
  const isDefault = (node: ts.Node): boolean => hasModifier(node, SK.DefaultKeyword);
  for (const stmt of sf.statements) {
    const kind = stmt.kind;
    if (constantsOnly && kind !== SK.VariableStatement && kind !== SK.EnumDeclaration && kind !== SK.ExportAssignment && kind !== SK.ExportDeclaration && kind !== SK.ExpressionStatement) continue;
    if (isImportDeclaration(stmt) && isStringLiteral(stmt.moduleSpecifier)) {
      const from = stmt.moduleSpecifier.text;
      const clause = stmt.importClause;
      if (!clause) continue;
      if (clause.name) top.imports[clause.name.text] = { from, name: 'default' };
      const b = clause.namedBindings;
      if (b && isNamespaceImport(b)) top.imports[b.name.text] = { from, name: '*' };
      else if (b) for (const el of b.elements) top.imports[el.name.text] = { from, name: (el.propertyName ?? el.name).text };
    } else if (isImportEqualsDeclaration(stmt) && isExternalModuleReference(stmt.moduleReference) && isStringLiteral(stmt.moduleReference.expression)) {
      top.imports[stmt.name.text] = { from: stmt.moduleReference.expression.text, name: '*' };
    } else if (isVariableStatement(stmt)) {
      const isExported = exported(stmt);
      for (const d of stmt.declarationList.declarations) {
        const req = d.initializer && requireOf(d.initializer);
        if (req !== undefined) {
          if (isIdentifier(d.name)) top.imports[d.name.text] = { from: req.from, name: req.member ?? '*' };
          else if (isObjectBindingPattern(d.name)) {
            for (const el of d.name.elements) {
              if (!isIdentifier(el.name)) continue;
              const prop = el.propertyName && isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
              top.imports[el.name.text] = { from: req.from, name: prop };
            }
          }
          continue;
        }
        if (!isIdentifier(d.name)) continue;
        const name = d.name.text;
        // a constants-only read keeps just what can hold a string: other files ask for nothing else
        if (constantsOnly && !(d.initializer && mayHoldString(d.initializer))) continue;
        top.declared.add(name);
        if (isExported) top.exports[name] = name;
        if (d.initializer) addConstants(top.constants, name, d.initializer, top.constants);
      }
    } else if (isClassDeclaration(stmt) || isFunctionDeclaration(stmt)) {
      const name = stmt.name?.text ?? 'default';
      top.declared.add(name);
      if (exported(stmt)) top.exports[isDefault(stmt) ? 'default' : name] = name;
    } else if (isEnumDeclaration(stmt)) {
      top.declared.add(stmt.name.text);
      if (exported(stmt)) top.exports[stmt.name.text] = stmt.name.text;
      for (const m of stmt.members) {
        if (m.initializer && isStringLiteralLike(m.initializer) && (isIdentifier(m.name) || isStringLiteral(m.name))) {
          top.constants[`${stmt.name.text}.${m.name.text}`] = m.initializer.text;
        }
      }
    } else if (isExportAssignment(stmt)) {
      // export default X / export = X
      if (isIdentifier(stmt.expression)) top.exports.default = stmt.expression.text;
    } else if (isExportDeclaration(stmt) && !stmt.moduleSpecifier && stmt.exportClause && isNamedExports(stmt.exportClause)) {
      for (const el of stmt.exportClause.elements) top.exports[el.name.text] = (el.propertyName ?? el.name).text;
    } else if (isExpressionStatement(stmt)) {
      commonJsExport(stmt.expression, top);
    }
  }
  return top;
}

function emptyTopLevel(): TopLevel {
  return { imports: {}, declared: new Set(), constants: {}, exports: {}, typeMembers: () => undefined };
}

/**
 * Whether a constants-only read can find anything: an exported variable or enum, an export list or
 * assignment, a CommonJS export, or a class with a base or a constructor (class facts).
 */
export function mayExportConstants(sf: ts.SourceFile): boolean {
  for (const stmt of sf.statements) {
    switch (stmt.kind) {
      case SK.VariableStatement:
      case SK.EnumDeclaration:
        if ((stmt as ts.VariableStatement | ts.EnumDeclaration).modifiers?.some((m) => m.kind === SK.ExportKeyword)) return true;
        break;
      case SK.ExportDeclaration:
        if (!(stmt as ts.ExportDeclaration).moduleSpecifier) return true;
        break;
      case SK.ExportAssignment:
        return true;
      case SK.ExpressionStatement: {
        // `module.exports = …`, `exports.X = …`
        const e = (stmt as ts.ExpressionStatement).expression;
        if (isBinaryExpression(e) && e.operatorToken.kind === SK.EqualsToken && isPropertyAccessExpression(e.left)) return true;
        break;
      }
      case SK.ClassDeclaration:
        // a class fact (base, `super(...)`, members set from the constructor) is needed by subclasses
        if ((stmt as ts.ClassDeclaration).heritageClauses || (stmt as ts.ClassDeclaration).members.some(ts.isConstructorDeclaration)) return true;
        break;
    }
  }
  return false;
}

function typeMembersNamed(sf: ts.SourceFile, name: string): Map<string, TypeInfo> | undefined {
  for (const stmt of sf.statements) {
    if (isTypeAliasDeclaration(stmt) && stmt.name.text === name && isTypeLiteralNode(stmt.type)) return typeMembersOf(stmt.type.members);
    if (isInterfaceDeclaration(stmt) && stmt.name.text === name) return typeMembersOf(stmt.members);
  }
  return undefined;
}

/** A modifier on a declaration, read from its `modifiers` (no filtered copy, as `ts.getModifiers` makes). */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const mods = canHaveModifiers(node) ? node.modifiers : undefined;
  if (!mods) return false;
  for (const m of mods) if (m.kind === kind) return true;
  return false;
}

/** `require('x')` / `require('x').Y` / `require('x').default`. */
function requireOf(e: ts.Expression): { from: string; member?: string } | undefined {
  let member: string | undefined;
  if (isPropertyAccessExpression(e)) {
    member = e.name.text;
    e = e.expression;
  }
  if (isCallExpression(e) && isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && isStringLiteralLike(e.arguments[0])) {
    return { from: e.arguments[0].text, member };
  }
  return undefined;
}

/** `module.exports = X`, `module.exports = { A, B }`, `exports.A = A`, `module.exports.A = A`. */
function commonJsExport(e: ts.Expression, top: TopLevel): void {
  if (!isBinaryExpression(e) || e.operatorToken.kind !== SK.EqualsToken) return;
  const target = e.left;
  const value = e.right;
  const isModuleExports = (x: ts.Expression): boolean => isPropertyAccessExpression(x) && isIdentifier(x.expression) && x.expression.text === 'module' && x.name.text === 'exports';
  if (isModuleExports(target)) {
    if (isIdentifier(value)) top.exports.default = value.text;
    else if (isObjectLiteralExpression(value)) {
      for (const p of value.properties) {
        if (isShorthandPropertyAssignment(p)) top.exports[p.name.text] = p.name.text;
        else if (isPropertyAssignment(p) && isIdentifier(p.initializer) && (isIdentifier(p.name) || isStringLiteral(p.name))) top.exports[p.name.text] = p.initializer.text;
      }
    }
  } else if (isPropertyAccessExpression(target) && isIdentifier(value)) {
    const obj = target.expression;
    if ((isIdentifier(obj) && obj.text === 'exports') || isModuleExports(obj)) top.exports[target.name.text] = value.text;
  }
}

/** Initializers `addConstants` may find a string in. */
function mayHoldString(init: ts.Expression): boolean {
  const e = unwrap(init);
  return isStringLiteralLike(e) || isObjectLiteralExpression(e) || isIdentifier(e) || isCallExpression(e);
}

/** String constants of an initializer: `'x'`, `` `x` ``, `{ a: 'x', b: { c: 'y' } }`, `'x' as const`, another constant. */
function addConstants(out: Record<string, string>, name: string, init: ts.Expression, known: Record<string, string>): void {
  const e = identifierHelperArg(unwrap(init)) ?? unwrap(init);
  if (isStringLiteralLike(e)) out[name] = e.text;
  else if (isIdentifier(e) && known[e.text] !== undefined) out[name] = known[e.text];
  else if (isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      if (isPropertyAssignment(p) && (isIdentifier(p.name) || isStringLiteral(p.name))) addConstants(out, `${name}.${p.name.text}`, p.initializer, known);
    }
  }
}

/** SQL identifier helpers and their argument: `sql.identifier(['t'])`, `sql.identifier(['s', 't'])` (the last part), `sql.table('t')`, `sql.id('t')`. */
export const IDENTIFIER_HELPERS = new Set(['identifier', 'table', 'id', 'ref']);

/** The name argument of an identifier helper call, else undefined. */
export function identifierHelperArg(e: ts.Expression): ts.Expression | undefined {
  if (!isCallExpression(e) || !isPropertyAccessExpression(e.expression) || !IDENTIFIER_HELPERS.has(e.expression.name.text)) return undefined;
  const arg = e.arguments[0] && unwrap(e.arguments[0]);
  if (arg && isArrayLiteralExpression(arg)) {
    const last = arg.elements[arg.elements.length - 1];
    return last && !isSpreadElement(last) ? unwrap(last) : undefined;
  }
  return arg;
}

/** Drops `as T`, `satisfies T`, `!`, `<T>x` and parentheses. */
export function unwrap(e: ts.Expression): ts.Expression {
  for (;;) {
    if (isAsExpression(e) || isSatisfiesExpression(e) || isNonNullExpression(e) || isParenthesizedExpression(e) || isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

function typeMembersOf(members: ts.NodeArray<ts.TypeElement>): Map<string, TypeInfo> {
  const out = new Map<string, TypeInfo>();
  for (const m of members) {
    if (isPropertySignature(m) && m.type && (isIdentifier(m.name) || isStringLiteral(m.name))) {
      const t = typeInfo(m.type);
      if (t) out.set(m.name.text, t);
    }
  }
  return out;
}

const NULLISH = new Set([SK.NullKeyword, SK.UndefinedKeyword]);

/** The type a type node names: `User`, `User | null`, `models.User`, `Repository<User>`, `typeof User`, `Promise<User>`-free. */
export function typeInfo(node: ts.TypeNode): TypeInfo | undefined {
  if (isUnionTypeNode(node)) {
    const rest = node.types.filter((t) => !(isLiteralTypeNode(t) && NULLISH.has(t.literal.kind)) && t.kind !== SK.UndefinedKeyword);
    return rest.length === 1 ? typeInfo(rest[0]) : undefined;
  }
  if (isParenthesizedTypeNode(node)) return typeInfo(node.type);
  if (isTypeQueryNode(node)) {
    const ref = entityNameRef(node.exprName);
    return ref && { ref, static: true };
  }
  if (!isTypeReferenceNode(node)) return undefined;
  const ref = entityNameRef(node.typeName);
  if (!ref) return undefined;
  const arg = node.typeArguments?.[0];
  const generic = arg && isTypeReferenceNode(arg) ? entityNameRef(arg.typeName) : undefined;
  return generic ? { ref, generic } : { ref };
}

function entityNameRef(n: ts.EntityName): NameRef | undefined {
  if (isIdentifier(n)) return { local: n.text };
  if (isIdentifier(n.left)) return { local: n.left.text, member: n.right.text };
  return undefined;
}

/** `User`, `models.User`: a reference to a binding that may be a model class. */
export function exprRef(e: ts.Expression): NameRef | undefined {
  e = unwrap(e);
  if (isIdentifier(e)) return { local: e.text };
  if (isPropertyAccessExpression(e) && isIdentifier(e.expression)) return { local: e.expression.text, member: e.name.text };
  return undefined;
}

export function isCapitalized(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/** A scope chain: the file's top level, then one map per function entered. */
export class Scopes {
  private readonly stack: Map<string, Sym>[] = [];
  /** What top-level variables hold (`const db = knex(config)`): not shadows. */
  private readonly topSyms = new Map<string, Sym>();

  constructor(private readonly top: TopLevel) {}

  depth(): number {
    return this.stack.length;
  }

  push(): void {
    this.stack.push(new Map());
  }

  pop(): void {
    this.stack.pop();
  }

  set(name: string, sym: Sym): void {
    if (this.stack.length === 0) this.topSyms.set(name, sym);
    else this.stack[this.stack.length - 1].set(name, sym);
  }

  get(name: string): Sym | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const s = this.stack[i].get(name);
      if (s) return s;
    }
    const s = this.topSyms.get(name);
    if (s) return s;
    const c = own(this.top.constants, name);
    return c === undefined ? undefined : { k: 'string', value: c };
  }

  /** Whether a name may denote a model class: an import or a top-level declaration, not shadowed. */
  isModuleBinding(name: string): boolean {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i].has(name)) return false;
    return own(this.top.imports, name) !== undefined || this.top.declared.has(name);
  }
}
