import ts from 'typescript';
import type { AssociationFact, ModelFact, NameRef, RelationFact, RepositoryClassFact } from './facts';
import { exprRef, unwrap } from './scope';
// the typescript bundle exports through getters: read the hot ones once
const { getDecorators, isArrowFunction, isCallExpression, isExpression, isIdentifier, isMethodDeclaration, isObjectLiteralExpression, isPropertyAssignment, isPropertyDeclaration, isShorthandPropertyAssignment, isStringLiteral, isStringLiteralLike, isTypeReferenceNode } = ts;
const SK = ts.SyntaxKind;

/**
 * Model declarations: sequelize-typescript `@Table` classes, TypeORM `@Entity` / `@ChildEntity` /
 * `@ViewEntity` classes with their relation properties, Sequelize `define` / `Model.init`, and
 * Sequelize associations (`A.hasMany(B)`). The table name is decided when composing (naming rules and
 * project settings may come from other files).
 */

/** Decorators and base classes of the ORMs, by their name in the ORM package. */
export type OrmName =
  | 'Table'
  | 'BelongsTo'
  | 'HasMany'
  | 'HasOne'
  | 'BelongsToMany'
  | 'Entity'
  | 'ChildEntity'
  | 'ViewEntity'
  | 'Tree'
  | 'ManyToOne'
  | 'OneToMany'
  | 'OneToOne'
  | 'ManyToMany'
  | 'JoinTable'
  | 'EntityRepository'
  | 'Repository'
  | 'TreeRepository'
  | 'MongoRepository'
  | 'BaseEntity'
  | 'Model';

const SEQUELIZE_TS = new Set<OrmName>(['Table', 'BelongsTo', 'HasMany', 'HasOne', 'BelongsToMany', 'Model']);
const TYPEORM = new Set<OrmName>([
  'Entity',
  'ChildEntity',
  'ViewEntity',
  'Tree',
  'ManyToOne',
  'OneToMany',
  'OneToOne',
  'ManyToMany',
  'JoinTable',
  'EntityRepository',
  'Repository',
  'TreeRepository',
  'MongoRepository',
  'BaseEntity',
]);

/** Local names of what this file imports from typeorm / sequelize-typescript (aliases followed). */
export function ormImports(imports: Record<string, { from: string; name: string }>): Map<string, OrmName> {
  const out = new Map<string, OrmName>();
  for (const [local, b] of Object.entries(imports)) {
    const name = b.name as OrmName;
    if ((b.from === 'typeorm' || b.from.startsWith('@nestjs/typeorm')) && TYPEORM.has(name)) out.set(local, name);
    else if ((b.from === 'sequelize-typescript' && SEQUELIZE_TS.has(name)) || (b.from === 'sequelize' && name === 'Model')) out.set(local, name);
  }
  return out;
}

function decoratorCall(dec: ts.Decorator, names: Map<string, OrmName>): { name: OrmName; args: readonly ts.Expression[] } | undefined {
  const e = dec.expression;
  const callee = isCallExpression(e) ? e.expression : e;
  if (!isIdentifier(callee)) return undefined;
  const name = names.get(callee.text);
  return name ? { name, args: isCallExpression(e) ? e.arguments : [] } : undefined;
}

export interface ClassFacts {
  model?: ModelFact;
  repository?: RepositoryClassFact;
}

