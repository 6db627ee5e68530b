import ts from 'typescript';
import { evalString, readChain, stringAlternatives, valueSym, type ChainSink, type Value } from './chain';
import { emptyTableFacts, own, type AssociationFact, type ClassFact, type KnownAccess, type ModelFact, type NameRef, type PrismaUse, type RefUse, type TableFacts } from './facts';
import { findProperty, optionValue, ormImports, readClass, readDefine, type OrmName } from './models';
import { Scopes, exprRef, identifierHelperArg, isCapitalized, mayExportConstants, readTopLevel, typeInfo, unwrap, type Sym, type TopLevel, type TypeInfo } from './scope';
import { ALL_LIBRARIES, anyLibrary, type DataLibraries } from './libraries';
import { looksLikeSql, sqlOpenings, tablesInSql, type SqlTableRef } from './sql-tables';
import { HOLE } from './sql-tokens';
import { DrizzleReader, calleeRef } from './drizzle';
// the typescript bundle exports through getters: read the hot ones once
const { canHaveDecorators, canHaveModifiers, forEachChild, getDecorators, getModifiers, isArrayBindingPattern, isArrayLiteralExpression, isAwaitExpression, isBinaryExpression, isBindingElement, isCallExpression, isClassDeclaration, isClassStaticBlockDeclaration, isComputedPropertyName, isConditionalExpression, isConstructorDeclaration, isExpressionStatement, isFunctionDeclaration, isFunctionExpression, isIdentifier, isNewExpression, isNoSubstitutionTemplateLiteral, isObjectBindingPattern, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isPropertySignature, isStringLiteral, isStringLiteralLike, isTemplateExpression, isTemplateHead, isTypeLiteralNode, isTypeReferenceNode, isVariableDeclaration, isVariableStatement } = ts;
const SK = ts.SyntaxKind;

/** A piece of SQL text and where it sits in the file, to turn offsets into lines. */
interface Part {
  /** Offset of the piece in the assembled SQL text. */
  at: number;
  /** File position of the piece's first character. */
  pos: number;
  text: string;
  /** Template pieces hold real line breaks; a string literal's `\n` is an escape on one line. */
  multiline: boolean;
}

/** Types that say what a value is, by the package they come from. */
const TYPE_KINDS: Record<string, Record<string, 'repository' | 'manager' | 'knex'>> = {
  typeorm: { Repository: 'repository', TreeRepository: 'repository', MongoRepository: 'repository', EntityManager: 'manager', DataSource: 'manager', Connection: 'manager', QueryRunner: 'manager' },
  knex: { Knex: 'knex', Transaction: 'knex' },
};

interface ClassCtx {
  local: string;
  members: Map<string, Sym>;
  /** Inside a static member. */
  static: boolean;
}

/**
 * What one file says about tables: SQL in string literals / templates / `+` concatenations, knex and
 * Kysely chains, Prisma client calls, Sequelize / TypeORM model declarations and uses, and the
 * bindings composing needs to follow names into other files. One walk, no type checker.
 */
export function collectTableFacts(sf: ts.SourceFile, libs: DataLibraries = ALL_LIBRARIES, options: { walk?: boolean } = {}): TableFacts {
  const walk = options.walk === true;
  // most files of a project without data libraries: no SQL, nothing exported another file could name a table with
  const exportsConstants = walk || anyLibrary(libs) || mayExportConstants(sf);
  const openings = sqlOpenings(sf.text);
  if (!exportsConstants && openings.length === 0) return emptyTableFacts();
  return new Collector(sf, libs, walk, openings, exportsConstants).run();
}

class Collector implements ChainSink {
  private readonly facts = emptyTableFacts();
  private top: TopLevel;
  /** `top` holds only constants (targeted mode, before any substitution needed more). */
  private topPartial: boolean;
  scopes: Scopes;
  readonly sequelize: boolean;
  readonly knexNames: boolean;
  private readonly orm: Map<string, OrmName>;
  private readonly classes: (ClassCtx | null)[] = [];
  private readonly params = new Map<ts.Node, Map<number, Sym>>();
  private readonly seen = new Set<ts.Node>();
  /** `visit`, bound once: the walk's callback for every node. */
  private readonly visitNode = (c: ts.Node): void => this.visit(c);
  /** Offsets of the quotes that open something starting like SQL (a regex over the text finds them), ascending. */
  private openingList: number[];
  private openings: Set<number>;
  /** Walk only the paths to SQL openings (no data library whose forms need the whole tree; `walk` forces the whole tree, for tests). */
  private readonly targeted: boolean;
  /** Literals and `+` nodes already read as SQL. */
  private readonly sqlDone = new Set<ts.Node>();
  /** Locals a SQL substitution names, by whether the text never assigns them something that may be a string. */
  private readonly unassigned = new Map<string, boolean>();
  /** CTE names of query builders in this file. */
  private readonly cteNames = new Set<string>();
  /** Drizzle's forms, in projects using it. */
  private readonly drizzle: DrizzleReader | undefined;
  /** The top-level function being walked, with its parameters by name (Drizzle tables handed in). */
  private frame: { fn: string; params: Map<string, { index: number; prop?: string }> } | undefined;
  /** The name of the top-level variable whose initializer is walked (`const f = () => …`). */
  private pendingFn: string | undefined;

  constructor(
    private readonly sf: ts.SourceFile,
    readonly libs: DataLibraries,
    walk: boolean,
    openings: number[],
    exportsConstants: boolean,
  ) {
    // no data library: only SQL substitutions will ask about names, and only if there are some
    this.targeted = !walk && !anyLibrary(libs);
    this.top = readTopLevel(sf, this.targeted, exportsConstants);
    this.topPartial = this.targeted;
    this.scopes = new Scopes(this.top);
    this.sequelize = libs.orm && (sf.text.includes('equelize') || sf.text.includes('SEQUELIZE'));
    this.knexNames = libs.knex && (!Object.values(this.top.imports).some((b) => b.from === 'kysely' || b.from.startsWith('kysely/')) || sf.text.includes('knex') || sf.text.includes('Knex'));
    this.orm = libs.orm ? ormImports(this.top.imports) : new Map();
    this.openingList = openings;
    this.openings = new Set(this.openingList);
    if (libs.drizzle) {
      this.drizzle = new DrizzleReader({
        imports: this.top.imports,
        isModuleBinding: (n) => this.scopes.isModuleBinding(n),
        tableParam: (n) => {
          const p = this.frame?.params.get(n);
          return p && this.frame ? { fn: this.frame.fn, ...p } : undefined;
        },
        line: (n) => this.line(n),
        use: (u) => this.facts.uses.push(u),
        snippet: (n) => this.snippet(n),
      });
    }
  }

