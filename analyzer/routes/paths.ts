import ts from 'typescript';

/** Stands for a path part that is not statically known (a variable, a regular expression). */
export const DYNAMIC = '<dynamic>';

/**
 * String constants of one file, by name (`PREFIX`) and by dotted member (`PATHS.orders` for
 * `const PATHS = { orders: '/orders' }`), so paths written through them count as literal.
 */
export class FileConstants {
  private readonly exprs = new Map<string, ts.Expression>();
  private readonly topLevel = new Set<string>();

  /** @param isImport whether a name is imported: its value is then left as a marker for `composeRoutes` to fill in. */
  constructor(private readonly isImport: (name: string) => boolean = () => false) {}

  /** Records `const name = init`; top-level declarations win over nested ones of the same name. */
  add(name: string, init: ts.Expression, topLevel: boolean): void {
    if (!topLevel && this.exprs.has(name)) return;
    const inner = unwrap(init);
    if (ts.isObjectLiteralExpression(inner)) {
      for (const prop of inner.properties) {
        if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) {
          this.add(`${name}.${prop.name.text}`, prop.initializer, topLevel);
        }
      }
      return;
    }
    this.exprs.set(name, inner);
    if (topLevel) this.topLevel.add(name);
  }

  /**
   * The string value of an expression, with `<dynamic>` for unknown parts; undefined when it is not
   * string-shaped at all. With `imports`, an imported name (`API_PREFIX`, `PATHS.orders`) becomes an
   * import marker instead of `<dynamic>`.
   */
  evaluate(expr: ts.Expression, depth = 0, imports = false): string | undefined {
    if (depth > 8) return undefined;
    const e = unwrap(expr);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isTemplateExpression(e)) {
      let out = e.head.text;
      for (const span of e.templateSpans) out += (this.evaluate(span.expression, depth + 1, imports) ?? DYNAMIC) + span.literal.text;
      return out;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.evaluate(e.left, depth + 1, imports);
      const right = this.evaluate(e.right, depth + 1, imports);
      if (left === undefined && right === undefined) return undefined;
      return (left ?? DYNAMIC) + (right ?? DYNAMIC);
    }
    const name = dottedName(e);
    if (name !== undefined) {
      const target = this.exprs.get(name);
      if (target) return this.evaluate(target, depth + 1, imports);
      if (imports && this.isImport(name.split('.')[0])) return importMarker(name);
    }
    return undefined;
  }

  /** Top-level string constants among `names` (and their `name.member` entries), evaluated: what other files may import. */
  exported(names: ReadonlySet<string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of this.topLevel) {
      if (!names.has(name.split('.')[0])) continue;
      const value = this.evaluate(this.exprs.get(name) as ts.Expression, 0, true);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** Whether `expr` is a path argument (string-shaped, regex, or an array of those), as opposed to a middleware or router. */
  isPathLike(expr: ts.Expression): boolean {
    const e = unwrap(expr);
    if (ts.isRegularExpressionLiteral(e)) return true;
    if (ts.isArrayLiteralExpression(e)) return e.elements.length > 0 && e.elements.every((el) => this.isPathLike(el));
    return this.evaluate(e) !== undefined;
  }

  /** The paths an argument denotes: arrays give several, anything unknown is `<dynamic>`, imported names are markers. */
  pathsOf(expr: ts.Expression): string[] {
    const e = unwrap(expr);
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => this.pathsOf(el));
    return [this.evaluate(e, 0, true) ?? DYNAMIC];
  }
}

/**
 * Stands for the value of an imported constant (`\u0001PATHS.orders\u0002`) inside a path, until
 * `composeRoutes` looks it up in the exporting file (or gives up with `<dynamic>`).
 */
export function importMarker(dotted: string): string {
  return `\u0001${dotted}\u0002`;
}

export const IMPORT_MARKER = /\u0001([^\u0002]*)\u0002/g;

export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e) || ts.isNonNullExpression(e)) {
    e = e.expression;
  }
  return e;
}

/** `a` or `a.b.c` when the expression is only identifiers and property names. */
export function dottedName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.name)) {
    const left = dottedName(expr.expression);
    return left === undefined ? undefined : `${left}.${expr.name.text}`;
  }
  return undefined;
}

/**
 * Joins route path parts with single slashes: always a leading `/`, no trailing slash except for
 * the root. `joinPaths('/api/', 'orders', ':id')` is `/api/orders/:id`.
 */
export function joinPaths(...parts: string[]): string {
  const segments: string[] = [];
  for (const part of parts) for (const seg of part.split('/')) if (seg !== '') segments.push(seg);
  return `/${segments.join('/')}`;
}