/** A class declaration's model or repository facts, if it is one. */
export function readClass(node: ts.ClassDeclaration | ts.ClassExpression, names: Map<string, OrmName>, line: (n: ts.Node) => number, localName?: string): ClassFacts {
  const local = node.name?.text ?? localName ?? 'default';
  const heritage = node.heritageClauses?.find((h) => h.token === SK.ExtendsKeyword)?.types[0];
  const base = heritage && exprRef(heritage.expression);
  const baseOrm = base && !base.member ? names.get(base.local) : undefined;
  const out: ClassFacts = {};
  if (heritage && (baseOrm === 'Repository' || baseOrm === 'TreeRepository' || baseOrm === 'MongoRepository')) {
    const arg = heritage.typeArguments?.[0];
    const entity = arg && isTypeReferenceNode(arg) && isIdentifier(arg.typeName) ? { local: arg.typeName.text } : undefined;
    if (entity) out.repository = { local, entity };
  }
  let model: ModelFact | undefined;
  for (const dec of getDecorators(node) ?? []) {
    const d = decoratorCall(dec, names);
    if (!d) continue;
    const arg = d.args[0];
    if (d.name === 'Table') {
      model = { orm: 'sequelize', local, modelName: stringOption(arg, 'modelName') ?? local, line: line(dec), relations: {} };
      const table = stringOption(arg, 'tableName');
      if (table) model.table = table;
      const freeze = boolOption(arg, 'freezeTableName');
      if (freeze !== undefined) model.freezeTableName = freeze;
      const underscored = boolOption(arg, 'underscored');
      if (underscored !== undefined) model.underscored = underscored;
    } else if (d.name === 'Entity' || d.name === 'ViewEntity' || d.name === 'ChildEntity') {
      model = { orm: 'typeorm', local, modelName: local, line: line(dec), relations: {} };
      const explicit = arg && isStringLiteralLike(arg) ? arg.text : stringOption(arg, 'name');
      const schema = stringOption(arg, 'schema') ?? (d.args[1] ? stringOption(d.args[1], 'schema') : undefined);
      if (explicit && d.name !== 'ChildEntity') model.table = schema && !['public', 'main', 'dbo'].includes(schema) ? `${schema}.${explicit}` : explicit;
      if (d.name === 'ChildEntity') model.child = true;
    } else if (d.name === 'EntityRepository' && arg) {
      const entity = exprRef(arg);
      if (entity) out.repository = { local, entity };
    }
  }
  if (!model) return out;
  if (base) model.base = base;
  if (baseOrm === 'BaseEntity') model.activeRecord = true;
  for (const dec of getDecorators(node) ?? []) {
    const d = decoratorCall(dec, names);
    if (d?.name === 'Tree' && d.args[0] && isStringLiteralLike(d.args[0]) && d.args[0].text === 'closure-table') {
      model.closure = stringOption(d.args[1], 'closureTableName') ?? '';
    }
  }
  for (const member of node.members) {
    if (!isPropertyDeclaration(member) || !(isIdentifier(member.name) || isStringLiteral(member.name))) continue;
    const relation = relationOf(member, names);
    if (relation) model.relations[member.name.text] = relation;
  }
  out.model = model;
  return out;
}

/** `@HasMany(() => Doc)`, `@ManyToOne(type => Zone, …)`, `@BelongsToMany(() => Group, () => GroupUser)`, `@ManyToMany(() => Tag) @JoinTable()`. */
function relationOf(member: ts.PropertyDeclaration, names: Map<string, OrmName>): RelationFact | undefined {
  let relation: RelationFact | undefined;
  let joinTable: string | undefined;
  for (const dec of getDecorators(member) ?? []) {
    const d = decoratorCall(dec, names);
    if (!d) continue;
    if (d.name === 'JoinTable') {
      joinTable = stringOption(d.args[0], 'name') ?? '';
      continue;
    }
    if (!['BelongsTo', 'HasMany', 'HasOne', 'BelongsToMany', 'ManyToOne', 'OneToMany', 'OneToOne', 'ManyToMany'].includes(d.name)) continue;
    const target = d.args[0] && targetOf(d.args[0]);
    if (!target) continue;
    relation = { target };
    if (d.name === 'BelongsToMany') {
      const second = d.args[1];
      const through = second && (isObjectLiteralExpression(second) ? findProperty(second, 'through') : second);
      const value = through && (isPropertyAssignment(through) ? through.initializer : isShorthandPropertyAssignment(through) ? through.name : (through as ts.Expression));
      const t = value && throughOf(value);
      if (t) relation.through = t;
    }
    if (d.name === 'ManyToMany') relation.manyToMany = true;
    // TypeORM lazy relations: typed `Promise<X>`, or `{ lazy: true }`
    if (d.args.some((x) => isObjectLiteralExpression(x) && findProperty(x, 'lazy') !== undefined && (findProperty(x, 'lazy') as ts.PropertyAssignment).initializer?.kind === SK.TrueKeyword)) relation.lazy = true;
  }
  if (relation && member.type && ts.isTypeReferenceNode(member.type) && ts.isIdentifier(member.type.typeName) && member.type.typeName.text === 'Promise') relation.lazy = true;
  if (relation && joinTable !== undefined) relation.joinTable = joinTable;
  return relation;
}