  run(): TableFacts {
    // class facts of the top-level classes, whatever is walked: a subclass's `super('tags')` names its base's table
    for (const stmt of this.sf.statements) if (isClassDeclaration(stmt)) this.classFact(stmt, stmt.name?.text ?? 'default');
    if (!this.targeted) this.visitChildren(this.sf);
    else if (this.openingList.length > 0) this.readSqlOnly();
    return this.finish();
  }

  /**
   * Targeted mode: the literals at the SQL openings are found by descending only into the nodes that
   * hold one. SQL whose table names are all written out is read right there; SQL with a substitution
   * in a table position is read by walking the paths to it with the scopes a full walk would have.
   */
  private readSqlOnly(): void {
    const deferred: number[] = [];
    const done = new Set<ts.Node>();
    for (const { literal, ancestors } of literalsAt(this.sf, this.openingList)) {
      // a template head stands for its template; a `+` chain is read whole, from its outermost `+`
      let up = ancestors.length - 1;
      const own = isTemplateHead(literal) ? ancestors[up--] : literal;
      let top: ts.Node = own;
      while (up >= 0 && isPlus(ancestors[up])) top = ancestors[up--];
      if (done.has(top) || done.has(own)) continue;
      let sql = this.sqlOf(top);
      let unit = top;
      let refs = sql && tablesInSql(sql.text);
      if (top !== own && !refs) {
        // a `+` chain that is no SQL as a whole: its literals are read one by one, as the walk does
        sql = this.sqlOf(own);
        unit = own;
        refs = sql && tablesInSql(sql.text);
      }
      done.add(unit);
      if (!sql || !refs) continue;
      if (refs.every((r) => r.name !== undefined)) this.readSql(sql.parts, sql.holes, sql.text, refs);
      else if (this.needsScopes(refs, sql.holes)) deferred.push(own.getStart(this.sf));
      else this.readSql(sql.parts, sql.holes, sql.text, refs);
    }
    if (deferred.length === 0) return;
    // substitutions to resolve: the whole top level, as a full walk has it
    this.top = readTopLevel(this.sf);
    this.topPartial = false;
    this.scopes = new Scopes(this.top);
    this.openingList = deferred.sort((a, b) => a - b);
    this.openings = new Set(this.openingList);
    this.visitChildren(this.sf);
  }

  /**
   * Whether the substituted table names of a SQL text need the scopes of a walk. Not when each is a
   * gap whatever the scopes hold: a name built from several pieces, or a local (no module binding) that
   * the text never assigns, so it cannot hold a string (`${table}` for a parameter, `${options.name}`).
   */
  private needsScopes(refs: readonly SqlTableRef[], holes: readonly ts.Expression[]): boolean {
    if (this.topPartial) {
      this.top = readTopLevel(this.sf);
      this.topPartial = false;
      this.scopes = new Scopes(this.top);
    }
    return refs.some((r) => r.name === undefined && r.hole !== undefined && !this.surelyUnreadable(holes[r.hole]));
  }

