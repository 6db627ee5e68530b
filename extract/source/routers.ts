/**
 * Express routers in the monolith's source, read with ts-morph: which variable each of the report's
 * routes is registered on, the path it was mounted at (the report's full path minus the local one),
 * and the `.use()` calls that mount each router. Only reads the monolith; never changes it.
 */
import path from 'node:path';
import { Node, Project, SyntaxKind, type CallExpression, type SourceFile, type VariableDeclaration } from 'ts-morph';
import type { Report, Route } from '../../analyzer/types';

export interface RouterInfo {
  /** Module id (relative to the report's root). */
  module: string;
  /** The exported variable (`feedRouter`). */
  name: string;
  decl: VariableDeclaration;
  routes: Route[];
  /** The path the monolith serves this router's routes under (`/api/feed`), from the report's full paths. */
  prefix: string | null;
  mounts: Mount[];
  /** The application itself (`express()`), not a router: mounting on it is the top of a chain. */
  isApp: boolean;
  /** How another module imports it: its exported name, `default`, or null when its module does not export it. */
  exportName: string | 'default' | null;
}

export interface Mount {
  module: string;
  line: number;
  /** The `.use(...)` call. */
  call: CallExpression;
  /** The router (or app) it is mounted on, when that is one of the routers found; null for the app. */
  parent: RouterInfo | null;
}

export class MonolithSource {
  readonly project: Project;
  readonly routers: RouterInfo[] = [];

  constructor(readonly report: Report) {
    const tsconfig = report.tsconfig ? path.join(report.root, report.tsconfig) : undefined;
    this.project = tsconfig ? new Project({ tsConfigFilePath: tsconfig }) : new Project({ compilerOptions: { allowJs: true } });
    if (!tsconfig) for (const m of report.modules) this.project.addSourceFileAtPathIfExists(this.abs(m.id));
    this.findRouters();
  }

  abs(id: string): string {
    return path.join(this.report.root, id);
  }

  id(file: string): string {
    return path.relative(this.report.root, file).split(path.sep).join('/');
  }

  file(id: string): SourceFile {
    const sf = this.project.getSourceFile(this.abs(id)) ?? this.project.addSourceFileAtPathIfExists(this.abs(id));
    if (!sf) throw new Error(`extract: ${id} is in the report but not on disk under ${this.report.root}`);
    return sf;
  }

  routerOf(decl: Node): RouterInfo | undefined {
    return this.routers.find((r) => r.decl === decl);
  }

  private findRouters(): void {
    const byDecl = new Map<VariableDeclaration, RouterInfo>();
    for (const route of this.report.routes) {
      const sf = this.file(route.module);
      const reg = registrationAt(sf, route.line);
      if (!reg) continue; // not an Express-style call (a decorator, a wrapper): no router to mount
      const decl = declarationOf(reg.target);
      if (!decl) continue;
      let info = byDecl.get(decl);
      if (!info) {
        info = { module: this.id(decl.getSourceFile().getFilePath()), name: decl.getName(), decl, routes: [], prefix: null, mounts: [], isApp: isAppInit(decl), exportName: exportNameOf(decl) };
        byDecl.set(decl, info);
      }
      info.routes.push(route);
      const prefix = reg.localPath === null ? null : prefixOf(route.path, reg.localPath);
      if (prefix !== null && info.prefix === null) info.prefix = prefix;
    }
    // routers that only mount others (`api.use('/x', child)`) have no routes of their own
    for (const sf of this.project.getSourceFiles()) {
      for (const decl of sf.getVariableDeclarations()) {
        if (byDecl.has(decl)) continue;
        const init = decl.getInitializer()?.getText() ?? '';
        if (/^(express\.)?Router\s*\(/.test(init)) byDecl.set(decl, { module: this.id(sf.getFilePath()), name: decl.getName(), decl, routes: [], prefix: null, mounts: [], isApp: false, exportName: exportNameOf(decl) });
      }
    }
    this.routers.push(...byDecl.values());
    for (const info of this.routers) {
      const nameNode = info.decl.getNameNode();
      if (!Node.isIdentifier(nameNode)) continue;
      for (const ref of nameNode.findReferencesAsNodes()) {
        const call = ref.getParentIfKind(SyntaxKind.CallExpression);
        if (!call || !call.getArguments().includes(ref)) continue;
        const callee = call.getExpression();
        if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'use') continue;
        const parentDecl = declarationOf(callee.getExpression());
        info.mounts.push({
          module: this.id(ref.getSourceFile().getFilePath()),
          line: call.getStartLineNumber(),
          call,
          parent: parentDecl && byDecl.get(parentDecl) && !byDecl.get(parentDecl)!.isApp ? byDecl.get(parentDecl)! : null,
        });
      }
    }
  }
}

/** `export const x`, `export default x`, `export { x as y }`: the name another module imports it by (a named one first). */
function exportNameOf(decl: VariableDeclaration): string | 'default' | null {
  const names = [...decl.getSourceFile().getExportedDeclarations()].filter(([, decls]) => decls.includes(decl)).map(([name]) => name);
  return names.find((n) => n !== 'default') ?? names[0] ?? null;
}

/** `const app = express()` (or any initializer that is not a Router): the application, not a router. */
function isAppInit(decl: VariableDeclaration): boolean {
  const init = decl.getInitializer()?.getText() ?? '';
  return !/(^|\.)Router\s*\(/.test(init);
}

/** The `x.get('/p', …)` / `x.route('/p').get(…)` call registered at `line`, with the router expression and its local path. */
function registrationAt(sf: SourceFile, line: number): { target: Node; localPath: string | null } | undefined {
  const calls = sf.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => c.getStartLineNumber() === line);
  for (const call of calls) {
    let expr: Node = call;
    let localPath: string | null = null;
    // walk down a chain: router.route('/x').get(h) → router
    while (Node.isCallExpression(expr)) {
      const first = expr.getArguments()[0];
      if (first && (Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first))) localPath = first.getLiteralValue();
      else if (first && localPath === null) {
        const lit = first.getType().getLiteralValue();
        if (typeof lit === 'string') localPath = lit;
      }
      const callee = expr.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) break;
      expr = callee.getExpression();
    }
    if (Node.isIdentifier(expr) || Node.isPropertyAccessExpression(expr)) return { target: expr, localPath };
  }
  return undefined;
}

/** The variable an identifier refers to, through imports and re-exports. */
export function declarationOf(node: Node): VariableDeclaration | undefined {
  let symbol = node.getSymbol();
  if (!symbol) return undefined;
  if (symbol.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
  const decl = symbol.getDeclarations().find((d) => Node.isVariableDeclaration(d));
  return decl && Node.isVariableDeclaration(decl) ? decl : undefined;
}

/** `/api/feed/posts/:id` registered as `/posts/:id` → `/api/feed`; `/api/feed` registered as `/` → `/api/feed`. */
export function prefixOf(full: string, local: string): string | null {
  const norm = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const f = norm(full);
  const l = norm(local);
  if (l === '/' || l === '') return f;
  if (!f.endsWith(l)) return null;
  const prefix = f.slice(0, f.length - l.length);
  return prefix === '' ? '/' : prefix;
}
