import ts from 'typescript';
import { emptyFacts, type ClassFact, type DecoratorFact, type Expr, type FunctionFact, type MemberFact, type ParamFact, type ParamHint, type PatternFact, type Prop, type RouteFacts, type Stmt } from './facts';
import { isRoutingPackage, packageOf, REGISTERING_METHODS, ROUTER_PARAM_NAME } from './frameworks';

export interface CollectOptions {
  /**
   * Every import specifier of the file (the import scan's, requires and `import()` included). Given,
   * function and class bodies are read only in routing files (the rest are read again on demand);
   * not given, everything is read.
   */
  imports?: readonly { specifier: string; line: number; typeOnly?: boolean }[];
}

/** Parameter types that say "a router of this framework": package → exported type names. */
const ROUTER_TYPES: Record<string, Record<string, ParamHint>> = {
  express: { Router: 'express', IRouter: 'express', Express: 'express', Application: 'express', default: 'express' },
  fastify: { FastifyInstance: 'fastify', default: 'fastify', fastify: 'fastify' },
  koa: { default: 'koa', Application: 'koa' },
  'koa-router': { default: 'koa', Router: 'koa' },
  '@koa/router': { default: 'koa', Router: 'koa' },
  hono: { Hono: 'hono' },
  '@nestjs/common': { INestApplication: 'nest' },
  '@nestjs/platform-express': { NestExpressApplication: 'nest' },
  '@nestjs/platform-fastify': { NestFastifyApplication: 'nest' },
};

const RESOLVER_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
const PROPERTY_MODIFIERS = new Set([ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.ReadonlyKeyword]);

interface Scope {
  parent: Scope | undefined;
  names: Map<string, string>;
  /** Key of the function this scope belongs to ('' at top level). */
  fn: string;
}

/** Reads one file into the program `composeRoutes` runs (see facts.ts). */
export function collectRouteFacts(sf: ts.SourceFile, options: CollectOptions = {}): RouteFacts {
  return new Collector(sf, options).run();
}

class Collector {
  private readonly f = emptyFacts();
  private readonly top: Scope = { parent: undefined, names: new Map(), fn: '' };
  /** Local names of imports, for parameter types: local → package and exported name. */
  private readonly typeImports = new Map<string, { pkg: string; name: string }>();
  /** Functions being read, innermost last: a registering call marks them all. */
  private readonly fnStack: FunctionFact[] = [];
  private readonly deep: boolean;

  constructor(
    private readonly sf: ts.SourceFile,
    options: CollectOptions,
  ) {
    if (options.imports) for (const imp of options.imports) this.noteFramework(imp.specifier, imp.line, imp.typeOnly === true);
    this.f.routing = Object.keys(this.f.frameworks).length > 0 || sf.statements.some((s) => this.hasRouterParam(s) || hasResolverMap(s));
    this.deep = options.imports === undefined || this.f.routing;
    this.f.deep = this.deep;
  }

  run(): RouteFacts {
    this.f.body = this.statements(this.sf.statements, this.top);
    // read deeply, the walk has seen every import the scan sees
    this.f.routing ||= Object.keys(this.f.frameworks).length > 0;
    if (this.f.routing) this.findRoots();
    return this.f;
  }

  // ---- positions and keys

  private line(node: ts.Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }

  private declare(scope: Scope, name: string, node: ts.Node): string {
    const key = scope === this.top ? name : `${name}@${node.pos}`;
    scope.names.set(name, key);
    if (scope.fn !== '') this.f.owner[key] = scope.fn;
    return key;
  }