  private surelyUnreadable(e: ts.Expression | undefined): boolean {
    if (!e) return true;
    e = unwrap(e);
    if (isCallExpression(e)) {
      // a helper around the name (`sql(table)`, `sql.identifier([table])`), or any other call
      const c = e.expression;
      if (isPropertyAccessExpression(c) && c.name.text === 'getTableName') return false;
      const arg = e.arguments[0] && unwrap(e.arguments[0]);
      if (arg && isArrayLiteralExpression(arg)) {
        const last = arg.elements[arg.elements.length - 1];
        return last === undefined || this.surelyUnreadable(last as ts.Expression);
      }
      return this.surelyUnreadable(arg);
    }
    if (isPropertyAccessExpression(e)) return e.expression.kind !== SK.ThisKeyword && isIdentifier(e.expression) && !this.scopes.isModuleBinding(e.expression.text);
    if (!isIdentifier(e)) return !isStringLiteralLike(e);
    if (this.scopes.isModuleBinding(e.text)) return false;
    // a local holds a string only when a declaration of it is initialised with a string, a template,
    // an identifier helper or alternatives: every occurrence of the name is checked for being such a declaration
    const cached = this.unassigned.get(e.text);
    if (cached !== undefined) return cached;
    const name = e.text;
    // a declaration's name is followed by its type or its initializer
    const occurrence = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}\\s*(?::|=(?![=>]))`, 'g');
    let unassigned = true;
    for (let m = occurrence.exec(this.sf.text); m && unassigned; m = occurrence.exec(this.sf.text)) {
      const d = declarationAt(this.sf, m.index);
      if (d && isIdentifier(d.name) && d.name.text === name && d.initializer && mayBeString(d.initializer)) unassigned = false;
    }
    this.unassigned.set(name, unassigned);
    return unassigned;
  }

  /** The SQL text of a literal, template or `+` chain, with its pieces and substitutions; undefined when it does not start like SQL. */
  private sqlOf(node: ts.Node): { parts: Part[]; holes: ts.Expression[]; text: string } | undefined {
    if (isTemplateExpression(node)) {
      if (!looksLikeSql(node.head.text)) return undefined;
      const parts = this.templateParts(node, 0);
      return { parts, holes: node.templateSpans.map((s) => s.expression), text: parts.map((p) => p.text).join(HOLE) };
    }
    if (isStringLiteral(node) || isNoSubstitutionTemplateLiteral(node)) {
      if (!looksLikeSql(node.text)) return undefined;
      return { parts: [{ at: 0, pos: node.getStart(this.sf) + 1, text: node.text, multiline: !isStringLiteral(node) }], holes: [], text: node.text };
    }
    return isPlus(node) ? this.concatenationOf(node) : undefined;
  }

  /**
   * The children of a node, all of them, or in targeted mode only those holding a SQL opening; a
   * variable statement passed over still declares its names, so substitutions resolve as in a full walk.
   */
  private visitChildren(node: ts.Node): void {
    if (!this.targeted) {
      forEachChild(node, this.visitNode);
      return;
    }
    forEachChild(node, (c) => {
      if (this.holdsOpening(c)) this.visit(c);
      else if (isVariableStatement(c)) for (const d of c.declarationList.declarations) this.declare(d);
    });
  }

  /** Whether a node's text (with its leading trivia) holds a SQL opening: a binary search over the sorted openings. */
  private holdsOpening(node: ts.Node): boolean {
    const o = this.openingList;
    let lo = 0;
    let hi = o.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (o[mid] < node.pos) lo = mid + 1;
      else hi = mid;
    }
    return lo < o.length && o[lo] < node.end;
  }

  private visitIf(node: ts.Node | undefined): void {
    if (node && (!this.targeted || this.holdsOpening(node))) this.visit(node);
  }

  private finish(): TableFacts {
    const f = this.facts;
    if (this.drizzle && Object.keys(this.drizzle.facts).length) f.drizzle = this.drizzle.facts;
    if (!f.drizzle && f.known.length + f.uses.length + f.models.length + f.associations.length + f.repositories.length + f.prisma.length + f.gaps.length === 0 && !f.classes && !f.settings && this.cteNames.size === 0) {
      // nothing here but maybe constants other files name tables with
      const constants = this.exportedConstants();
      if (constants) {
        f.constants = constants;
        if (this.topPartial) this.top = readTopLevel(this.sf);
        if (Object.keys(this.top.exports).length) f.exports = this.top.exports;
        if (Object.keys(this.top.imports).length) f.imports = this.top.imports;
      }
      return f;
    }
    const seen = new Set<string>();
    f.known = f.known
      .filter((a) => {
        const key = `${a.name}\0${a.access}\0${a.line}\0${a.definition ?? ''}\0${a.kysely ?? ''}`;
        return seen.has(key) ? false : (seen.add(key), true);
      })
      .sort((a, b) => a.line - b.line || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const constants = this.exportedConstants();
    if (constants) f.constants = constants;
    if (this.cteNames.size) f.ctes = [...this.cteNames];
    const needsBindings = f.uses.length + f.models.length + f.associations.length + f.repositories.length > 0 || f.constants !== undefined || f.classes !== undefined || f.drizzle !== undefined;
    if (needsBindings) {
      // a constants-only read leaves imports out: composing follows them (a base class, a re-exported constant)
      if (this.topPartial) this.top = readTopLevel(this.sf);
      if (Object.keys(this.top.exports).length) f.exports = this.top.exports;
      if (Object.keys(this.top.imports).length) f.imports = this.top.imports;
    }
    return f;
  }

  /** The exported string constants that can name a table (`TABLE`, `T.users`), if any. */
  private exportedConstants(): Record<string, string> | undefined {
    let out: Record<string, string> | undefined;
    let exported: Set<string> | undefined;
    for (const name in this.top.constants) {
      const value = this.top.constants[name];
      if (!/^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?$/.test(value)) continue;
      exported ??= new Set(Object.values(this.top.exports));
      const dot = name.indexOf('.');
      if (exported.has(dot < 0 ? name : name.slice(0, dot))) (out ??= {})[name] = value;
    }
    return out;
  }

  // ---- the sink the chain reader reports to -------------------------------------------------

  line(node: ts.Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }

  known(a: KnownAccess): void {
    this.facts.known.push(a);
  }

  use(u: RefUse): void {
    this.facts.uses.push(u);
  }

  prisma(u: PrismaUse): void {
    this.facts.prisma.push(u);
  }

  gap(node: ts.Node, what: string): void {
    this.facts.gaps.push({ line: this.line(node), what });
  }

  association(a: AssociationFact): void {
    if (a.owner.local === 'this' || this.isThisClass(a.owner)) a.owner = { local: this.currentClass()?.local ?? a.owner.local };
    this.facts.associations.push(a);
  }

  model(m: ModelFact): void {
    this.facts.models.push(m);
  }

  /**
   * A query builder's CTE names (`.with('ranked', …)`) are not tables anywhere in the file: the query
   * that joins the CTE is often built in a helper beside the one that declares it.
   */
  cteScope(names: ReadonlySet<string>): void {
    for (const n of names) this.cteNames.add(n);
  }

  callbackParam(fn: ts.SignatureDeclaration, index: number, sym: Sym): void {
    let m = this.params.get(fn);
    if (!m) this.params.set(fn, (m = new Map()));
    m.set(index, sym);
  }

  thisValue(): Value | undefined {
    const c = this.currentClass();
    if (!c) return undefined;
    return c.static ? { k: 'model', ref: { local: c.local } } : { k: 'instance', ref: { local: c.local } };
  }

  member(name: string): Sym | undefined {
    return this.currentClass()?.members.get(name);
  }

  className(): string | undefined {
    return this.currentClass()?.local;
  }

  typeKind(ref: NameRef): 'repository' | 'manager' | 'knex' | 'prisma' | undefined {
    const last = ref.member ?? ref.local;
    if (/^Prisma(?:Client|Service)?$|TransactionClient$/.test(last) || (ref.member && ref.local === 'Prisma')) return 'prisma';
    const binding = own(this.top.imports, ref.local);
    if (!binding) return undefined;
    const kinds = TYPE_KINDS[binding.from];
    if (!kinds) return undefined;
    const name = binding.name === '*' || binding.name === 'default' ? (ref.member ?? binding.name) : ref.member && binding.name === 'Knex' ? 'Knex' : binding.name;
    return kinds[name];
  }

  snippet(node: ts.Node): string {
    const text = node.getText(this.sf).replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }

  private currentClass(): ClassCtx | undefined {
    return this.classes[this.classes.length - 1] ?? undefined;
  }

  private isThisClass(ref: NameRef): boolean {
    return !ref.member && ref.local === this.currentClass()?.local;
  }

  // ---- the walk -----------------------------------------------------------------------------

  private visit(node: ts.Node): void {
    if (holdsNoAccess(node)) return;
    switch (node.kind) {
      case SK.StringLiteral:
      case SK.NoSubstitutionTemplateLiteral:
        if (this.openings.size) this.sqlLiteral(node);
        return;
      case SK.TemplateExpression:
        if (this.openings.size) this.sqlLiteral(node);
        break;
      case SK.ClassDeclaration:
      case SK.ClassExpression:
        return this.visitClass(node as ts.ClassLikeDeclaration);
      case SK.FunctionDeclaration:
      case SK.FunctionExpression:
      case SK.ArrowFunction:
      case SK.MethodDeclaration:
      case SK.Constructor:
      case SK.GetAccessor:
      case SK.SetAccessor:
        return this.visitFunction(node as ts.FunctionLikeDeclaration);
      case SK.VariableDeclaration:
        return this.visitVariable(node as ts.VariableDeclaration);
      case SK.CallExpression:
        if (!this.seen.has(node)) readChain(node as ts.CallExpression, this, this.seen);
        this.drizzle?.call(node as ts.CallExpression);
        if (this.libs.orm) this.handedRepositories(node as ts.CallExpression);
        break;
      case SK.AwaitExpression:
        if (this.libs.orm) this.lazyRelation(node as ts.AwaitExpression);
        break;
      case SK.NewExpression:
        this.settingsOf(node as ts.NewExpression);
        break;
      case SK.BinaryExpression:
        if (this.openings.size && (node as ts.BinaryExpression).operatorToken.kind === SK.PlusToken) this.sqlConcatenation(node as ts.BinaryExpression);
        else this.assignment(node as ts.BinaryExpression);
        break;
    }
    this.visitChildren(node);
  }

  private visitClass(node: ts.ClassLikeDeclaration, localName?: string): void {
    const local = node.name?.text ?? localName ?? 'default';
    if (this.orm.size > 0) {
      const { model, repository } = readClass(node, this.orm, (n) => this.line(n), local);
      if (model) this.facts.models.push(model);
      if (repository) this.facts.repositories.push(repository);
    }
    this.visitDecorators(node);
    const ctx: ClassCtx = { local, members: new Map(), static: false };
    for (const m of node.members) {
      if (isPropertyDeclaration(m) && isIdentifier(m.name)) {
        const sym = this.declaredSym(m.type, getDecorators(m));
        if (sym) ctx.members.set(m.name.text, sym);
      } else if (isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          if (!isIdentifier(p.name) || !canHaveModifiers(p) || !(getModifiers(p) ?? []).length) continue;
          const sym = this.declaredSym(p.type, getDecorators(p));
          if (sym) ctx.members.set(p.name.text, sym);
        }
      }
    }
    this.classes.push(ctx);
    // `this.table = 'x'` in the constructor holds for every method, also those written above it
    const ctor = node.members.find((m): m is ts.ConstructorDeclaration => isConstructorDeclaration(m) && m.body !== undefined);
    for (const stmt of ctor?.body?.statements ?? []) if (isExpressionStatement(stmt) && isBinaryExpression(stmt.expression)) this.assignment(stmt.expression, node);
    for (const m of node.members) {
      ctx.static = canHaveModifiers(m) && (getModifiers(m) ?? []).some((x) => x.kind === SK.StaticKeyword);
      if (isPropertyDeclaration(m)) this.visitDecorators(m);
      if (isPropertyDeclaration(m) && m.initializer) {
        const init = unwrap(m.initializer);
        // a string member is a constant when nothing in the class assigns it again
        const constant = isStringLiteralLike(init) && init.text !== '' && isIdentifier(m.name) && this.memberAssignments(node, m.name.text) === 0;
        const v = isStringLiteralLike(init) ? (constant ? ({ k: 'string', value: init.text } as const) : undefined) : this.initValue(m.initializer);
        const sym = v && valueSym(v);
        if (sym && isIdentifier(m.name) && !ctx.members.has(m.name.text)) ctx.members.set(m.name.text, sym);
        this.visitIf(m.initializer);
      } else if (isClassStaticBlockDeclaration(m)) {
        ctx.static = true;
        this.visitIf(m.body);
      } else if (!isPropertyDeclaration(m)) this.visitIf(m);
    }
    // what the member handling above passes over: `extends mixin(...)`, computed member names
    for (const h of node.heritageClauses ?? []) this.visitIf(h);
    for (const m of node.members) if (m.name && isComputedPropertyName(m.name)) this.visitIf(m.name);
    this.classes.pop();
  }

  /** A class's base, `super(...)` arguments and members set from constructor parameters (see ClassFact). */
  private classFact(node: ts.ClassLikeDeclaration, local: string): void {
    const heritage = node.heritageClauses?.find((h) => h.token === SK.ExtendsKeyword)?.types[0];
    const base = heritage && exprRef(heritage.expression);
    const ctor = node.members.find((m): m is ts.ConstructorDeclaration => isConstructorDeclaration(m) && m.body !== undefined);
    const fact: ClassFact = { line: this.line(node) };
    if (base) fact.base = base;
    if (ctor?.body) {
      const params = new Map<string, number>();
      ctor.parameters.forEach((p, i) => isIdentifier(p.name) && params.set(p.name.text, i));
      for (const stmt of ctor.body.statements) {
        if (!isExpressionStatement(stmt)) continue;
        const e = stmt.expression;
        if (isCallExpression(e) && e.expression.kind === SK.SuperKeyword) {
          fact.line = this.line(e);
          fact.superArgs = e.arguments.map((a) => {
            const x = unwrap(a);
            if (isStringLiteralLike(x)) return x.text;
            if (isIdentifier(x) && params.has(x.text)) return { param: params.get(x.text)! };
            const sym = isIdentifier(x) ? this.scopes.get(x.text) : undefined;
            return sym?.k === 'string' ? sym.value : null;
          });
        } else if (isBinaryExpression(e) && e.operatorToken.kind === SK.EqualsToken && isPropertyAccessExpression(e.left) && e.left.expression.kind === SK.ThisKeyword) {
          const right = unwrap(e.right);
          if (isIdentifier(right) && params.has(right.text)) (fact.members ??= {})[e.left.name.text] = params.get(right.text)!;
        }
      }
      ctor.parameters.forEach((p, i) => {
        if (isIdentifier(p.name) && canHaveModifiers(p) && (getModifiers(p) ?? []).length) (fact.members ??= {})[p.name.text] = i;
      });
    }
    if (fact.base || fact.members) (this.facts.classes ??= {})[local] = fact;
  }

  /** What a declared type and decorators make of a parameter or property. */
  private declaredSym(type: ts.TypeNode | undefined, decorators: readonly ts.Decorator[] | undefined): Sym | undefined {
    for (const d of this.libs.orm ? (decorators ?? []) : []) {
      const e = d.expression;
      if (!isCallExpression(e) || !isIdentifier(e.expression)) continue;
      const arg = e.arguments[0];
      const ref = arg && exprRef(arg);
      const name = e.expression.text;
      if (name === 'InjectRepository' && ref) return { k: 'repository', entity: { ref } };
      if (name === 'InjectRepository' && arg && isStringLiteralLike(arg)) return { k: 'repository', entity: { name: arg.text } };
      if (name === 'InjectModel' && ref && !ref.member) return { k: 'typed', type: { ref, static: true } };
      if (name === 'InjectEntityManager' || name === 'InjectDataSource') return { k: 'manager' };
    }
    const t = type && typeInfo(type);
    return t ? { k: 'typed', type: t } : undefined;
  }

  /** Decorator arguments hold SQL (`@ViewEntity({ expression })`) and settings (`KyselyModule.forRoot({ plugins })`). */
  private visitDecorators(node: ts.Node): void {
    if (!canHaveDecorators(node)) return;
    for (const d of getDecorators(node) ?? []) this.visitIf(d.expression);
  }

  private visitFunction(fn: ts.FunctionLikeDeclaration): void {
    this.visitDecorators(fn);
    for (const p of fn.parameters) this.visitDecorators(p);
    const rebindsThis = isFunctionDeclaration(fn) || isFunctionExpression(fn);
    // a top-level function's parameters may be Drizzle tables its callers hand in
    const name = isFunctionDeclaration(fn) ? fn.name?.text : this.pendingFn;
    this.pendingFn = undefined;
    const outer = this.frame;
    const topLevel = this.drizzle !== undefined && name !== undefined && this.classes.length === 0 && this.scopes.depth() === 0;
    if (topLevel) this.frame = { fn: name, params: paramIndex(fn) };
    if (rebindsThis) this.classes.push(null);
    this.scopes.push();
    const pending = this.params.get(fn);
    fn.parameters.forEach((p, i) => {
      const given = pending?.get(i);
      if (isIdentifier(p.name)) {
        const sym = given ?? this.declaredSym(p.type, canHaveDecorators(p) ? getDecorators(p) : undefined);
        if (sym) this.scopes.set(p.name.text, sym);
        else this.scopes.set(p.name.text, { k: 'local' });
      } else if (isObjectBindingPattern(p.name)) this.bindPattern(p.name, p.type);
      // defaults inside a binding pattern (`{ q = '...' }`)
      if (!isIdentifier(p.name)) this.visitIf(p.name);
      this.visitIf(p.initializer);
    });
    if (fn.name && isComputedPropertyName(fn.name)) this.visitIf(fn.name);
    this.visitIf(fn.body);
    this.scopes.pop();
    if (rebindsThis) this.classes.pop();
    if (topLevel) this.frame = outer;
  }

  /** `{ user, document }: Props` with `type Props = { user: User; document: Document }` (or an inline type). */
  private bindPattern(pattern: ts.ObjectBindingPattern, type: ts.TypeNode | undefined): void {
    let members: Map<string, TypeInfo> | undefined;
    if (type && isTypeReferenceNode(type) && isIdentifier(type.typeName)) members = this.top.typeMembers(type.typeName.text);
    else if (type && isTypeLiteralNode(type)) {
      members = new Map();
      for (const m of type.members) if (isPropertySignature(m) && m.type && isIdentifier(m.name)) {
        const t = typeInfo(m.type);
        if (t) members.set(m.name.text, t);
      }
    }
    for (const el of pattern.elements) {
      if (!isIdentifier(el.name)) continue;
      const prop = el.propertyName && isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
      const t = members?.get(prop);
      // a binding shadows a model class of the same name only when it is one (`{ User }` from props is rare)
      this.scopes.set(el.name.text, t ? { k: 'typed', type: t } : { k: 'local' });
    }
  }

  private visitVariable(d: ts.VariableDeclaration): void {
    this.declare(d);
    if (!isIdentifier(d.name)) this.visitIf(d.name);
    if (this.drizzle && d.initializer && isIdentifier(d.name) && this.isTopLevel(d)) {
      if (this.drizzle.declaration(d.name.text, d.initializer)) {
        const t = this.drizzle.facts.tables![this.drizzle.facts.tables!.length - 1];
        this.facts.known.push({ name: t.name, access: 'write', line: t.line, definition: true });
      }
      const init = unwrap(d.initializer);
      if (ts.isArrowFunction(init) || isFunctionExpression(init)) this.pendingFn = d.name.text;
    }
    this.visitIf(d.initializer);
  }

  /** What a variable declaration binds its names to (reading the initializer's chain, once). */
  private declare(d: ts.VariableDeclaration): void {
    let sym: Sym | undefined = d.type ? this.declaredSym(d.type, undefined) : undefined;
    const init = d.initializer;
    if (init) {
      const e = unwrapAwait(init);
      if (isIdentifier(d.name) && isCallExpression(e) && this.sequelize && isPropertyAccessExpression(e.expression) && e.expression.name.text === 'define') {
        const model = readDefine(e.arguments, d.name.text, this.line(e.expression.name));
        if (model) {
          this.facts.models.push(model);
          this.seen.add(e);
        }
      }
      const alternatives = stringAlternatives(e, this);
      // an options object: its type annotation (`FindOptions`) says nothing about models
      if (isObjectLiteralExpression(e) || isArrayLiteralExpression(e)) sym = { k: 'literal', node: e };
      else if (this.libs.knex && this.isKnexFactoryCall(e)) sym ??= { k: 'knex' };
      else if (isStringLiteralLike(e)) sym ??= { k: 'string', value: e.text };
      else if (alternatives) sym ??= { k: 'string', value: alternatives[0], alternatives };
      else if (isTemplateExpression(e) || identifierHelperArg(e)) {
        // `const t = sql.identifier(['users'])` holds the name the helper quotes
        const v = evalString(identifierHelperArg(e) ?? e, this);
        if (v && 'value' in v) sym ??= { k: 'string', value: v.value };
      }
      else if (!this.targeted) {
        // targeted mode reads SQL only, and no chain value is a string: such locals only shadow, as no sym does
        const v = this.initValue(init);
        const fromValue = v && valueSym(v);
        sym ??= fromValue;
      }
    }
    if (isIdentifier(d.name)) {
      // a local shadows a top-level binding of the same name (also when nothing is known about it)
      if (this.scopes.isModuleBinding(d.name.text) && !this.isTopLevel(d)) this.scopes.set(d.name.text, sym ?? { k: 'local' });
      else if (sym) this.scopes.set(d.name.text, sym);
    } else if (isArrayBindingPattern(d.name) && sym?.k === 'typed') {
      // `const [pin] = await Pin.findOrCreate(...)`
      const first = d.name.elements[0];
      if (first && isBindingElement(first) && isIdentifier(first.name)) this.scopes.set(first.name.text, sym);
    } else if (isObjectBindingPattern(d.name)) this.bindPattern(d.name, d.type);
  }

  private isTopLevel(d: ts.VariableDeclaration): boolean {
    return this.classes.length === 0 && this.scopes.depth() === 0 && this.top.declared.has((d.name as ts.Identifier).text);
  }

  /** The value an initializer evaluates to, reading its chain (once: its calls are marked seen). */
  private initValue(init: ts.Expression): Value | undefined {
    const e = unwrapAwait(init);
    if (isCallExpression(e) || isPropertyAccessExpression(e)) {
      if (isCallExpression(e) && this.seen.has(e)) return undefined;
      return readChain(e, this, this.seen);
    }
    if (isNewExpression(e)) {
      if (isIdentifier(e.expression) && e.expression.text === 'PrismaClient') return this.libs.prisma ? { k: 'prisma' } : undefined;
      const ref = exprRef(e.expression);
      if (ref && isCapitalized(ref.member ?? ref.local) && this.scopes.isModuleBinding(ref.local)) return { k: 'instance', ref };
    }
    if (isIdentifier(e)) {
      const sym = this.scopes.get(e.text);
      if (sym?.k === 'repository' || sym?.k === 'knex' || sym?.k === 'prisma' || sym?.k === 'manager') return sym as Value;
    }
    return undefined;
  }

  /** `knex(config)` with the imported factory, `require('knex')(config)`. */
  private isKnexFactoryCall(e: ts.Expression): boolean {
    if (!isCallExpression(e)) return false;
    const c = e.expression;
    if (isIdentifier(c)) {
      const b = own(this.top.imports, c.text);
      return b !== undefined && b.from === 'knex' && (b.name === 'default' || b.name === '*' || /^knex$/i.test(b.name));
    }
    return isCallExpression(c) && isIdentifier(c.expression) && c.expression.text === 'require' && c.arguments.length === 1 && isStringLiteralLike(c.arguments[0]) && c.arguments[0].text === 'knex';
  }

  /**
   * `this.db = db`, `this.table = 'tags'`: the member holds what is assigned. A string only from the
   * constructor (`constructorOf`), and only when nothing else in the class assigns the member again.
   */
  private assignment(b: ts.BinaryExpression, constructorOf?: ts.ClassLikeDeclaration): void {
    if (b.operatorToken.kind !== SK.EqualsToken) return;
    const left = b.left;
    const c = this.currentClass();
    if (!c || !isPropertyAccessExpression(left) || left.expression.kind !== SK.ThisKeyword || c.members.has(left.name.text)) return;
    const right = unwrap(b.right);
    let sym: Sym | undefined;
    const text = evalString(right, this);
    if (text && 'value' in text) {
      if (!constructorOf || text.value === '' || this.memberAssignments(constructorOf, left.name.text) > 1) return;
      sym = { k: 'string', value: text.value };
    } else if (isIdentifier(right)) sym = this.scopes.get(right.text);
    else {
      const v = this.initValue(right);
      sym = v && valueSym(v);
    }
    if (sym && sym.k !== 'local') c.members.set(left.name.text, sym);
  }

  /** How many `this.<name> = ` the class text holds (a text count: an upper bound of the assignments). */
  private memberAssignments(node: ts.ClassLikeDeclaration, name: string): number {
    const re = new RegExp(`\\bthis\\s*\\.\\s*${name.replace(/\$/g, '\\$')}\\s*=(?![=>])`, 'g');
    return node.getText(this.sf).match(re)?.length ?? 0;
  }

  /** `new Sequelize(..., { define: { freezeTableName, underscored } })`, `new CamelCasePlugin()`. */
  private settingsOf(e: ts.NewExpression): void {
    if (!isIdentifier(e.expression)) return;
    const name = e.expression.text;
    if (name === 'CamelCasePlugin' && this.libs.kysely) (this.facts.settings ??= {}).kyselyCamelCase = true;
    if (name === 'Sequelize' && this.libs.orm && e.arguments) {
      for (const a of e.arguments) {
        const define = optionValue(a, 'define');
        if (!define || !isObjectLiteralExpression(define)) continue;
        const freeze = findProperty(define, 'freezeTableName');
        if (freeze && isPropertyAssignment(freeze) && freeze.initializer.kind === SK.TrueKeyword) (this.facts.settings ??= {}).sequelizeFreeze = true;
        const under = findProperty(define, 'underscored');
        if (under && isPropertyAssignment(under) && under.initializer.kind === SK.TrueKeyword) (this.facts.settings ??= {}).sequelizeUnderscored = true;
      }
    }
  }

  // ---- handed on, awaited ---------------------------------------------------------------------

  /** `new TypeormStore().connect(this.sessions)`: a repository handed to a call reached from a module binding. */
  private handedRepositories(e: ts.CallExpression): void {
    if (e.arguments.length === 0) return;
    const callee = calleeRef(e.expression);
    if (!callee || !this.scopes.isModuleBinding(callee.local)) return;
    e.arguments.forEach((raw, index) => {
      const a = unwrap(raw);
      const sym = isIdentifier(a) ? this.scopes.get(a.text) : isPropertyAccessExpression(a) && a.expression.kind === SK.ThisKeyword ? this.member(a.name.text) : undefined;
      let entity: NameRef | undefined;
      let byName = false;
      if (sym?.k === 'repository') {
        if ('ref' in sym.entity) entity = sym.entity.ref;
        else (entity = { local: sym.entity.name }), (byName = true);
      } else if (sym?.k === 'typed' && sym.type.generic && this.typeKind(sym.type.ref) === 'repository') entity = sym.type.generic;
      if (!entity) return;
      const to = { callee, text: this.snippet(e.expression), index };
      this.facts.uses.push({ ref: entity, as: 'model', via: 'handed', to, line: this.line(a), ...(byName ? { byName: true as const } : {}) });
    });
  }

  /** `await note.aliases`, `await (await entry.note).aliases`: a TypeORM lazy relation queries its target when awaited. */
  private lazyRelation(node: ts.AwaitExpression): void {
    const chain = this.lazyChain(node.expression, 0);
    if (!chain) return;
    this.facts.uses.push({ ref: chain.ref ?? { local: '' }, ...(chain.ref ? {} : { byName: true as const }), as: 'model', via: 'lazy', reach: [{ path: chain.path }], line: this.line(node) });
  }

  /** The instance's type (when written) and the property path awaited on it. */
  private lazyChain(expr: ts.Expression, depth: number): { ref?: NameRef; path: string[] } | undefined {
    const e = unwrap(expr);
    if (!isPropertyAccessExpression(e) || depth > 4) return undefined;
    const prop = e.name.text;
    const base = unwrap(e.expression);
    if (isAwaitExpression(base) || isPropertyAccessExpression(base)) {
      const inner = this.lazyChain(isAwaitExpression(base) ? base.expression : base, depth + 1);
      return inner ? { ref: inner.ref, path: [...inner.path, prop] } : isAwaitExpression(base) ? { path: [prop] } : undefined;
    }
    if (!isIdentifier(base)) return undefined;
    const sym = this.scopes.get(base.text);
    if (sym?.k === 'typed' && !sym.type.static && !this.typeKind(sym.type.ref)) return { ref: sym.type.ref, path: [prop] };
    return sym === undefined || sym.k === 'local' ? { path: [prop] } : undefined;
  }

  // ---- SQL text -----------------------------------------------------------------------------

  /** A literal (or template) the text search found opening something like SQL, not yet read as part of a `+` chain. */
  private sqlLiteral(node: ts.Node): void {
    if (!this.openings.has(node.getStart(this.sf)) || this.sqlDone.has(node)) return;
    if (isTemplateExpression(node)) {
      if (looksLikeSql(node.head.text)) this.readSql(this.templateParts(node, 0), node.templateSpans.map((s) => s.expression));
    } else if ((isStringLiteral(node) || isNoSubstitutionTemplateLiteral(node)) && looksLikeSql(node.text)) {
      this.readSql([{ at: 0, pos: node.getStart(this.sf) + 1, text: node.text, multiline: !isStringLiteral(node) }], []);
    }
  }

  /** The outermost `+` of a chain holding a SQL opening: read whole when it is SQL (its pieces are then done). */
  private sqlConcatenation(node: ts.BinaryExpression): void {
    if (this.sqlDone.has(node)) return;
    const pluses: ts.Node[] = [];
    const literals: ts.Node[] = [];
    let opens = false;
    const scan = (e: ts.Expression): void => {
      if (isPlus(e)) {
        pluses.push(e);
        scan(e.left);
        scan(e.right);
      } else if (isStringLiteral(e) || isNoSubstitutionTemplateLiteral(e) || isTemplateExpression(e)) {
        literals.push(e);
        if (this.openings.has(e.getStart(this.sf))) opens = true;
      }
    };
    scan(node);
    for (const p of pluses) this.sqlDone.add(p);
    if (opens && this.readConcatenation(node)) for (const l of literals) this.sqlDone.add(l);
  }

  private templateParts(node: ts.TemplateExpression, at: number): Part[] {
    const parts: Part[] = [{ at, pos: node.head.getStart(this.sf) + 1, text: node.head.text, multiline: true }];
    let offset = at + node.head.text.length;
    for (const span of node.templateSpans) {
      offset += HOLE.length;
      // a middle/tail piece starts after its `}`
      parts.push({ at: offset, pos: span.literal.getStart(this.sf) + 1, text: span.literal.text, multiline: true });
      offset += span.literal.text.length;
    }
    return parts;
  }

  /** `'SELECT * FROM ' + table + ' WHERE id = ?'`: string pieces joined, other operands are holes; undefined when that is not SQL. */
  private concatenationOf(node: ts.BinaryExpression): { parts: Part[]; holes: ts.Expression[]; text: string } | undefined {
    const leaves: ts.Expression[] = [];
    const flatten = (e: ts.Expression): void => {
      if (isPlus(e)) {
        flatten(e.left);
        flatten(e.right);
      } else leaves.push(e);
    };
    flatten(node);
    const parts: Part[] = [];
    const holes: ts.Expression[] = [];
    let strings = 0;
    let offset = 0;
    let sqlText = '';
    for (const leaf of leaves) {
      if (isStringLiteral(leaf) || isNoSubstitutionTemplateLiteral(leaf)) {
        parts.push({ at: offset, pos: leaf.getStart(this.sf) + 1, text: leaf.text, multiline: !isStringLiteral(leaf) });
        strings++;
        sqlText += leaf.text;
      } else if (isTemplateExpression(leaf)) {
        for (const p of this.templateParts(leaf, offset)) parts.push(p);
        for (const s of leaf.templateSpans) holes.push(s.expression);
        strings++;
        sqlText += leaf.head.text + leaf.templateSpans.map((s) => HOLE + s.literal.text).join('');
      } else {
        holes.push(leaf);
        sqlText += HOLE;
      }
      offset = sqlText.length;
    }
    if (strings === 0 || !looksLikeSql(sqlText)) return undefined;
    return { parts, holes, text: sqlText };
  }

  private readConcatenation(node: ts.BinaryExpression): boolean {
    const sql = this.concatenationOf(node);
    if (!sql) return false;
    this.readSql(sql.parts, sql.holes, sql.text);
    return true;
  }

  private readSql(parts: Part[], holes: ts.Expression[], joined?: string, known?: SqlTableRef[]): void {
    const sqlText = joined ?? parts.map((p) => p.text).join(HOLE);
    const refs = known ?? tablesInSql(sqlText);
    if (!refs) return;
    for (const ref of refs) {
      let part = parts[0];
      for (const p of parts) if (p.at <= ref.offset) part = p;
      const local = ref.offset - part.at;
      const line = this.line0(part.pos + (part.multiline ? local : 0));
      const definition = ref.definition ? { definition: true as const } : {};
      if (ref.name !== undefined) {
        this.facts.known.push({ name: ref.name, access: ref.access, line, ...definition });
        continue;
      }
      const hole = ref.hole !== undefined ? holes[ref.hole] : undefined;
      if (!hole || !this.sqlHole(hole, ref.access, line, ref.definition)) {
        this.facts.gaps.push({ line, what: hole ? `SQL with its table name from \`\${${this.snippet(hole)}}\`` : 'SQL with a table name built from substitutions' });
      }
    }
  }

  private line0(pos: number): number {
    return this.sf.getLineAndCharacterOfPosition(pos).line + 1;
  }

  /**
   * A substitution in a table position: a string constant (here or imported, folded like any unquoted
   * name), an identifier helper (`sql.identifier(['t'])`, `sql.table('t')`, `sql(t)`: quoted, kept as
   * written), or a model's table (`${User.tableName}`, `${User.getTableName()}`). False: not readable.
   */
  private sqlHole(e: ts.Expression, access: 'read' | 'write', line: number, definition: boolean, quoted = false): boolean {
    e = unwrap(e);
    const def = definition ? { op: 'define' } : {};
    const known = (name: string): void => {
      this.facts.known.push({ name: quoted ? name : name.toLowerCase(), access, line, ...(definition ? { definition: true as const } : {}) });
    };
    if (isStringLiteralLike(e)) return known(e.text), true;
    if (isCallExpression(e)) {
      const c = e.expression;
      const arg = e.arguments[0] && unwrap(e.arguments[0]);
      // Model.getTableName()
      if (isPropertyAccessExpression(c) && c.name.text === 'getTableName' && e.arguments.length === 0) {
        const ref = exprRef(c.expression);
        if (ref && this.scopes.isModuleBinding(ref.local)) return this.facts.uses.push({ ref, as: 'model', access, line, ...def }), true;
        return false;
      }
      const helper = isPropertyAccessExpression(c) ? c.name.text : isIdentifier(c) ? c.text : '';
      if (!arg || !['identifier', 'table', 'id', 'ref', 'raw', 'sql'].includes(helper)) return false;
      if (isArrayLiteralExpression(arg)) {
        // sql.identifier(['schema', 'table']): the last element names the table
        const last = arg.elements[arg.elements.length - 1];
        return last !== undefined && this.sqlHole(last, access, line, definition, true);
      }
      return this.sqlHole(arg, access, line, definition, helper !== 'raw');
    }
    if (isPropertyAccessExpression(e) && e.expression.kind === SK.ThisKeyword) {
      const sym = this.member(e.name.text);
      if (sym?.k === 'string') return known(sym.value), true;
      const ofClass = this.className();
      if (sym || !ofClass) return false;
      this.facts.uses.push({ ref: { local: 'this', member: e.name.text }, ofClass, as: 'table', access, line, ...def, ...(quoted ? {} : { fold: true as const }) });
      return true;
    }
    const ref = exprRef(e);
    if (!ref) return false;
    const sym = this.scopes.get(ref.member ? `${ref.local}.${ref.member}` : ref.local);
    if (sym?.k === 'string') {
      for (const v of sym.alternatives ?? [sym.value]) known(v);
      return true;
    }
    if (sym) return false;
    if (!this.scopes.isModuleBinding(ref.local)) return false;
    if (ref.member === 'tableName') {
      this.facts.uses.push({ ref: { local: ref.local }, as: 'model', access, line, ...def });
      return true;
    }
    this.facts.uses.push({ ref, as: 'table', access, line, ...def, ...(quoted ? {} : { fold: true as const }) });
    return true;
  }
}

