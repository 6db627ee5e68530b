import ts from 'typescript';
import { emptyFacts, type MountFact, type RouteFacts, type ValueRef, type RefStep } from './facts';
import { FileConstants, unwrap } from './paths';

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);
const NEST_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ALL' };
/** Untyped (JavaScript) parameters taken for routers by name: `module.exports = (app) => { app.get(...) }`. */
const UNTYPED_ROUTER_PARAM = /^(?:app|router)$|Router$/;
/** Express types a parameter may be annotated with to count as a router (`function register(app: Express)`). */
const ROUTER_TYPES = new Set(['Router', 'IRouter', 'Express', 'Application']);
/**
 * Files matching none of these get only their imports/exports read (enough to resolve barrels through
 * them): a file that routes names express or a Router, mounts with `.use(`, or registers a literal
 * path. `express`, but not the English words (doc comments say "expression" a lot: effect, 26 files
 * of 5.5 MB). One regex: it costs less than five `includes` and two regexes over two-byte texts.
 */
const ROUTING_HINT = /[Rr]outer|@nestjs|setGlobalPrefix|\.use\(|express(?!ions?\b|ed\b)|\.(?:get|post|put|patch|delete|head|options|all|route|use)\s*\(\s*['"`]/;

interface Scope {
  parent: number;
  /** Declared name → key; '' marks a declared name that is nothing we track (it still shadows outer names). */
  names: Map<string, string>;
}

/** A reference whose base identifier is resolved through the scopes once the whole file is seen. */
interface PendingRef {
  ref: ValueRef;
  scope: number;
  name: string;
}

/** Reads what one file declares about routers, routes, mounts, Nest controllers and its imports/exports. */
export function collectRouteFacts(sf: ts.SourceFile): RouteFacts {
  return new RouteCollector(sf).run();
}

class RouteCollector {
  private readonly facts = emptyFacts();
  private readonly consts = new FileConstants((name) => Object.hasOwn(this.facts.imports, name));
  private readonly scopes: Scope[] = [{ parent: -1, names: new Map() }];
  private readonly pending: PendingRef[] = [];
  /** Work that needs the whole file's constants and scopes (path evaluation). */
  private readonly deferred: (() => void)[] = [];
  /** Local names of the express module (`import express from 'express'`). */
  private readonly expressNames = new Set<string>();
  /** Local names of express's `Router` function. */
  private readonly routerFnNames = new Set<string>();
  /** Local names of express router types (`Router`, `Express`...) usable as parameter annotations. */
  private readonly routerTypeNames = new Set<string>();
  /** `import type * as express from 'express'`: namespaces usable in `express.Router` annotations. */
  private readonly expressTypeNamespaces = new Set<string>();
  /** Local name → original name of `@nestjs/common` imports. */
  private readonly nestNames = new Map<string, string>();
  private readonly deep: boolean;
  /** Route, mount and call facts whose line is computed only if they survive pruning (most calls don't). */
  private readonly lineOf = new Map<{ line: number }, ts.Node>();

  constructor(private readonly sf: ts.SourceFile) {
    this.deep = ROUTING_HINT.test(sf.text);
  }

  run(): RouteFacts {
    for (const stmt of this.sf.statements) this.visit(stmt, 0, undefined, undefined);
    for (const p of this.pending) p.ref.key = this.resolveName(p.scope, p.name) ?? '';
    for (const work of this.deferred) work();
    const exportedNames = new Set<string>();
    for (const e of Object.values(this.facts.exports)) if (e.ref?.key && e.ref.steps.length === 0) exportedNames.add(e.ref.key);
    this.facts.constants = this.consts.exported(exportedNames);
    return this.prune();
  }

  private line(node: ts.Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }

  private resolveName(scope: number, name: string): string | undefined {
    for (let s = scope; s >= 0; s = this.scopes[s].parent) {
      const key = this.scopes[s].names.get(name);
      if (key !== undefined) return key === '' ? undefined : key;
    }
    return undefined;
  }

  private keyFor(name: string, scope: number, node: ts.Node): string {
    // position, not line: computing lines costs a trivia scan per declaration
    return scope === 0 ? name : `${name}@${node.pos}`;
  }

  private declare(scope: number, name: string, key: string): void {
    this.scopes[scope].names.set(name, key);
  }

  private newScope(parent: number): number {
    this.scopes.push({ parent, names: new Map() });
    return this.scopes.length - 1;
  }

  /** The ValueRef an expression denotes (`orders.router`, `createRouter(db)`, `require('./x')`), if it is that shape. */
  private refOf(expr: ts.Expression, scope: number, cls: string | undefined): ValueRef | undefined {
    const e = unwrap(expr);
    if (ts.isAwaitExpression(e)) return this.refOf(e.expression, scope, cls);
    if (ts.isIdentifier(e)) {
      const ref: ValueRef = { steps: [] };
      this.pending.push({ ref, scope, name: e.text });
      return ref;
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
      if (e.expression.kind === ts.SyntaxKind.ThisKeyword) return cls ? { key: `${cls}.${e.name.text}`, steps: [] } : undefined;
      return this.withStep(this.refOf(e.expression, scope, cls), { member: e.name.text });
    }
    if (ts.isCallExpression(e)) {
      const spec = requireSpecifier(e);
      if (spec !== undefined) return { require: spec, steps: [] };
      return this.withStep(this.refOf(e.expression, scope, cls), { call: true });
    }
    if (ts.isNewExpression(e)) return this.withStep(this.refOf(e.expression, scope, cls), { call: true });
    return undefined;
  }

  private withStep(ref: ValueRef | undefined, step: RefStep): ValueRef | undefined {
    if (!ref || ref.steps.length >= 6) return undefined;
    ref.steps.push(step);
    return ref;
  }

  /** `app` for `express()`, `router` for `Router()` / `express.Router(opts)`. */
  private routerKind(expr: ts.Expression): 'app' | 'router' | undefined {
    const e = unwrap(expr);
    // `new express.Router()` works too: express's Router returns its router either way
    if (!ts.isCallExpression(e) && !ts.isNewExpression(e)) return undefined;
    const callee = unwrap(e.expression);
    if (ts.isIdentifier(callee)) {
      if (this.expressNames.has(callee.text)) return 'app';
      if (this.routerFnNames.has(callee.text)) return 'router';
      return undefined;
    }
    if (requireSpecifier(callee) === 'express') return 'app';
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'Router') {
      const obj = unwrap(callee.expression);
      if ((ts.isIdentifier(obj) && this.expressNames.has(obj.text)) || requireSpecifier(obj) === 'express') return 'router';
    }
    return undefined;
  }

  private noteImport(local: string, from: string, name: string): void {
    this.facts.imports[local] = { from, name };
    this.declare(0, local, local);
    if (from === 'express') {
      if (name === 'default' || name === '*') this.expressNames.add(local);
      if (name === 'Router') this.routerFnNames.add(local);
    }
    if (from === '@nestjs/common') this.nestNames.set(local, name);
  }

  private visit(node: ts.Node, scope: number, cls: string | undefined, fnKey: string | undefined): void {
    // identifiers, literals and keywords (most nodes) have no children and declare nothing
    if (node.kind < ts.SyntaxKind.FirstNode) return;
    if (ts.isImportDeclaration(node)) return this.visitImport(node);
    if (ts.isImportEqualsDeclaration(node)) {
      const ref = node.moduleReference;
      if (!node.isTypeOnly && ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        this.noteImport(node.name.text, ref.expression.text, '*');
      }
      return;
    }
    if (ts.isExportDeclaration(node)) return this.visitExportDeclaration(node);
    if (ts.isExportAssignment(node)) return this.visitExportAssignment(node, scope);
    if (ts.isFunctionDeclaration(node)) return this.visitFunctionDeclaration(node, scope, cls);
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) return this.visitClass(node, scope);
    if (ts.isVariableStatement(node)) {
      if (scope === 0 && hasModifier(node, ts.SyntaxKind.ExportKeyword)) {
        for (const d of node.declarationList.declarations) {
          if (ts.isIdentifier(d.name)) this.facts.exports[d.name.text] = { ref: { key: d.name.text, steps: [] } };
        }
      }
      const isConst = (node.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const d of node.declarationList.declarations) this.visitVariable(d, scope, cls, fnKey, isConst);
      return;
    }
    if (!this.deep) {
      // imports/exports only: CommonJS exports are expression statements at top level
      if (scope === 0 && ts.isExpressionStatement(node)) this.visitCommonJsExport(node.expression, scope, cls);
      return;
    }
    // types hold no routes, and in typed code they are much of the tree
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isFunctionLike(node)) return this.visitFunction(node, scope, cls, undefined);
    if (ts.isReturnStatement(node) && node.expression && fnKey) {
      const fn = this.facts.functions[fnKey];
      if (fn && !fn.returns) fn.returns = this.refOf(node.expression, scope, cls);
    } else if (ts.isCallExpression(node)) {
      this.visitCall(node, scope, cls);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (this.visitCommonJsExport(node, scope, cls) || this.visitThisAssignment(node, scope, cls)) return;
    }
    ts.forEachChild(node, (child) => this.visit(child, scope, cls, fnKey));
  }

  private visitImport(node: ts.ImportDeclaration): void {
    const clause = node.importClause;
    if (!clause || !ts.isStringLiteral(node.moduleSpecifier)) return;
    const from = node.moduleSpecifier.text;
    const bindings = clause.namedBindings;
    // type-only imports matter for one thing: parameter annotations (`app: Express`)
    if (from === 'express' && bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) if (ROUTER_TYPES.has((el.propertyName ?? el.name).text)) this.routerTypeNames.add(el.name.text);
    }
    if (from === 'express' && clause.isTypeOnly && bindings && ts.isNamespaceImport(bindings)) this.expressTypeNamespaces.add(bindings.name.text);
    if (clause.isTypeOnly) return;
    if (clause.name) this.noteImport(clause.name.text, from, 'default');
    if (!bindings) return;
    if (ts.isNamespaceImport(bindings)) {
      this.noteImport(bindings.name.text, from, '*');
      return;
    }
    for (const el of bindings.elements) if (!el.isTypeOnly) this.noteImport(el.name.text, from, (el.propertyName ?? el.name).text);
  }

  private visitExportDeclaration(node: ts.ExportDeclaration): void {
    if (node.isTypeOnly) return;
    const spec = node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
    const clause = node.exportClause;
    if (!clause) {
      if (spec !== undefined) this.facts.exportStars.push(spec);
      return;
    }
    if (ts.isNamespaceExport(clause)) {
      if (spec !== undefined) this.facts.exports[clause.name.text] = { from: spec, name: '*' };
      return;
    }
    for (const el of clause.elements) {
      if (el.isTypeOnly) continue;
      const local = (el.propertyName ?? el.name).text;
      if (spec !== undefined) this.facts.exports[el.name.text] = { from: spec, name: local };
      else {
        const ref: ValueRef = { steps: [] };
        this.pending.push({ ref, scope: 0, name: local });
        this.facts.exports[el.name.text] = { ref };
      }
    }
  }

  private visitExportAssignment(node: ts.ExportAssignment, scope: number): void {
    if (node.isExportEquals) this.facts.exportEquals = true;
    this.exportValue('default', node.expression, scope, undefined);
  }

  /** `export default <expr>` / `module.exports = <expr>` / `exports.name = <expr>`. */
  private exportValue(name: string, expr: ts.Expression, scope: number, cls: string | undefined): void {
    const e = unwrap(expr);
    const kind = this.routerKind(e);
    const key = name === 'default' ? '*default*' : `*export:${name}*`;
    if (kind) {
      this.facts.routers[key] = { kind, line: this.line(e) };
      this.facts.exports[name] = { ref: { key, steps: [] } };
      if (this.deep) ts.forEachChild(e, (c) => this.visit(c, scope, cls, undefined));
      return;
    }
    if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) {
      this.facts.exports[name] = { ref: { key, steps: [] } };
      if (this.deep) this.visitFunction(e, scope, cls, key);
      return;
    }
    if (ts.isClassExpression(e)) {
      this.visitClass(e, scope);
      if (e.name) this.facts.exports[name] = { ref: { key: e.name.text, steps: [] } };
      return;
    }
    const ref = this.refOf(e, scope, cls);
    if (ref) this.facts.exports[name] = { ref };
    if (this.deep) this.visit(e, scope, cls, undefined);
  }

  /** `module.exports = x`, `module.exports = { a, b: c }`, `exports.a = x`, `module.exports.a = x`. */
  private visitCommonJsExport(expr: ts.Expression, scope: number, cls: string | undefined): boolean {
    if (!ts.isBinaryExpression(expr) || expr.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
    const target = expr.left;
    const isModuleExports = (e: ts.Expression): boolean =>
      ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'module' && e.name.text === 'exports';
    if (isModuleExports(target)) {
      this.facts.exportEquals = true;
      const value = unwrap(expr.right);
      if (ts.isObjectLiteralExpression(value)) {
        for (const prop of value.properties) {
          if (ts.isShorthandPropertyAssignment(prop)) {
            const ref: ValueRef = { steps: [] };
            this.pending.push({ ref, scope, name: prop.name.text });
            this.facts.exports[prop.name.text] = { ref };
          } else if (ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name)) {
            this.exportValue(prop.name.text, prop.initializer, scope, cls);
          }
        }
        this.facts.exportEquals = false;
      } else this.exportValue('default', value, scope, cls);
      return true;
    }
    if (ts.isPropertyAccessExpression(target)) {
      const obj = target.expression;
      if ((ts.isIdentifier(obj) && obj.text === 'exports') || isModuleExports(obj)) {
        this.exportValue(target.name.text, expr.right, scope, cls);
        return true;
      }
    }
    return false;
  }

  /** `this.router = Router()` / `this.router = createRouter()` inside a class. */
  private visitThisAssignment(node: ts.BinaryExpression, scope: number, cls: string | undefined): boolean {
    const target = node.left;
    if (!cls || !ts.isPropertyAccessExpression(target) || target.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
    const key = `${cls}.${target.name.text}`;
    const kind = this.routerKind(node.right);
    if (kind) this.facts.routers[key] = { kind, line: this.line(node) };
    else {
      const ref = this.refOf(node.right, scope, cls);
      if (!ref) return false;
      this.facts.aliases[key] = ref;
    }
    this.facts.classes[cls] ??= { props: {} };
    this.facts.classes[cls].props[target.name.text] = key;
    if (kind) ts.forEachChild(node.right, (c) => this.visit(c, scope, cls, undefined));
    return true;
  }

  private visitVariable(d: ts.VariableDeclaration, scope: number, cls: string | undefined, fnKey: string | undefined, isConst: boolean): void {
    const init = d.initializer;
    if (!ts.isIdentifier(d.name)) {
      // const { Router, a: b } = require('x')
      if (ts.isObjectBindingPattern(d.name)) {
        const spec = init ? requireSpecifier(unwrap(init)) : undefined;
        for (const el of d.name.elements) {
          if (!ts.isIdentifier(el.name)) continue;
          const original = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
          if (spec !== undefined && scope === 0) this.noteImport(el.name.text, spec, original);
          else this.declare(scope, el.name.text, '');
        }
      }
      if (init && this.deep) this.visit(init, scope, cls, fnKey);
      return;
    }
    const name = d.name.text;
    const key = this.keyFor(name, scope, d);
    if (!init) {
      this.declare(scope, name, '');
      return;
    }
    if (isConst) this.consts.add(name, init, scope === 0);
    const e = unwrap(init);
    const spec = requireSpecifier(e);
    if (spec !== undefined && scope === 0) {
      this.noteImport(name, spec, '*');
      return;
    }
    const kind = this.routerKind(e);
    if (kind) {
      this.facts.routers[key] = { kind, line: this.line(d) };
      this.declare(scope, name, key);
      if (this.deep) ts.forEachChild(e, (c) => this.visit(c, scope, cls, fnKey));
      return;
    }
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
      this.declare(scope, name, key);
      if (this.deep) this.visitFunction(e, scope, cls, key);
      return;
    }
    if (ts.isClassExpression(e)) {
      this.declare(scope, name, e.name ? e.name.text : '');
      this.visitClass(e, scope);
      return;
    }
    const ref = this.deep ? this.refOf(e, scope, cls) : undefined;
    if (ref) {
      this.facts.aliases[key] = ref;
      this.declare(scope, name, key);
    } else this.declare(scope, name, '');
    if (this.deep) this.visit(init, scope, cls, fnKey);
  }

  private visitFunctionDeclaration(node: ts.FunctionDeclaration, scope: number, cls: string | undefined): void {
    const isDefault = hasModifier(node, ts.SyntaxKind.DefaultKeyword);
    const name = node.name?.text;
    const key = name ? this.keyFor(name, scope, node) : '*default*';
    if (name) this.declare(scope, name, key);
    if (scope === 0 && hasModifier(node, ts.SyntaxKind.ExportKeyword)) {
      this.facts.exports[isDefault ? 'default' : (name ?? 'default')] = { ref: { key, steps: [] } };
    }
    if (this.deep) this.visitFunction(node, scope, cls, key);
  }

  /** Enters a function: a new scope with its parameters; router-typed parameters become `param` routers. */
  private visitFunction(node: ts.SignatureDeclaration, scope: number, cls: string | undefined, key: string | undefined): void {
    const inner = this.newScope(scope);
    if (key) this.facts.functions[key] = { params: {} };
    node.parameters.forEach((p, index) => {
      if (!ts.isIdentifier(p.name)) return;
      if (key && (p.type ? this.isRouterType(p.type) : UNTYPED_ROUTER_PARAM.test(p.name.text))) {
        const paramKey = `${key}#${p.name.text}`;
        this.facts.routers[paramKey] = { kind: 'param', line: this.line(p) };
        this.facts.functions[key].params[index] = paramKey;
        this.declare(inner, p.name.text, paramKey);
      } else this.declare(inner, p.name.text, '');
    });
    const body = (node as ts.FunctionLikeDeclarationBase).body;
    if (!body) return;
    if (ts.isBlock(body)) {
      for (const stmt of body.statements) this.visit(stmt, inner, cls, key);
      return;
    }
    if (key) this.facts.functions[key].returns = this.refOf(body, inner, cls);
    this.visit(body, inner, cls, key);
  }

  private isRouterType(type: ts.TypeNode): boolean {
    if (!ts.isTypeReferenceNode(type)) return false;
    const n = type.typeName;
    if (ts.isIdentifier(n)) return this.routerTypeNames.has(n.text);
    return ts.isIdentifier(n.left) && (this.expressNames.has(n.left.text) || this.expressTypeNamespaces.has(n.left.text)) && ROUTER_TYPES.has(n.right.text);
  }

  private visitClass(node: ts.ClassLikeDeclaration, scope: number): void {
    const name = node.name?.text ?? (hasModifier(node, ts.SyntaxKind.DefaultKeyword) ? '*default*' : undefined);
    if (name) {
      this.facts.classes[name] ??= { props: {} };
      if (node.name) this.declare(scope, node.name.text, name);
      if (scope === 0 && ts.isClassDeclaration(node) && hasModifier(node, ts.SyntaxKind.ExportKeyword)) {
        this.facts.exports[hasModifier(node, ts.SyntaxKind.DefaultKeyword) ? 'default' : name] = { ref: { key: name, steps: [] } };
      }
    }
    if (!this.deep) return;
    if (this.nestNames.size > 0 && name) this.visitNestController(node, name);
    for (const member of node.members) {
      if (ts.isPropertyDeclaration(member) && member.initializer && name && ts.isIdentifier(member.name)) {
        const key = `${name}.${member.name.text}`;
        const kind = this.routerKind(member.initializer);
        if (kind) {
          this.facts.routers[key] = { kind, line: this.line(member) };
          this.facts.classes[name].props[member.name.text] = key;
        }
      }
      this.visit(member, scope, name, undefined);
    }
  }

  private visitNestController(node: ts.ClassLikeDeclaration, className: string): void {
    const ctrl = this.nestDecorator(node, 'Controller');
    if (!ctrl) return;
    const routes: RouteFacts['controllers'][number]['routes'] = [];
    const controller = { className, paths: [] as string[], line: this.line(ctrl.decorator), routes };
    this.facts.controllers.push(controller);
    this.deferred.push(() => {
      const arg = ctrl.args[0];
      if (!arg) controller.paths = [''];
      else if (ts.isObjectLiteralExpression(unwrap(arg))) {
        const pathProp = (unwrap(arg) as ts.ObjectLiteralExpression).properties.find(
          (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'path',
        );
        controller.paths = pathProp ? this.consts.pathsOf(pathProp.initializer) : [''];
      } else controller.paths = this.consts.pathsOf(arg);
    });
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      for (const [original, method] of Object.entries(NEST_METHODS)) {
        const dec = this.nestDecorator(member, original);
        if (!dec) continue;
        const route = { method, paths: [] as string[], line: this.line(dec.decorator) };
        routes.push(route);
        this.deferred.push(() => {
          route.paths = dec.args[0] ? this.consts.pathsOf(dec.args[0]) : [''];
        });
      }
    }
  }

  /** The `@<original>(...)` decorator of a node, where `<original>` is imported from `@nestjs/common`. */
  private nestDecorator(node: ts.Node, original: string): { decorator: ts.Decorator; args: readonly ts.Expression[] } | undefined {
    const decorators = ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined;
    for (const decorator of decorators ?? []) {
      const e = decorator.expression;
      const callee = ts.isCallExpression(e) ? e.expression : e;
      if (ts.isIdentifier(callee) && this.nestNames.get(callee.text) === original) {
        return { decorator, args: ts.isCallExpression(e) ? e.arguments : [] };
      }
    }
    return undefined;
  }

  private visitCall(node: ts.CallExpression, scope: number, cls: string | undefined): void {
    const callee = node.expression;
    const args = node.arguments;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) {
      const method = callee.name.text;
      if (ROUTE_METHODS.has(method)) {
        const chain = this.routeChainBase(callee.expression);
        if (chain) {
          const reg = { on: this.refOf(chain.on, scope, cls), method: method.toUpperCase(), paths: [] as string[], line: 0 };
          if (reg.on && args.length > 0) {
            this.lineOf.set(reg, callee.name);
            this.facts.routes.push(reg as RouteFacts['routes'][number]);
            this.deferred.push(() => (reg.paths = this.consts.pathsOf(chain.path)));
          }
          return;
        }
        if (args.length >= 2) {
          const on = this.refOf(callee.expression, scope, cls);
          if (on) {
            const reg = { on, method: method.toUpperCase(), paths: [] as string[], line: 0 };
            this.lineOf.set(reg, callee.name);
            this.facts.routes.push(reg);
            this.deferred.push(() => (reg.paths = this.consts.pathsOf(args[0])));
          }
        }
        return;
      }
      if (method === 'use' && args.length > 0) {
        const on = this.refOf(callee.expression, scope, cls);
        if (!on) return;
        const mount = { on, prefixes: [''], children: [] as ValueRef[], line: 0 };
        this.lineOf.set(mount, callee.name);
        this.facts.mounts.push(mount);
        // the first argument's role (path or handler) depends on constants that may be declared later
        const refs = args.map((a) => this.refsOfArg(a, scope, cls));
        this.deferred.push(() => {
          const hasPath = this.consts.isPathLike(args[0]);
          if (hasPath) mount.prefixes = this.consts.pathsOf(args[0]);
          const marker = hasPath || args.length < 2 ? undefined : this.consts.evaluate(args[0], 0, true);
          if (marker !== undefined && refs[0].length === 1) {
            (mount as MountFact).prefixConstant = { marker, ref: refs[0][0] };
            mount.children = refs.slice(1).flat();
          } else mount.children = refs.slice(hasPath ? 1 : 0).flat();
        });
        return;
      }
      if (method === 'setGlobalPrefix' && args.length > 0) {
        this.deferred.push(() => {
          const prefix = this.consts.evaluate(args[0]);
          if (prefix !== undefined) this.facts.globalPrefixes.push(prefix);
        });
        return;
      }
    }
    if (args.length > 0) {
      // register(app): a function whose parameter is a router; kept only if it turns out to be one.
      // Routers are handed over by name (`app`, `this.router`): other arguments are pruned anyway.
      const argRefs: { index: number; value: ValueRef }[] = [];
      args.forEach((a, index) => {
        const e = unwrap(a);
        if (!ts.isIdentifier(e) && !(cls && ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword)) return;
        const value = this.refOf(e, scope, cls);
        if (value) argRefs.push({ index, value });
      });
      if (argRefs.length === 0) return;
      const calleeRef = this.refOf(callee, scope, cls);
      if (!calleeRef) return;
      const call = { callee: calleeRef, args: argRefs, line: 0 };
      this.lineOf.set(call, node);
      this.facts.paramCalls.push(call);
    }
  }

  private refsOfArg(arg: ts.Expression, scope: number, cls: string | undefined): ValueRef[] {
    const e = unwrap(arg);
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => this.refsOfArg(el, scope, cls));
    const ref = this.refOf(e, scope, cls);
    return ref ? [ref] : [];
  }

  /** For `x.route('/p').get(h).post(h)`: the value `route` is called on and the path, seen from any call in the chain. */
  private routeChainBase(expr: ts.Expression): { on: ts.Expression; path: ts.Expression } | undefined {
    let e = unwrap(expr);
    while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const name = e.expression.name.text;
      if (name === 'route' && e.arguments.length === 1) return { on: e.expression.expression, path: e.arguments[0] };
      if (!ROUTE_METHODS.has(name)) return undefined;
      e = unwrap(e.expression.expression);
    }
    return undefined;
  }

  /** Drops references to names that are nothing we track (globals, plain locals), so facts stay small. */
  private prune(): RouteFacts {
    const f = this.facts;
    const constantNames = new Set(Object.keys(f.constants).map((name) => name.split('.')[0]));
    const known = (ref: ValueRef): boolean =>
      ref.require !== undefined ||
      (ref.key !== undefined &&
        ref.key !== '' &&
        ([f.routers, f.imports, f.aliases, f.functions, f.classes].some((table) => Object.hasOwn(table, ref.key as string)) ||
          (ref.steps.length === 0 && constantNames.has(ref.key))));
    f.routes = f.routes.filter((r) => known(r.on));
    for (const m of f.mounts) {
      m.children = m.children.filter(known);
      if (m.prefixConstant && !known(m.prefixConstant.ref)) delete m.prefixConstant;
    }
    f.mounts = f.mounts.filter((m) => known(m.on) && (m.children.length > 0 || m.prefixConstant));
    for (const fn of Object.values(f.functions)) if (fn.returns && !known(fn.returns)) delete fn.returns;
    // a function that neither returns something router-like nor takes a router is nothing to follow
    for (const [key, fn] of Object.entries(f.functions)) if (!fn.returns && Object.keys(fn.params).length === 0) delete f.functions[key];
    f.paramCalls = f.paramCalls.filter((c) => {
      if (!known(c.callee)) return false;
      const key = c.callee.key;
      const local = key !== undefined && c.callee.steps.length === 0 && Object.hasOwn(f.functions, key) ? f.functions[key] : undefined;
      if (local && Object.keys(local.params).length === 0) return false;
      // routers are handed over by name (`register(app)`, `register(this.router)`), not computed in the call
      c.args = c.args.filter((a) => a.value.steps.length === 0 && known(a.value));
      return c.args.length > 0;
    });
    for (const fact of [...f.routes, ...f.mounts, ...f.paramCalls]) {
      const node = this.lineOf.get(fact);
      if (node) fact.line = this.line(node);
    }
    for (const [key, ref] of Object.entries(f.aliases)) if (!known(ref)) delete f.aliases[key];
    for (const [name, exp] of Object.entries(f.exports)) if (exp.ref && !known(exp.ref)) delete f.exports[name];
    return f;
  }
}

function requireSpecifier(e: ts.Expression): string | undefined {
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1) {
    const arg = e.arguments[0];
    if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  }
  return undefined;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}