  private resolve(scope: Scope, name: string): string | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const key = s.names.get(name);
      if (key !== undefined) return key;
    }
    return undefined;
  }

  private noteFramework(specifier: string, line: number, typeOnly: boolean): void {
    const pkg = packageOf(specifier);
    if (pkg === undefined || !isRoutingPackage(pkg)) return;
    const seen = this.f.frameworks[pkg];
    if (!seen) this.f.frameworks[pkg] = typeOnly ? { line, types: true } : { line };
    else if (!typeOnly && seen.types) this.f.frameworks[pkg] = { line };
    else if (line < seen.line && !typeOnly === !seen.types) seen.line = line;
  }

  // ---- statements

  /** Names declared directly in a statement list are bound before it runs (hoisting, later declarations). */
  private predeclare(list: readonly ts.Statement[], scope: Scope): void {
    for (const s of list) {
      if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) this.bindingNames(d.name, (id) => this.declare(scope, id.text, id));
      } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) {
        this.declare(scope, s.name.text, s.name);
      } else if (ts.isImportDeclaration(s) && scope === this.top) {
        const c = s.importClause;
        if (c?.name) this.declare(scope, c.name.text, c.name);
        if (c?.namedBindings && ts.isNamespaceImport(c.namedBindings)) this.declare(scope, c.namedBindings.name.text, c.namedBindings.name);
        else if (c?.namedBindings && ts.isNamedImports(c.namedBindings)) for (const el of c.namedBindings.elements) this.declare(scope, el.name.text, el.name);
      } else if (ts.isImportEqualsDeclaration(s)) {
        this.declare(scope, s.name.text, s.name);
      }
    }
  }

  private bindingNames(name: ts.BindingName, each: (id: ts.Identifier) => void): void {
    if (ts.isIdentifier(name)) each(name);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) this.bindingNames(el.name, each);
  }

  private statements(list: readonly ts.Statement[], scope: Scope): Stmt[] {
    this.predeclare(list, scope);
    const out: Stmt[] = [];
    for (const s of list) this.statement(s, scope, out);
    return out;
  }

  private statement(s: ts.Statement, scope: Scope, out: Stmt[]): void {
    switch (s.kind) {
      case ts.SyntaxKind.VariableStatement:
        return this.variableStatement(s as ts.VariableStatement, scope, out);
      case ts.SyntaxKind.ExpressionStatement: {
        const e = this.expr((s as ts.ExpressionStatement).expression, scope);
        if (e.k !== 'dyn' && e.k !== 'lit') out.push({ k: 'expr', e });
        // CommonJS is decided by the module's own top level, read alike shallowly and whole
        if (scope.fn === '' && e.k === 'set' && this.isCommonJsTarget(e.target)) this.f.cjs = true;
        return;
      }
      case ts.SyntaxKind.FunctionDeclaration: {
        const fd = s as ts.FunctionDeclaration;
        const fnKey = this.deep ? this.func(fd, scope) : `f@${fd.pos}`;
        const isDefault = hasModifier(fd, ts.SyntaxKind.DefaultKeyword);
        if (fd.name) {
          const key = this.resolve(scope, fd.name.text) as string;
          this.f.funcDecls[key] = fnKey;
          if (scope === this.top && hasModifier(fd, ts.SyntaxKind.ExportKeyword)) this.f.exports[isDefault ? 'default' : fd.name.text] = { key };
        } else if (isDefault) this.f.exports.default = { e: { k: 'fn', key: fnKey } };
        return;
      }
      case ts.SyntaxKind.ClassDeclaration: {
        const cd = s as ts.ClassDeclaration;
        const classKey = this.deep ? this.classLike(cd, scope) : `c@${cd.pos}`;
        const isDefault = hasModifier(cd, ts.SyntaxKind.DefaultKeyword);
        if (cd.name) {
          const key = this.resolve(scope, cd.name.text) as string;
          this.f.classDecls[key] = classKey;
          if (scope === this.top && hasModifier(cd, ts.SyntaxKind.ExportKeyword)) this.f.exports[isDefault ? 'default' : cd.name.text] = { key };
        } else if (isDefault) this.f.exports.default = { e: { k: 'class', key: classKey } };
        return;
      }
      case ts.SyntaxKind.EnumDeclaration: {
        const ed = s as ts.EnumDeclaration;
        const key = this.resolve(scope, ed.name.text) as string;
        if (scope === this.top && hasModifier(ed, ts.SyntaxKind.ExportKeyword)) this.f.exports[ed.name.text] = { key };
        out.push({ k: 'let', key });
        if (!this.deep) {
          this.f.inits[key] = { k: 'elided', key };
          return;
        }
        const props: Prop[] = [];
        for (const m of ed.members) {
          if ((ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.initializer) props.push({ name: m.name.text, v: this.expr(m.initializer, scope), line: 0 });
        }
        this.f.inits[key] = { k: 'obj', props };
        return;
      }
      case ts.SyntaxKind.ReturnStatement: {
        const r = s as ts.ReturnStatement;
        if (r.expression) out.push({ k: 'ret', e: this.expr(r.expression, scope) });
        return;
      }
      case ts.SyntaxKind.IfStatement: {
        const i = s as ts.IfStatement;
        this.sideEffects(i.expression, scope, out);
        this.nested(i.thenStatement, scope, out);
        if (i.elseStatement) this.nested(i.elseStatement, scope, out);
        return;
      }
      case ts.SyntaxKind.Block:
        return this.nested(s, scope, out);
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement:
        return this.forOf(s as ts.ForOfStatement | ts.ForInStatement, scope, out);
      case ts.SyntaxKind.ForStatement: {
        const fs = s as ts.ForStatement;
        const inner: Scope = { parent: scope, names: new Map(), fn: scope.fn };
        if (fs.initializer && ts.isVariableDeclarationList(fs.initializer)) {
          for (const d of fs.initializer.declarations) this.bindingNames(d.name, (id) => this.declare(inner, id.text, id));
          for (const d of fs.initializer.declarations) this.declaration(d, inner, out);
        }
        this.nested(fs.statement, inner, out);
        return;
      }
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement:
        return this.nested((s as ts.WhileStatement | ts.DoStatement).statement, scope, out);
      case ts.SyntaxKind.LabeledStatement:
        return this.nested((s as ts.LabeledStatement).statement, scope, out);
      case ts.SyntaxKind.TryStatement: {
        const t = s as ts.TryStatement;
        this.nested(t.tryBlock, scope, out);
        if (t.catchClause) {
          const inner: Scope = { parent: scope, names: new Map(), fn: scope.fn };
          const v = t.catchClause.variableDeclaration;
          if (v) this.bindingNames(v.name, (id) => this.declare(inner, id.text, id));
          this.nested(t.catchClause.block, inner, out);
        }
        if (t.finallyBlock) this.nested(t.finallyBlock, scope, out);
        return;
      }
      case ts.SyntaxKind.SwitchStatement: {
        const sw = s as ts.SwitchStatement;
        const inner: Scope = { parent: scope, names: new Map(), fn: scope.fn };
        const all = sw.caseBlock.clauses.flatMap((c) => [...c.statements]);
        out.push(...this.statements(all, inner));
        return;
      }
      case ts.SyntaxKind.ImportDeclaration:
        return this.importDeclaration(s as ts.ImportDeclaration);
      case ts.SyntaxKind.ImportEqualsDeclaration: {
        const ie = s as ts.ImportEqualsDeclaration;
        const key = this.resolve(scope, ie.name.text) as string;
        const ref = ie.moduleReference;
        if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
          const spec = ref.expression.text;
          this.typeImports.set(ie.name.text, { pkg: packageOf(spec) ?? spec, name: '*' });
          if (!ie.isTypeOnly) {
            if (scope === this.top) this.f.imports[key] = { from: spec, name: '*' };
            else {
              this.f.inits[key] = { k: 'req', spec };
              out.push({ k: 'let', key });
            }
          }
        } else if (!ts.isExternalModuleReference(ref)) {
          this.f.inits[key] = this.deep ? this.entityName(ref, scope) : { k: 'elided', key };
          out.push({ k: 'let', key });
        }
        if (scope === this.top && hasModifier(ie, ts.SyntaxKind.ExportKeyword)) this.f.exports[ie.name.text] = { key };
        return;
      }
      case ts.SyntaxKind.ExportDeclaration:
        return this.exportDeclaration(s as ts.ExportDeclaration, scope);
      case ts.SyntaxKind.ExportAssignment: {
        const ea = s as ts.ExportAssignment;
        const e: Expr = this.deep || ts.isIdentifier(unwrap(ea.expression)) ? this.expr(ea.expression, scope) : { k: 'elided', exp: 'default' };
        this.f.exports.default = { e };
        if (ea.isExportEquals) {
          this.f.cjs = true;
          out.push({ k: 'expr', e: { k: 'set', target: { k: 'mem', obj: { k: 'glob', name: 'module' }, name: 'exports' }, v: e } });
        }
        return;
      }
      default:
        // declarations of types, namespaces, empty statements, throw/break/continue: nothing to run
        if (ts.isThrowStatement(s)) this.sideEffects(s.expression, scope, out);
        return;
    }
  }

  /** A block or single statement inside another: its own scope, its statements run in place. */
  private nested(s: ts.Statement, scope: Scope, out: Stmt[]): void {
    const inner: Scope = { parent: scope, names: new Map(), fn: scope.fn };
    if (ts.isBlock(s)) out.push(...this.statements(s.statements, inner));
    else out.push(...this.statements([s], inner));
  }

  /** A condition's calls still run (`if (register(app))`). */
  private sideEffects(e: ts.Expression, scope: Scope, out: Stmt[]): void {
    const x = this.expr(e, scope);
    if (x.k === 'call' || x.k === 'new' || x.k === 'set') out.push({ k: 'expr', e: x });
  }

  private variableStatement(s: ts.VariableStatement, scope: Scope, out: Stmt[]): void {
    const exported = scope === this.top && hasModifier(s, ts.SyntaxKind.ExportKeyword);
    for (const d of s.declarationList.declarations) {
      this.declaration(d, scope, out);
      if (exported) this.bindingNames(d.name, (id) => (this.f.exports[id.text] = { key: id.text }));
    }
  }

  private declaration(d: ts.VariableDeclaration, scope: Scope, out: Stmt[]): void {
    const init = d.initializer ? unwrap(d.initializer) : undefined;
    if (ts.isIdentifier(d.name)) {
      const key = this.resolve(scope, d.name.text) as string;
      if (!init) return;
      const spec = requireSpecifier(init);
      if (spec !== undefined && scope === this.top) {
        this.f.imports[key] = { from: spec, name: '*' };
        this.typeImports.set(d.name.text, { pkg: packageOf(spec) ?? spec, name: 'default' });
        return;
      }
      this.f.inits[key] = this.deep ? this.expr(init, scope) : { k: 'elided', key };
      out.push({ k: 'let', key });
      return;
    }
    if (!init) return;
    // const { Router, a: b } = require('x'): imports
    const spec = requireSpecifier(init);
    if (spec !== undefined && scope === this.top && ts.isObjectBindingPattern(d.name) && d.name.elements.every((el) => ts.isIdentifier(el.name) && !el.dotDotDotToken)) {
      for (const el of d.name.elements) {
        const local = (el.name as ts.Identifier).text;
        const original = el.propertyName && (ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName)) ? el.propertyName.text : local;
        this.f.imports[this.resolve(scope, local) as string] = { from: spec, name: original };
        this.typeImports.set(local, { pkg: packageOf(spec) ?? spec, name: original });
      }
      return;
    }
    if (!this.deep) {
      this.bindingNames(d.name, (id) => {
        const key = this.resolve(scope, id.text) as string;
        this.f.inits[key] = { k: 'elided', key };
        out.push({ k: 'let', key });
      });
      return;
    }
    const source = this.expr(init, scope);
    const pat = this.pattern(d.name, scope);
    out.push({ k: 'destr', pat, init: source });
    // reads before the statement ran see each binding through its path into the source
    for (const b of pat.binds) {
      let e: Expr = source;
      for (const step of b.path) e = typeof step === 'number' ? { k: 'idx', obj: e, index: { k: 'lit', v: step } } : { k: 'mem', obj: e, name: step };
      this.f.inits[b.key] = b.def ? { k: 'or', a: e, b: b.def } : e;
    }
  }

  private pattern(name: ts.BindingName, scope: Scope, path: (string | number)[] = [], out: PatternFact = { binds: [] }): PatternFact {
    if (ts.isIdentifier(name)) {
      out.binds.push({ key: this.resolve(scope, name.text) ?? this.declare(scope, name.text, name), path });
      return out;
    }
    name.elements.forEach((el, i) => {
      if (ts.isOmittedExpression(el)) return;
      let step: string | number = i;
      if (ts.isObjectBindingPattern(name)) {
        const prop = el.propertyName ?? (ts.isIdentifier(el.name) ? el.name : undefined);
        if (!prop || !(ts.isIdentifier(prop) || ts.isStringLiteral(prop) || ts.isNumericLiteral(prop))) return;
        step = prop.text;
      }
      const before = out.binds.length;
      this.pattern(el.name, scope, el.dotDotDotToken ? path : [...path, step], out);
      const def = el.initializer ? this.expr(el.initializer, scope) : undefined;
      if (out.binds.length === before + 1 && ts.isIdentifier(el.name)) {
        if (def) out.binds[before].def = def;
        if (el.dotDotDotToken) out.binds[before].rest = true;
      }
    });
    return out;
  }

  private forOf(s: ts.ForOfStatement | ts.ForInStatement, scope: Scope, out: Stmt[]): void {
    const inner: Scope = { parent: scope, names: new Map(), fn: scope.fn };
    const iter = this.expr(s.expression, scope);
    const init = s.initializer;
    const loop: Stmt & { k: 'for' } = { k: 'for', iter, of: ts.isForOfStatement(s), body: [] };
    if (ts.isVariableDeclarationList(init)) {
      const d = init.declarations[0];
      if (d) {
        this.bindingNames(d.name, (id) => this.declare(inner, id.text, id));
        if (ts.isIdentifier(d.name)) loop.key = this.resolve(inner, d.name.text);
        else loop.pat = this.pattern(d.name, inner);
      }
    } else if (ts.isIdentifier(init)) loop.key = this.resolve(scope, init.text);
    const body: Stmt[] = [];
    this.nested(s.statement, inner, body);
    loop.body = body;
    out.push(loop);
  }

  private importDeclaration(s: ts.ImportDeclaration): void {
    if (!ts.isStringLiteral(s.moduleSpecifier)) return;
    const from = s.moduleSpecifier.text;
    const c = s.importClause;
    const nb0 = c?.namedBindings;
    const typeOnly = c !== undefined && (c.isTypeOnly || (!c.name && nb0 !== undefined && ts.isNamedImports(nb0) && nb0.elements.length > 0 && nb0.elements.every((el) => el.isTypeOnly)));
    this.noteFramework(from, this.line(s), typeOnly);
    if (!c) return;
    const pkg = packageOf(from) ?? from;
    const bind = (local: string, name: string, typeOnly: boolean): void => {
      this.typeImports.set(local, { pkg, name });
      if (!typeOnly) this.f.imports[local] = { from, name };
    };
    if (c.name) bind(c.name.text, 'default', c.isTypeOnly);
    const nb = c.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) bind(nb.name.text, '*', c.isTypeOnly);
    else if (nb) for (const el of nb.elements) bind(el.name.text, (el.propertyName ?? el.name).text, c.isTypeOnly || el.isTypeOnly);
  }

  private exportDeclaration(s: ts.ExportDeclaration, scope: Scope): void {
    if (s.isTypeOnly) return;
    const spec = s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined;
    const clause = s.exportClause;
    if (!clause) {
      if (spec !== undefined) this.f.exportStars.push(spec);
      return;
    }
    if (ts.isNamespaceExport(clause)) {
      if (spec !== undefined) this.f.exports[clause.name.text] = { from: spec, name: '*' };
      return;
    }
    for (const el of clause.elements) {
      if (el.isTypeOnly) continue;
      const local = (el.propertyName ?? el.name).text;
      if (spec !== undefined) this.f.exports[el.name.text] = { from: spec, name: local };
      else {
        const key = this.resolve(scope, local);
        this.f.exports[el.name.text] = key === undefined ? { e: { k: 'glob', name: local } } : { key };
      }
    }
  }

  // ---- expressions

  private expr(node: ts.Expression, scope: Scope): Expr {
    const e = unwrap(node);
    switch (e.kind) {
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        return { k: 'lit', v: (e as ts.StringLiteral).text };
      case ts.SyntaxKind.NumericLiteral:
        return { k: 'lit', v: Number((e as ts.NumericLiteral).text) };
      case ts.SyntaxKind.TrueKeyword:
        return { k: 'lit', v: true };
      case ts.SyntaxKind.FalseKeyword:
        return { k: 'lit', v: false };
      case ts.SyntaxKind.NullKeyword:
        return { k: 'lit', v: null };
      case ts.SyntaxKind.ThisKeyword:
        return { k: 'this' };
      case ts.SyntaxKind.SuperKeyword:
        return { k: 'super' };
      case ts.SyntaxKind.Identifier: {
        const name = (e as ts.Identifier).text;
        const key = this.resolve(scope, name);
        if (key !== undefined) return { k: 'var', key };
        return name === 'undefined' ? { k: 'undef' } : { k: 'glob', name };
      }
      case ts.SyntaxKind.TemplateExpression: {
        const t = e as ts.TemplateExpression;
        const parts: Expr[] = [{ k: 'lit', v: t.head.text }];
        for (const span of t.templateSpans) parts.push(this.expr(span.expression, scope), { k: 'lit', v: span.literal.text });
        return { k: 'cat', parts };
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(e as ts.BinaryExpression, scope);
      case ts.SyntaxKind.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        return { k: 'alt', a: this.expr(c.whenTrue, scope), b: this.expr(c.whenFalse, scope) };
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const p = e as ts.PropertyAccessExpression;
        return { k: 'mem', obj: this.expr(p.expression, scope), name: p.name.text };
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const el = e as ts.ElementAccessExpression;
        const index = unwrap(el.argumentExpression);
        const obj = this.expr(el.expression, scope);
        if (ts.isStringLiteral(index) || ts.isNoSubstitutionTemplateLiteral(index)) return { k: 'mem', obj, name: index.text };
        return { k: 'idx', obj, index: this.expr(index, scope) };
      }
      case ts.SyntaxKind.CallExpression:
        return this.call(e as ts.CallExpression, scope);
      case ts.SyntaxKind.NewExpression: {
        const n = e as ts.NewExpression;
        return { k: 'new', fn: this.expr(n.expression, scope), args: this.args(n.arguments ?? [], scope), line: this.line(n.expression) };
      }
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.object(e as ts.ObjectLiteralExpression, scope);
      case ts.SyntaxKind.ArrayLiteralExpression:
        return { k: 'arr', items: this.args((e as ts.ArrayLiteralExpression).elements, scope) };
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
        return { k: 'fn', key: this.func(e as ts.ArrowFunction | ts.FunctionExpression, scope) };
      case ts.SyntaxKind.ClassExpression:
        return { k: 'class', key: this.classLike(e as ts.ClassExpression, scope) };
      case ts.SyntaxKind.RegularExpressionLiteral:
        return { k: 're' };
      case ts.SyntaxKind.SpreadElement:
        return { k: 'spread', e: this.expr((e as ts.SpreadElement).expression, scope) };
      default:
        return { k: 'dyn' };
    }
  }

  private binary(b: ts.BinaryExpression, scope: Scope): Expr {
    const op = b.operatorToken.kind;
    switch (op) {
      case ts.SyntaxKind.PlusToken:
        return { k: 'cat', parts: [this.expr(b.left, scope), this.expr(b.right, scope)] };
      case ts.SyntaxKind.BarBarToken:
      case ts.SyntaxKind.QuestionQuestionToken:
        return { k: 'or', a: this.expr(b.left, scope), b: this.expr(b.right, scope) };
      case ts.SyntaxKind.AmpersandAmpersandToken:
        return this.expr(b.right, scope);
      case ts.SyntaxKind.EqualsToken:
      case ts.SyntaxKind.BarBarEqualsToken:
      case ts.SyntaxKind.QuestionQuestionEqualsToken: {
        if (ts.isObjectLiteralExpression(b.left) || ts.isArrayLiteralExpression(b.left)) return { k: 'dyn' };
        const target = this.expr(b.left, scope);
        const v = this.expr(b.right, scope);
        return { k: 'set', target, v: op === ts.SyntaxKind.EqualsToken ? v : { k: 'or', a: target, b: v } };
      }
      case ts.SyntaxKind.PlusEqualsToken: {
        const target = this.expr(b.left, scope);
        return { k: 'set', target, v: { k: 'cat', parts: [target, this.expr(b.right, scope)] } };
      }
      case ts.SyntaxKind.CommaToken:
        return this.expr(b.right, scope);
      default:
        return { k: 'dyn' };
    }
  }

  /** `module.exports`, `module.exports.x`, `exports.x`. */
  private isCommonJsTarget(t: Expr): boolean {
    if (t.k !== 'mem') return false;
    if (t.obj.k === 'glob') return (t.obj.name === 'module' && t.name === 'exports') || t.obj.name === 'exports';
    return this.isCommonJsTarget(t.obj);
  }

  private call(c: ts.CallExpression, scope: Scope): Expr {
    const callee = unwrap(c.expression);
    if (callee.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = c.arguments[0];
      if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) {
        this.noteFramework(arg.text, this.line(c), false);
        return { k: 'imp', spec: arg.text };
      }
      return { k: 'dyn' };
    }
    const spec = requireSpecifier(c);
    if (spec !== undefined) {
      this.noteFramework(spec, this.line(c), false);
      return { k: 'req', spec };
    }
    const fn = this.expr(callee, scope);
    if (this.fnStack.length > 0 && isRegistering(fn, c.arguments.length)) for (const f of this.fnStack) f.reg = true;
    const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
    return { k: 'call', fn, args: this.args(c.arguments, scope), line: this.line(nameNode) };
  }

  private args(list: readonly ts.Expression[], scope: Scope): Expr[] {
    const out: Expr[] = [];
    for (const a of list) out.push(this.expr(a, scope));
    return out;
  }

  private object(o: ts.ObjectLiteralExpression, scope: Scope): Expr {
    const props: Prop[] = [];
    let resolverMap = false;
    for (const p of o.properties) {
      if (ts.isSpreadAssignment(p)) {
        props.push({ spread: this.expr(p.expression, scope) });
        continue;
      }
      const name = propertyName(p.name);
      if (name === undefined) continue;
      if (ts.isPropertyAssignment(p)) {
        const v = unwrap(p.initializer);
        if (RESOLVER_TYPES.has(name) && (ts.isObjectLiteralExpression(v) || ts.isIdentifier(v) || ts.isPropertyAccessExpression(v))) resolverMap = true;
        props.push({ name, v: this.expr(v, scope), line: this.line(p.name) });
      } else if (ts.isShorthandPropertyAssignment(p)) {
        props.push({ name, v: this.expr(p.name, scope), line: this.line(p.name) });
      } else if (ts.isMethodDeclaration(p)) {
        props.push({ name, v: { k: 'fn', key: this.func(p, scope) }, line: this.line(p.name) });
      } else if (ts.isGetAccessorDeclaration(p)) {
        props.push({ get: name, fn: this.func(p, scope), line: this.line(p.name) });
      }
    }
    const e: Expr = { k: 'obj', props };
    if (resolverMap) this.f.resolverMaps.push({ e, line: this.line(o) });
    return e;
  }

  /** A qualified name in `import x = A.B.C`. */
  private entityName(n: ts.EntityName, scope: Scope): Expr {
    if (ts.isIdentifier(n)) return this.expr(n, scope);
    return { k: 'mem', obj: this.entityName(n.left, scope), name: n.right.text };
  }

  // ---- functions and classes

  /** Reads a function (its body only in deep mode) and returns its key. */
  private func(node: ts.SignatureDeclaration, scope: Scope): string {
    const key = `f@${node.pos}`;
    const fact: FunctionFact = { params: [], body: null, line: this.deep ? this.line(node.name ?? node) : 0 };
    if (node.name && ts.isIdentifier(node.name)) fact.name = node.name.text;
    if (ts.isArrowFunction(node)) fact.arrow = true;
    this.f.fns[key] = fact;
    const inner: Scope = { parent: scope, names: new Map(), fn: key };
    const isCtor = ts.isConstructorDeclaration(node);
    for (const p of node.parameters) fact.params.push(this.param(p, inner, isCtor));
    if (!this.deep) return key;
    const body = (node as ts.FunctionLikeDeclarationBase).body;
    if (!body) return key;
    this.fnStack.push(fact);
    if (ts.isBlock(body)) fact.body = this.statements(body.statements, inner);
    else fact.body = [{ k: 'ret', e: this.expr(body, inner) }];
    this.fnStack.pop();
    return key;
  }

  private param(p: ts.ParameterDeclaration, scope: Scope, inConstructor: boolean): ParamFact {
    const fact: ParamFact = {};
    if (ts.isIdentifier(p.name)) {
      if (p.name.text === 'this') return fact;
      fact.key = this.declare(scope, p.name.text, p.name);
      const hint = p.type ? this.typeHint(p.type) : undefined;
      if (hint) fact.hint = hint;
      else if (ROUTER_PARAM_NAME.test(p.name.text)) fact.hint = 'router';
      // the tree has no parent pointers: a constructor parameter with a modifier is a parameter property
      if (inConstructor && ts.getModifiers(p)?.some((m) => PROPERTY_MODIFIERS.has(m.kind))) fact.prop = p.name.text;
    } else {
      this.bindingNames(p.name, (id) => this.declare(scope, id.text, id));
      fact.pat = this.pattern(p.name, scope);
      // `...[router, ctx]: Args`: a destructured parameter named like a router is one when nobody hands it over
      for (const b of fact.pat.binds) if (ROUTER_PARAM_NAME.test(b.key.replace(/@\d+$/, ''))) b.hint = 'router';
    }
    if (p.initializer && this.deep) fact.def = this.expr(p.initializer, scope);
    if (p.dotDotDotToken) fact.rest = true;
    return fact;
  }

  /** `Router`, `express.Router`, `FastifyInstance`, `ReturnType<typeof express>`: which framework's router a type names. */
  private typeHint(type: ts.TypeNode): ParamHint | undefined {
    if (ts.isTypeReferenceNode(type)) {
      const n = type.typeName;
      if (ts.isIdentifier(n)) {
        if (n.text === 'ReturnType' && type.typeArguments?.length === 1) {
          const arg = type.typeArguments[0];
          if (ts.isTypeQueryNode(arg) && ts.isIdentifier(arg.exprName)) {
            const imp = this.typeImports.get(arg.exprName.text);
            if (imp && Object.hasOwn(ROUTER_TYPES, imp.pkg)) return ROUTER_TYPES[imp.pkg].default ?? ROUTER_TYPES[imp.pkg].Router;
          }
          return undefined;
        }
        const imp = this.typeImports.get(n.text);
        return imp && Object.hasOwn(ROUTER_TYPES, imp.pkg) ? own(ROUTER_TYPES[imp.pkg], imp.name) : undefined;
      }
      if (ts.isIdentifier(n.left)) {
        const imp = this.typeImports.get(n.left.text);
        if (imp && Object.hasOwn(ROUTER_TYPES, imp.pkg) && (imp.name === '*' || imp.name === 'default')) return own(ROUTER_TYPES[imp.pkg], n.right.text);
      }
    }
    return undefined;
  }

  private classLike(node: ts.ClassLikeDeclaration, scope: Scope): string {
    const key = `c@${node.pos}`;
    const fact: ClassFact = { line: this.line(node.name ?? node), members: [] };
    if (node.name) fact.name = node.name.text;
    this.f.classes[key] = fact;
    const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (heritage) fact.ext = this.expr(heritage.expression, scope);
    if (!this.deep) {
      fact.elided = true;
      return key;
    }
    const decorators = this.decorators(node, scope);
    if (decorators) fact.decorators = decorators;
    // members' `this` is the instance: a scope of their own for parameters, none for names
    const inner: Scope = { parent: scope, names: new Map(), fn: scope.fn };
    // stands for the class while its field initializers are read: a registering call there marks it
    const classFact: FunctionFact = { params: [], body: null, line: 0 };
    for (const m of node.members) {
      const isStatic = hasModifier(m, ts.SyntaxKind.StaticKeyword);
      let member: MemberFact | undefined;
      if (ts.isConstructorDeclaration(m)) member = { name: 'constructor', kind: 'ctor', fn: this.func(m, inner), line: this.line(m) };
      else {
        const name = m.name ? propertyName(m.name) : undefined;
        if (name === undefined) continue;
        if (ts.isMethodDeclaration(m)) member = { name, kind: 'method', fn: this.func(m, inner), line: this.line(m.name as ts.PropertyName) };
        else if (ts.isGetAccessorDeclaration(m)) member = { name, kind: 'get', fn: this.func(m, inner), line: this.line(m.name) };
        else if (ts.isPropertyDeclaration(m)) {
          member = { name, kind: 'field', line: this.line(m.name) };
          if (m.initializer) {
            // a field initializer runs as part of construction: it counts as the class's body
            this.fnStack.push(classFact);
            member.init = this.expr(m.initializer, inner);
            this.fnStack.pop();
          }
        }
      }
      if (!member) continue;
      if (isStatic) member.static = true;
      const decs = this.decorators(m, inner);
      if (decs) member.decorators = decs;
      fact.members.push(member);
    }
    if (classFact.reg || fact.members.some((m) => m.fn && this.f.fns[m.fn].reg)) {
      fact.reg = true;
      for (const f of this.fnStack) f.reg = true;
    }
    return key;
  }

  private decorators(node: ts.Node, scope: Scope): DecoratorFact[] | undefined {
    const list = ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined;
    if (!list || list.length === 0) return undefined;
    return list.map((d) => {
      const e = d.expression;
      if (ts.isCallExpression(e)) return { fn: this.expr(e.expression, scope), args: this.args(e.arguments, scope), line: this.line(d) };
      return { fn: this.expr(e, scope), args: [], line: this.line(d) };
    });
  }

  // ---- routing files

  /** A top-level function (declared, assigned, exported) with a parameter named like a router, of any type or none. */
  private hasRouterParam(s: ts.Statement): boolean {
    const fns: ts.SignatureDeclaration[] = [];
    const consider = (e: ts.Expression | undefined, nested = false): void => {
      const x = e && unwrap(e);
      if (x && (ts.isArrowFunction(x) || ts.isFunctionExpression(x))) fns.push(x);
      else if (x && !nested && ts.isObjectLiteralExpression(x)) {
        for (const p of x.properties) {
          if (ts.isMethodDeclaration(p)) fns.push(p);
          else if (ts.isPropertyAssignment(p)) consider(p.initializer, true);
        }
      }
    };
    if (ts.isFunctionDeclaration(s)) fns.push(s);
    else if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) consider(d.initializer);
    else if (ts.isExportAssignment(s)) consider(s.expression);
    else if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) consider(s.expression.right);
    let named = false;
    for (const fn of fns) for (const p of fn.parameters) this.bindingNames(p.name, (id) => (named ||= ROUTER_PARAM_NAME.test(id.text)));
    return named;
  }

  /** Top-level functions and classes that may register routes: they run on their own if nobody calls them. */
  private findRoots(): void {
    const fnOf = (e: Expr | undefined): void => {
      if (!e) return;
      if (e.k === 'fn' && this.f.fns[e.key].reg) this.f.roots.push({ fn: e.key });
      else if (e.k === 'class') classOf(e.key);
      else if (e.k === 'obj') for (const p of e.props) if ('name' in p) fnOf(p.v);
    };
    const classOf = (key: string): void => {
      if (this.f.classes[key].reg) this.f.roots.push({ cls: key });
    };
    for (const s of this.f.body) {
      if (s.k === 'let') fnOf(this.f.inits[s.key]);
      else if (s.k === 'expr' && s.e.k === 'set') fnOf(s.e.v);
    }
    for (const [varKey, fnKey] of Object.entries(this.f.funcDecls)) if (!Object.hasOwn(this.f.owner, varKey) && this.f.fns[fnKey].reg) this.f.roots.push({ fn: fnKey });
    for (const [varKey, classKey] of Object.entries(this.f.classDecls)) if (!Object.hasOwn(this.f.owner, varKey)) classOf(classKey);
    fnOf(this.f.exports.default?.e);
  }
}