/** A function's parameters by name: `(db, table)` and destructured `({ db, table: t })`. */
function paramIndex(fn: ts.FunctionLikeDeclaration): Map<string, { index: number; prop?: string }> {
  const out = new Map<string, { index: number; prop?: string }>();
  fn.parameters.forEach((p, index) => {
    if (isIdentifier(p.name)) out.set(p.name.text, { index });
    else if (isObjectBindingPattern(p.name)) {
      for (const el of p.name.elements) {
        if (!isIdentifier(el.name)) continue;
        const prop = el.propertyName && isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
        out.set(el.name.text, { index, prop });
      }
    }
  });
  return out;
}

function unwrapAwait(e: ts.Expression): ts.Expression {
  e = unwrap(e);
  while (isAwaitExpression(e)) e = unwrap(e.expression);
  return e;
}

/** The variable declaration whose name starts at `offset`, found by descending to it. */
function declarationAt(sf: ts.SourceFile, offset: number): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (found || offset < node.pos || offset >= node.end) return;
    if (isVariableDeclaration(node) && node.name.getStart(sf) === offset) {
      found = node;
      return;
    }
    forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Initializers `declare` may make a string of (a superset): strings, templates, alternatives, helper calls. */
function mayBeString(init: ts.Expression): boolean {
  const e = unwrapAwait(init);
  return isStringLiteralLike(e) || isTemplateExpression(e) || isConditionalExpression(e) || isBinaryExpression(e) || identifierHelperArg(e) !== undefined;
}

