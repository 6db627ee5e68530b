import ts from 'typescript';
import { looksLikeSql, sqlOpenings, tablesInSql } from './sql-tables';
import { HOLE } from './sql-tokens';
import { PRISMA_READS, PRISMA_WRITES, prismaModelTable, sequelizeDefaultTableName, typeormDefaultTableName } from './orm';
import { KNEX_HINT, KNEX_INSTANCE_NAMES, knexChain } from './knex';

export interface TableAccess {
  name: string;
  access: 'read' | 'write';
  /** 1-based line of the table name (of the ORM call or decorator for ORM accesses). */
  line: number;
  /**
   * Present (true) on schema definitions: CREATE / ALTER / DROP TABLE, CREATE VIEW / INDEX, ORM model
   * definitions. They count as writes, but a migrations module defining every table is not data
   * coupling: consumers may leave these out of readers/writers.
   */
  definition?: true;
}

/** Files naming none of these cannot define or call ORM models we read. */
const ORM_WORDS = ['prisma', 'Prisma', 'sequelize', 'Sequelize', 'typeorm'];
/** Matches every text holding an ORM word or the knex hint (and a few more). */
const ORM_OR_KNEX = /risma|equelize|typeorm|knex|(?:db|trx)\s*\(/;

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

/**
 * Tables one file touches: names in SQL string literals / templates / `+` concatenations, Sequelize
 * and sequelize-typescript model definitions, TypeORM entities, and Prisma client calls. One walk,
 * no type checker. Model definitions count as writes: the defining module owns the table's schema.
 */
export function collectTableAccesses(sf: ts.SourceFile): TableAccess[] {
  const text = sf.text;
  const openings = sqlOpenings(text);
  // one regex pass over the text; the exact tests run only on the rare files it lets through
  const hinted = ORM_OR_KNEX.test(text);
  const knex = hinted && KNEX_HINT.test(text);
  const orm = knex || (hinted && ORM_WORDS.some((w) => text.includes(w)));
  if (openings.length === 0 && !orm) return [];
  return new TableCollector(sf, openings, orm, knex).run();
}

class TableCollector {
  private readonly out: TableAccess[] = [];
  /** Local name → original name of decorators imported from typeorm / sequelize-typescript. */
  private readonly decorators = new Map<string, 'Entity' | 'Table'>();
  /** Names of knex instances: the conventional ones and variables assigned `knex(config)`. */
  private readonly knexNames = new Set(KNEX_INSTANCE_NAMES);
  /** Local names of the knex factory (`import knex from 'knex'`). */
  private readonly knexFactories = new Set(['knex', 'Knex']);
  /** Calls already read as part of a knex chain. */
  private readonly knexCalls = new Set<ts.Node>();
  /** Variables holding a `new PrismaClient()`, besides any name containing "prisma". */
  private readonly prismaNames = new Set<string>();
  private readonly sequelize: boolean;

  constructor(
    private readonly sf: ts.SourceFile,
    /** Offsets of quotes that open something starting like SQL, ascending. */
    private readonly openings: number[],
    private readonly orm: boolean,
    private readonly knex: boolean,
  ) {
    // without an ORM word there is no `sequelize` either: no need to search the text again
    this.sequelize = orm && (sf.text.includes('sequelize') || sf.text.includes('Sequelize'));
  }

  run(): TableAccess[] {
    if (this.openings.length > 0) this.readSqlCandidates();
    if (this.orm) {
      this.scanOrmImports();
      const noTx: ReadonlySet<string> = new Set();
      for (const stmt of this.sf.statements) this.visitOrm(stmt, noTx);
    }
    const seen = new Set<string>();
    return this.out
      .filter((a) => {
        const key = `${a.name}\0${a.access}\0${a.line}\0${a.definition ?? ''}`;
        return seen.has(key) ? false : (seen.add(key), true);
      })
      .sort((a, b) => a.line - b.line || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Visits only the literals the text search points at (a quote followed by a statement keyword),
   * not the whole tree: most files have none, big files have few.
   */
  private readSqlCandidates(): void {
    const done = new Set<ts.Node>();
    for (const { literal, ancestors } of literalsAt(this.sf, this.openings)) {
      // a template head stands for its template; a `+` chain is read whole, from its outermost `+`
      let up = ancestors.length - 1;
      const own = ts.isTemplateHead(literal) ? ancestors[up--] : literal;
      let top: ts.Node = own;
      while (up >= 0 && isPlus(ancestors[up])) top = ancestors[up--];
      if (done.has(top)) continue;
      done.add(top);
      if (top !== own && this.readConcatenation(top as ts.BinaryExpression)) continue;
      if (ts.isTemplateExpression(own)) {
        if (looksLikeSql(own.head.text)) this.readSql(this.templateParts(own, 0));
      } else if (looksLikeSql(literal.text)) {
        this.readSql([{ at: 0, pos: literal.getStart(this.sf) + 1, text: literal.text, multiline: !ts.isStringLiteral(literal) }]);
      }
    }
  }

  private line(pos: number): number {
    return this.sf.getLineAndCharacterOfPosition(pos).line + 1;
  }

  private scanOrmImports(): void {
    for (const stmt of this.sf.statements) {
      if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier)) {
        const from = stmt.moduleSpecifier.text;
        const bindings = stmt.importClause?.namedBindings;
        if (from === 'knex') {
          if (stmt.importClause?.name) this.knexFactories.add(stmt.importClause.name.text);
          if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) if (/^knex$/i.test((el.propertyName ?? el.name).text)) this.knexFactories.add(el.name.text);
        }
        if ((from === 'typeorm' || from === 'sequelize-typescript') && bindings && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) {
            const original = (el.propertyName ?? el.name).text;
            if ((from === 'typeorm' && original === 'Entity') || (from === 'sequelize-typescript' && original === 'Table')) {
              this.decorators.set(el.name.text, original);
            }
          }
        }
      }
      if (ts.isVariableStatement(stmt)) {
        for (const d of stmt.declarationList.declarations) {
          const init = d.initializer;
          if (ts.isIdentifier(d.name) && init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'PrismaClient') {
            this.prismaNames.add(d.name.text);
          }
          if (ts.isIdentifier(d.name) && init && ts.isCallExpression(init) && this.isKnexFactory(init.expression)) this.knexNames.add(d.name.text);
        }
      }
    }
  }

  private visitOrm(node: ts.Node, tx: ReadonlySet<string>): void {
    if (ts.isCallExpression(node)) {
      this.ormCall(node, tx);
      if (this.knex && !this.knexCalls.has(node)) {
        for (const a of knexChain(node, (e) => this.isKnexInstance(e), this.knexCalls)) {
          const access: TableAccess = { name: a.name, access: a.access, line: this.line(a.at.getStart(this.sf)) };
          if (a.definition) access.definition = true;
          this.out.push(access);
        }
      }
      const txFn = this.transactionCallback(node);
      if (txFn) {
        const param = txFn.parameters[0];
        if (param && ts.isIdentifier(param.name)) {
          const inner = new Set(tx).add(param.name.text);
          ts.forEachChild(node, (c) => this.visitOrm(c, c === txFn ? inner : tx));
          return;
        }
      }
    } else if (ts.isClassDeclaration(node) && this.decorators.size > 0) {
      this.entityClass(node);
    }
    ts.forEachChild(node, (c) => this.visitOrm(c, tx));
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

  /** `'SELECT * FROM ' + table + ' WHERE id = ?'`: string pieces joined, other operands are holes. False when that is not SQL. */
  private readConcatenation(node: ts.BinaryExpression): boolean {
    const leaves: ts.Expression[] = [];
    const flatten = (e: ts.Expression): void => {
      if (isPlus(e)) {
        flatten(e.left);
        flatten(e.right);
      } else leaves.push(e);
    };
    flatten(node);
    const parts: Part[] = [];
    let strings = 0;
    let offset = 0;
    let sqlText = '';
    for (const leaf of leaves) {
      if (ts.isStringLiteral(leaf) || ts.isNoSubstitutionTemplateLiteral(leaf)) {
        parts.push({ at: offset, pos: leaf.getStart(this.sf) + 1, text: leaf.text, multiline: !ts.isStringLiteral(leaf) });
        strings++;
        sqlText += leaf.text;
      } else if (ts.isTemplateExpression(leaf)) {
        for (const p of this.templateParts(leaf, offset)) parts.push(p);
        strings++;
        sqlText += leaf.head.text + leaf.templateSpans.map((s) => HOLE + s.literal.text).join('');
      } else sqlText += HOLE;
      offset = sqlText.length;
    }
    if (strings === 0 || !looksLikeSql(sqlText)) return false;
    this.readSql(parts, sqlText);
    return true;
  }

  private readSql(parts: Part[], joined?: string): void {
    const sqlText = joined ?? parts.map((p) => p.text).join(HOLE);
    const refs = tablesInSql(sqlText);
    if (!refs) return;
    for (const ref of refs) {
      let part = parts[0];
      for (const p of parts) if (p.at <= ref.offset) part = p;
      const local = ref.offset - part.at;
      const pos = part.pos + (part.multiline ? local : 0);
      const access: TableAccess = { name: ref.name, access: ref.access, line: this.line(pos) };
      if (ref.definition) access.definition = true;
      this.out.push(access);
    }
  }

  private ormCall(node: ts.CallExpression, tx: ReadonlySet<string>): void {
    const callee = node.expression;
    if (!ts.isPropertyAccessExpression(callee)) return;
    const op = callee.name.text;
    const args = node.arguments;
    const line = this.line(callee.name.getStart(this.sf));
    if (this.sequelize && op === 'define' && args.length >= 2 && ts.isStringLiteralLike(args[0])) {
      const name = tableOption(args[2], 'tableName') ?? defaultSequelizeName(args[0].text, args[2]);
      this.out.push({ name, access: 'write', line, definition: true });
      return;
    }
    if (this.sequelize && op === 'init' && args.length === 2 && ts.isIdentifier(callee.expression) && ts.isObjectLiteralExpression(args[1])) {
      const opts = args[1];
      if (!['sequelize', 'tableName', 'modelName'].some((p) => findProperty(opts, p))) return;
      const model = tableOption(opts, 'modelName') ?? callee.expression.text;
      this.out.push({ name: tableOption(opts, 'tableName') ?? defaultSequelizeName(model, opts), access: 'write', line, definition: true });
      return;
    }
    const read = PRISMA_READS.has(op);
    if (!read && !PRISMA_WRITES.has(op)) return;
    const model = callee.expression;
    if (!ts.isPropertyAccessExpression(model) || model.name.text.startsWith('$')) return;
    if (!this.isPrismaClient(model.expression, tx)) return;
    this.out.push({ name: prismaModelTable(model.name.text), access: read ? 'read' : 'write', line });
  }

  /** The imported knex factory or `require('knex')`. */
  private isKnexFactory(e: ts.Expression): boolean {
    if (ts.isIdentifier(e)) return this.knexFactories.has(e.text);
    return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0]) && e.arguments[0].text === 'knex';
  }

  private isKnexInstance(e: ts.Expression): boolean {
    if (ts.isIdentifier(e)) return this.knexNames.has(e.text);
    return ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword && this.knexNames.has(e.name.text);
  }

  private isPrismaClient(e: ts.Expression, tx: ReadonlySet<string>): boolean {
    if (ts.isIdentifier(e)) return /prisma/i.test(e.text) || this.prismaNames.has(e.text) || tx.has(e.text);
    return ts.isPropertyAccessExpression(e) && /prisma/i.test(e.name.text);
  }

  /** The callback of `prisma.$transaction(async (tx) => ...)`, whose parameter is a client. */
  private transactionCallback(node: ts.CallExpression): ts.ArrowFunction | ts.FunctionExpression | undefined {
    const callee = node.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== '$transaction') return undefined;
    const fn = node.arguments[0];
    return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn : undefined;
  }

  private entityClass(node: ts.ClassDeclaration): void {
    for (const dec of ts.getDecorators(node) ?? []) {
      const e = dec.expression;
      const callee = ts.isCallExpression(e) ? e.expression : e;
      if (!ts.isIdentifier(callee)) continue;
      const kind = this.decorators.get(callee.text);
      if (!kind) continue;
      const arg = ts.isCallExpression(e) ? e.arguments[0] : undefined;
      const className = node.name?.text ?? 'default';
      const line = this.line(dec.getStart(this.sf));
      if (kind === 'Entity') {
        const name = arg && ts.isStringLiteralLike(arg) ? arg.text : (tableOption(arg, 'name') ?? typeormDefaultTableName(className));
        this.out.push({ name, access: 'write', line, definition: true });
      } else {
        const model = tableOption(arg, 'modelName') ?? className;
        this.out.push({ name: tableOption(arg, 'tableName') ?? defaultSequelizeName(model, arg), access: 'write', line, definition: true });
      }
    }
  }
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
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      out.push({ literal: node, ancestors: [...path] });
      return;
    }
    path.push(node);
    ts.forEachChild(node, (c) => (containsOffset(c) ? visit(c) : undefined));
    path.pop();
  };
  visit(sf);
  return out;
}

function isPlus(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

function findProperty(obj: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | ts.ShorthandPropertyAssignment | undefined {
  return obj.properties.find(
    (p): p is ts.PropertyAssignment | ts.ShorthandPropertyAssignment =>
      (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
  );
}

/** A string-literal option of an options object (`{ tableName: 'users' }`). */
function tableOption(arg: ts.Expression | undefined, name: string): string | undefined {
  if (!arg || !ts.isObjectLiteralExpression(arg)) return undefined;
  const prop = findProperty(arg, name);
  return prop && ts.isPropertyAssignment(prop) && ts.isStringLiteralLike(prop.initializer) ? prop.initializer.text : undefined;
}

/** Sequelize's default: the pluralized model name, or the name itself with `freezeTableName: true`. */
function defaultSequelizeName(model: string, opts: ts.Expression | undefined): string {
  const freeze = opts && ts.isObjectLiteralExpression(opts) ? findProperty(opts, 'freezeTableName') : undefined;
  const frozen = freeze !== undefined && ts.isPropertyAssignment(freeze) && freeze.initializer.kind === ts.SyntaxKind.TrueKeyword;
  return frozen ? model : sequelizeDefaultTableName(model);
}