/** A top-level `const resolvers = { Query: { … } }` (or exported, or `module.exports =`): a schema-first resolver map. */
function hasResolverMap(s: ts.Statement): boolean {
  const isMap = (e: ts.Expression | undefined): boolean => {
    const x = e && unwrap(e);
    return !!x && ts.isObjectLiteralExpression(x) && x.properties.some((p) => ts.isPropertyAssignment(p) && RESOLVER_TYPES.has(propertyName(p.name) ?? ''));
  };
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.some((d) => isMap(d.initializer));
  if (ts.isExportAssignment(s)) return isMap(s.expression);
  return ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && isMap(s.expression.right);
}

/**
 * A call that may register: `x.get(path, handler)`, `x.use(...)`, `x[m](...)`, `this.route(...)`.
 * (`cache.get(key)` and `emitter.on(event, fn)` take too few arguments to be routes.)
 */
function isRegistering(fn: Expr, args: number): boolean {
  if (fn.k === 'idx') return true;
  if (fn.k !== 'mem') return false;
  if (fn.obj.k === 'this') return true;
  const least = Object.hasOwn(REGISTERING_METHODS, fn.name) ? REGISTERING_METHODS[fn.name] : undefined;
  return least !== undefined && args >= least;
}

function propertyName(n: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isPrivateIdentifier(n)) return n.text;
  if (ts.isComputedPropertyName(n)) {
    const e = unwrap(n.expression);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  }
  return undefined;
}

function requireSpecifier(e: ts.Expression): string | undefined {
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1) {
    const arg = e.arguments[0];
    if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  }
  return undefined;
}

export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isAwaitExpression(e) ||
    ts.isExpressionWithTypeArguments(e)
  ) {
    e = e.expression;
  }
  return e;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function own<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