/**
 * Nodes no access can be in, for the walk and the targeted descent alike: types, interfaces, type
 * aliases, imports and exports-from (their strings are module names), identifiers.
 */
function holdsNoAccess(node: ts.Node): boolean {
  const k = node.kind;
  return (
    (k >= SK.FirstTypeNode && k <= SK.LastTypeNode) ||
    k === SK.ImportDeclaration ||
    k === SK.ImportEqualsDeclaration ||
    k === SK.ExportDeclaration ||
    k === SK.InterfaceDeclaration ||
    k === SK.TypeAliasDeclaration ||
    k === SK.Identifier
  );
}

type Literal = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead;

/**
 * The string literals / template heads containing the given offsets (ascending), with their
 * ancestors, found by descending only into nodes that contain one: a big file with a few SQL strings
 * costs a few paths, not a walk (and parent pointers are not needed).
 */
function literalsAt(sf: ts.SourceFile, offsets: number[]): { literal: Literal; ancestors: ts.Node[] }[] {
  const out: { literal: Literal; ancestors: ts.Node[] }[] = [];
  const containsOffset = (node: ts.Node): boolean => {
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid] < node.pos) lo = mid + 1;
      else hi = mid;
    }
    return lo < offsets.length && offsets[lo] < node.end;
  };
  const path: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (holdsNoAccess(node)) return;
    if (isStringLiteral(node) || isNoSubstitutionTemplateLiteral(node) || isTemplateHead(node)) {
      out.push({ literal: node, ancestors: [...path] });
      return;
    }
    path.push(node);
    forEachChild(node, (c) => (containsOffset(c) ? visit(c) : undefined));
    path.pop();
  };
  visit(sf);
  return out;
}

function isPlus(node: ts.Node): node is ts.BinaryExpression {
  return isBinaryExpression(node) && node.operatorToken.kind === SK.PlusToken;
}