/** `() => X`, `type => X`, `X`, `'X'` (a class name). */
function targetOf(e: ts.Expression): NameRef | undefined {
  e = unwrap(e);
  if (isArrowFunction(e) && isExpression(e.body)) return targetOf(e.body);
  if (isStringLiteralLike(e)) return { local: e.text, member: undefined };
  return exprRef(e);
}

function throughOf(e: ts.Expression): NameRef | { table: string } | undefined {
  e = unwrap(e);
  if (isStringLiteralLike(e)) return { table: e.text };
  if (isObjectLiteralExpression(e)) {
    const model = findProperty(e, 'model');
    return model && isPropertyAssignment(model) ? throughOf(model.initializer) : undefined;
  }
  return targetOf(e);
}

const ASSOCIATIONS = new Set(['hasMany', 'hasOne', 'belongsTo', 'belongsToMany']);

/** `User.hasMany(Post, { as: 'posts' })`, `this.belongsToMany(models.Group, { through: 'user_groups' })`. */
export function readAssociation(owner: NameRef, method: string, args: readonly ts.Expression[]): AssociationFact | undefined {
  if (!ASSOCIATIONS.has(method) || args.length === 0) return undefined;
  const target = exprRef(args[0]);
  if (!target) return undefined;
  const fact: AssociationFact = { owner, target, kind: method as AssociationFact['kind'] };
  const as = stringOption(args[1], 'as');
  if (as) fact.as = as;
  const opts = args[1] && unwrap(args[1]);
  const through = opts && isObjectLiteralExpression(opts) ? findProperty(opts, 'through') : undefined;
  const t = through && isPropertyAssignment(through) ? throughOf(through.initializer) : undefined;
  if (t) fact.through = t;
  return fact;
}

/** `sequelize.define('User', attrs, { tableName })`: a model whose local name is the variable it is assigned to. */
export function readDefine(args: readonly ts.Expression[], local: string | undefined, line: number): ModelFact | undefined {
  if (args.length < 2 || !isStringLiteralLike(args[0])) return undefined;
  return sequelizeModel(local ?? args[0].text, args[0].text, args[2], line);
}

/** `User.init(attrs, { sequelize, tableName, modelName })`. */
export function readInit(local: string, args: readonly ts.Expression[], line: number): ModelFact | undefined {
  const opts = args[1] && unwrap(args[1]);
  if (args.length !== 2 || !isObjectLiteralExpression(opts)) return undefined;
  if (!['sequelize', 'tableName', 'modelName'].some((p) => findProperty(opts, p))) return undefined;
  return sequelizeModel(local, stringOption(opts, 'modelName') ?? local, opts, line);
}

function sequelizeModel(local: string, modelName: string, opts: ts.Expression | undefined, line: number): ModelFact {
  const model: ModelFact = { orm: 'sequelize', local, modelName, line, relations: {} };
  const table = stringOption(opts, 'tableName');
  if (table) model.table = table;
  const freeze = boolOption(opts, 'freezeTableName');
  if (freeze !== undefined) model.freezeTableName = freeze;
  const underscored = boolOption(opts, 'underscored');
  if (underscored !== undefined) model.underscored = underscored;
  return model;
}

export function findProperty(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return obj.properties.find(
    (p) => (isPropertyAssignment(p) || isShorthandPropertyAssignment(p) || isMethodDeclaration(p)) && (isIdentifier(p.name) || isStringLiteral(p.name)) && p.name.text === name,
  );
}

/** The value of a property of an options object, when it is an object literal with that property. */
export function optionValue(arg: ts.Expression | undefined, name: string): ts.Expression | undefined {
  if (!arg) return undefined;
  const obj = unwrap(arg);
  if (!isObjectLiteralExpression(obj)) return undefined;
  const p = findProperty(obj, name);
  if (p && isPropertyAssignment(p)) return p.initializer;
  if (p && isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

/** A string-literal option of an options object (`{ tableName: 'users' }`). */
export function stringOption(arg: ts.Expression | undefined, name: string): string | undefined {
  const v = optionValue(arg, name);
  return v && isStringLiteralLike(v) ? v.text : undefined;
}

function boolOption(arg: ts.Expression | undefined, name: string): boolean | undefined {
  const v = optionValue(arg, name);
  if (v?.kind === SK.TrueKeyword) return true;
  if (v?.kind === SK.FalseKeyword) return false;
  return undefined;
}
