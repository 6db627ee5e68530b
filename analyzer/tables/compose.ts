import { own, type Access, type ModelFact, type NameRef, type PrismaShape, type Reach, type RefUse, type RelationFact, type RepositoryClassFact, type TableFacts, type TableGap, type TableSettings } from './facts';
import { detectDialect, isPlausibleTableName, isSystemTable, tableKey, type Dialect } from './identity';
import { kyselySnakeCase, plainTableName, prismaModelTable, sequelizeDefaultTableName, typeormDefaultTableName, typeormJoinTableName } from './naming';
import { implicitJoinTable, type PrismaModel, type PrismaSchema } from './prisma-schema';
import {
  SEQUELIZE_INSTANCE_READS,
  SEQUELIZE_INSTANCE_WRITES,
  SEQUELIZE_RELATION_READS,
  SEQUELIZE_RELATION_WRITES,
  SEQUELIZE_STATIC_READS,
  SEQUELIZE_STATIC_WRITES,
  TYPEORM_READS,
  TYPEORM_TREE_READS,
  TYPEORM_WRITES,
  verbAccess,
} from './vocabulary';

/** What composing needs of a parsed module. */
export interface TableModule {
  id: string;
  tableFacts: TableFacts;
  imports: readonly { specifier: string; target?: string; line: number }[];
  exports: { named: ReadonlyMap<string, { specifier: string; name: string }>; stars: readonly string[] };
  packages: ReadonlySet<string>;
}

export interface ComposedAccess {
  name: string;
  access: Access;
  line: number;
  definition?: true;
}

export interface ModuleTables {
  accesses: ComposedAccess[];
  gaps: TableGap[];
}

export interface ComposedTables {
  modules: Map<string, ModuleTables>;
  dialect: Dialect;
  /** Data libraries imported whose accesses are not read, with the importing modules (first import line each), by package. */
  unread: Map<string, { library: string; modules: { module: string; line: number }[] }>;
}

/** Data libraries whose accesses the analyzer does not read: a module importing one has a gap. */
const UNREAD_PACKAGES: Record<string, string> = {
  mongoose: 'Mongoose',
  mongodb: 'the MongoDB driver',
  objection: 'Objection',
  bookshelf: 'Bookshelf',
  '@typegoose/typegoose': 'Typegoose',
  '@supabase/supabase-js': 'the Supabase client',
};

interface ModelRec {
  fact: ModelFact;
  module: string;
  /** Sequelize associations declared anywhere, by relation name, with the module their names resolve in. */
  associations: Map<string, { relation: RelationFact; module: string }>;
}

type Decl =
  | { k: 'model'; rec: ModelRec }
  | { k: 'repository'; fact: RepositoryClassFact; module: string }
  | { k: 'class'; module: string; local: string }
  | { k: 'string'; value: string }
  | { k: 'namespace'; module: string }
  | { k: 'drizzle'; module: string; local: string; name: string }
  /** A top-level function whose Drizzle queries use a parameter as their table. */
  | { k: 'function'; module: string; local: string };

/** A table name and where it is attributed: the using module, or a subclass that hands the name up through `super(...)`. */
interface Attributed {
  value: string;
  module: string;
  line: number;
}

/**
 * Joins the files' table facts: model classes to their declarations (through imports, barrels and
 * CommonJS exports), table-name constants to their values, Prisma accessors to schema.prisma, ORM
 * default names, and names to the database's identity rules. Returns each module's accesses and
 * the accesses it makes whose table could not be read.
 */
export function composeTables(modules: ReadonlyMap<string, TableModule>, options: { prisma?: PrismaSchema } = {}): ComposedTables {
  return new Composer(modules, options.prisma).run();
}

class Composer {
  private readonly specs = new Map<string, Map<string, string | undefined>>();
  private readonly exportCache = new Map<string, Decl | null>();
  private readonly records = new Map<ModelFact, ModelRec>();
  private readonly byName = new Map<string, ModelRec[]>();
  private readonly settings: TableSettings = {};
  private readonly prismaModels = new Map<string, PrismaModel>();
  private subclassIndex: Map<string, { module: string; local: string }[]> | undefined;
  /** Accesses attributed to other modules than the one holding the use (inherited table names). */
  private readonly elsewhere = new Map<string, ComposedAccess[]>();
  /** Drizzle table parameters some caller handed a table to (`module\0fn\0index\0prop`). */
  private readonly handedParams = new Set<string>();
  private drizzleIndex: { keys: Map<string, Decl[]>; relations: Map<string, Map<string, Decl>> } | undefined;
  private lazyIndex: Map<string, ModelRec[]> | undefined;
  readonly dialect: Dialect;

  constructor(
    private readonly modules: ReadonlyMap<string, TableModule>,
    private readonly prisma: PrismaSchema | undefined,
  ) {
    const packages = new Set<string>();
    for (const m of modules.values()) {
      for (const p of m.packages) packages.add(p);
      Object.assign(this.settings, m.tableFacts.settings);
      for (const fact of m.tableFacts.models) {
        const rec: ModelRec = { fact, module: m.id, associations: new Map() };
        this.records.set(fact, rec);
        for (const n of new Set([fact.local, fact.modelName])) this.byName.set(n, [...(this.byName.get(n) ?? []), rec]);
      }
    }
    for (const model of prisma?.models.values() ?? []) this.prismaModels.set(model.name.charAt(0).toLowerCase() + model.name.slice(1), model);
    this.dialect = detectDialect(packages, prisma?.providers);
  }

  run(): ComposedTables {
    this.mergeAssociations();
    const raw = new Map<string, { accesses: ComposedAccess[]; gaps: TableGap[] }>();
    for (const m of this.modules.values()) raw.set(m.id, this.moduleTables(m));
    for (const [id, list] of this.elsewhere) raw.get(id)?.accesses.push(...list);
    for (const m of this.modules.values()) {
      for (const [fn, params] of Object.entries(m.tableFacts.drizzle?.tableParams ?? {})) {
        for (const p of params) {
          if (this.handedParams.has(`${m.id}\0${fn}\0${p.index}\0${p.prop ?? ''}`)) continue;
          raw.get(m.id)?.gaps.push({ line: p.line, what: `a Drizzle query on \`${p.name}\`, a parameter of \`${fn}\` no caller the analyzer found hands a table to` });
        }
      }
    }
    // one spelling per table: a definition's, else the first in name order
    const spelling = new Map<string, string>();
    const all = [...raw.values()].flatMap((t) => t.accesses);
    for (const a of [...all].sort((x, y) => Number(!x.definition) - Number(!y.definition) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
      const key = tableKey(a.name, this.dialect);
      if (!spelling.has(key)) spelling.set(key, a.name);
    }
    const out = new Map<string, ModuleTables>();
    for (const [id, t] of raw) {
      const seen = new Set<string>();
      const accesses: ComposedAccess[] = [];
      for (const a of t.accesses) {
        const name = spelling.get(tableKey(a.name, this.dialect))!;
        const key = `${name}\0${a.access}\0${a.line}\0${a.definition ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        accesses.push({ ...a, name });
      }
      const gapSeen = new Set<string>();
      const gaps = t.gaps.filter((g) => {
        const key = `${g.line}\0${g.what}`;
        return gapSeen.has(key) ? false : (gapSeen.add(key), true);
      });
      out.set(id, { accesses, gaps });
    }
    const unread = new Map<string, { library: string; modules: { module: string; line: number }[] }>();
    for (const [id, t] of out) {
      for (const g of t.gaps) {
        const m = /^uses (.+) \((.+?)\), whose table accesses/.exec(g.what);
        if (!m) continue;
        const pkg = packageName(m[2]);
        const entry = unread.get(pkg) ?? { library: m[1], modules: [] };
        if (!entry.modules.some((x) => x.module === id)) entry.modules.push({ module: id, line: g.line });
        unread.set(pkg, entry);
      }
    }
    return { modules: out, dialect: this.dialect, unread };
  }

  /** Imports of data libraries the analyzer does not read, as gaps (only modules importing such a package are looked at). */
  private unreadLibraries(m: TableModule): TableGap[] {
    const out: TableGap[] = [];
    let any = false;
    for (const p of m.packages) if (UNREAD_PACKAGES[p]) any = true;
    if (!any) return out;
    for (const imp of m.imports) {
      const lib = imp.target === undefined ? UNREAD_PACKAGES[packageName(imp.specifier)] : undefined;
      if (lib) out.push({ line: imp.line, what: `uses ${lib} (${imp.specifier}), whose table accesses the analyzer does not read` });
    }
    return out;
  }

  private moduleTables(m: TableModule): { accesses: ComposedAccess[]; gaps: TableGap[] } {
    const f = m.tableFacts;
    if (f.known.length + f.models.length + f.uses.length + f.prisma.length + f.gaps.length === 0) return { accesses: [], gaps: this.unreadLibraries(m) };
    const accesses: ComposedAccess[] = [];
    const gaps: TableGap[] = [...f.gaps];
    // CamelCasePlugin renames CTEs too: raw SQL beside the builder may use either spelling
    const ctes = f.ctes ? new Set(f.ctes.flatMap((c) => [c, this.kysely(c)])) : undefined;
    const add = (name: string | undefined, access: Access, line: number, definition?: boolean): void => {
      if (name === undefined || !isPlausibleTableName(name) || isSystemTable(name) || ctes?.has(name)) return;
      accesses.push(definition ? { name, access, line, definition: true } : { name, access, line });
    };
    for (const a of f.known) add(a.kysely ? this.kysely(a.name) : a.name, a.access, a.line, a.definition);
    for (const model of f.models) add(this.tableOf(this.records.get(model)!), 'write', model.line, true);
    for (const u of f.uses) this.use(m, u, add, gaps);
    for (const p of f.prisma) this.prismaUse(p.accessor, p.access, p.line, p.shape, add);
    for (const lib of this.unreadLibraries(m)) gaps.push(lib);
    accesses.sort((a, b) => a.line - b.line || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    gaps.sort((a, b) => a.line - b.line);
    return { accesses, gaps };
  }

  private kysely(name: string): string {
    return this.settings.kyselyCamelCase ? name.split('.').map(kyselySnakeCase).join('.') : name;
  }

  // ---- uses ---------------------------------------------------------------------------------

  private use(m: TableModule, u: RefUse, add: (name: string | undefined, access: Access, line: number, definition?: boolean) => void, gaps: TableGap[]): void {
    const definition = u.op === 'define';
    if (u.as === 'drizzle') return this.drizzleUse(m, u, add, gaps);
    if (u.via === 'lazy') return this.lazyUse(m, u, add, gaps);
    if (u.as === 'table') {
      const values = this.stringsOf(m.id, u);
      if (values) {
        for (const v of values) {
          const plain = u.template ? plainTableName(v.value) : v.value;
          const name = plain !== undefined && u.fold ? plain.toLowerCase() : plain;
          if (name === undefined) continue;
          const finalName = u.kysely ? this.kysely(name) : name;
          if (v.module === m.id) add(finalName, u.access ?? 'read', v.line, definition);
          else if (isPlausibleTableName(finalName) && !isSystemTable(finalName)) {
            const list = this.elsewhere.get(v.module) ?? [];
            list.push({ name: finalName, access: u.access ?? 'read', line: v.line, ...(definition ? { definition: true as const } : {}) });
            this.elsewhere.set(v.module, list);
          }
        }
        return;
      }
      const d = u.template ? undefined : this.resolve(m.id, u.ref);
      if (d?.k === 'model') add(this.tableOf(d.rec), u.access ?? 'read', u.line, definition);
      else gaps.push({ line: u.line, what: `a table name from \`${refText(u.ref)}\`, which the analyzer cannot resolve to a string` });
      return;
    }
    let decl = u.byName ? undefined : this.resolve(m.id, u.ref);
    let via = u.via;
    if (decl?.k === 'repository') {
      const entity = this.resolve(decl.module, decl.fact.entity);
      decl = entity;
      via = 'repository';
    }
    let rec = decl?.k === 'model' ? decl.rec : undefined;
    if (!rec && (u.byName || (u.ref.member && !this.isPackageBinding(m.id, u.ref.local)))) rec = this.unique(u.ref.member ?? u.ref.local);
    if (u.via === 'handed') {
      // a repository handed to a library (a session store): what it does with it is not read, so both
      if (!u.to || !this.isPackageBinding(m.id, u.to.callee.local)) return;
      if (!rec) return void gaps.push({ line: u.line, what: `a repository of \`${refText(u.ref)}\` handed to \`${u.to.text}\`, whose entity the analyzer cannot find` });
      add(this.tableOf(rec), 'read', u.line);
      add(this.tableOf(rec), 'write', u.line);
      return;
    }
    if (!rec) {
      // `${X.tableName}` in SQL where X is no model we know
      if (u.via === undefined && !u.byName) gaps.push({ line: u.line, what: `SQL with its table name from \`${refText(u.ref)}\`, which is no model the analyzer knows` });
      else if (via === 'repository' && u.byName) {
        // a TypeORM string target names an entity or a table; no entity has that name
        add(u.ref.local, u.access ?? this.classify('typeorm', 'repository', u.op) ?? 'read', u.line, definition);
      } else if (via === 'repository' && !decl) {
        gaps.push({ line: u.line, what: `a repository of \`${refText(u.ref)}\`, which the analyzer cannot find as an entity` });
      }
      return;
    }
    if (definition) return add(this.tableOf(rec), 'write', u.line, true);
    const relationOnly = u.op !== undefined && (SEQUELIZE_RELATION_READS.has(u.op) || SEQUELIZE_RELATION_WRITES.has(u.op));
    const access = u.access ?? (relationOnly ? undefined : this.classify(rec.fact.orm, via ?? 'static', u.op, rec));
    if (!access && !relationOnly) return;
    if (access) {
      add(this.tableOf(rec), access, u.line);
      // a closure table is kept by writes and read by the tree queries
      if (rec.fact.closure !== undefined && (access === 'write' || (u.op !== undefined && TYPEORM_TREE_READS.has(u.op)))) add(this.closureOf(rec), access, u.line);
    }
    const reachAccess: Access = u.op !== undefined && SEQUELIZE_RELATION_WRITES.has(u.op) ? 'write' : 'read';
    if (u.reach) this.reach(m.id, rec, u.reach, reachAccess, u.line, add, 0);
  }

  /**
   * The strings a table-name use names: one constant or a template of constants; `this.<member>` set
   * from a constructor parameter is filled in by each subclass's `super(...)` (attributed to it).
   */
  private stringsOf(module: string, u: RefUse): Attributed[] | undefined {
    const refs = u.template?.refs ?? [u.ref];
    const parts = u.template?.parts ?? ['', ''];
    const values: string[] = [];
    let param: number | undefined;
    let at = -1;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      if (ref.local === 'this' && ref.member && u.ofClass) {
        const r = this.thisMember(module, u.ofClass, ref.member);
        if (!r || param !== undefined) return undefined;
        if ('value' in r) values.push(r.value);
        else {
          param = r.param;
          at = i;
          values.push('');
        }
        continue;
      }
      const d = this.resolve(module, ref);
      if (d?.k !== 'string') return undefined;
      values.push(d.value);
    }
    const join = (vals: string[]): string => parts[0] + vals.map((v, i) => v + parts[i + 1]).join('');
    if (param === undefined) return [{ value: join(values), module, line: u.line }];
    const out: Attributed[] = [];
    for (const sub of this.handedUp(module, u.ofClass!, param, 0)) {
      const vals = [...values];
      vals[at] = sub.value;
      out.push({ ...sub, value: join(vals) });
    }
    return out.length ? out : undefined;
  }

  /** `this.member` of a class: a string its base receives from `super(...)`, or the constructor parameter it comes from. */
  private thisMember(module: string, cls: string, member: string, depth = 0): { value: string } | { param: number } | undefined {
    const cf = this.modules.get(module)?.tableFacts.classes?.[cls];
    if (!cf || depth > 8) return undefined;
    if (cf.members?.[member] !== undefined) return { param: cf.members[member] };
    const base = cf.base && this.resolve(module, cf.base);
    if (!base || base.k !== 'class') return undefined;
    const r = this.thisMember(base.module, base.local, member, depth + 1);
    if (!r || 'value' in r) return r;
    const arg = cf.superArgs?.[r.param];
    if (typeof arg === 'string') return { value: arg };
    return arg ? { param: arg.param } : undefined;
  }

  /** What the subclasses of a class pass for one of its constructor parameters, each in its own module. */
  private handedUp(module: string, cls: string, param: number, depth: number): Attributed[] {
    if (depth > 8) return [];
    const out: Attributed[] = [];
    for (const sub of this.subclasses().get(`${module}\0${cls}`) ?? []) {
      const cf = this.modules.get(sub.module)!.tableFacts.classes![sub.local];
      const arg = cf.superArgs?.[param];
      if (typeof arg === 'string') out.push({ value: arg, module: sub.module, line: cf.line });
      else if (arg) out.push(...this.handedUp(sub.module, sub.local, arg.param, depth + 1));
    }
    return out;
  }

  private subclasses(): Map<string, { module: string; local: string }[]> {
    if (this.subclassIndex) return this.subclassIndex;
    const index = new Map<string, { module: string; local: string }[]>();
    for (const m of this.modules.values()) {
      for (const [local, cf] of Object.entries(m.tableFacts.classes ?? {})) {
        const base = cf.base && this.resolve(m.id, cf.base);
        if (!base || base.k !== 'class') continue;
        const key = `${base.module}\0${base.local}`;
        index.set(key, [...(index.get(key) ?? []), { module: m.id, local }]);
      }
    }
    return (this.subclassIndex = index);
  }

  /** What an operation does, once the model's ORM is known. */
  private classify(orm: 'sequelize' | 'typeorm', via: NonNullable<RefUse['via']>, op: string | undefined, rec?: ModelRec): Access | undefined {
    if (op === undefined) return 'read';
    if (orm === 'sequelize') {
      if (via === 'instance') return SEQUELIZE_INSTANCE_WRITES.has(op) ? 'write' : SEQUELIZE_INSTANCE_READS.has(op) ? 'read' : verbAccess(op) === 'write' ? 'write' : undefined;
      if (via === 'argument') return verbAccess(op);
      return SEQUELIZE_STATIC_READS.has(op) ? 'read' : SEQUELIZE_STATIC_WRITES.has(op) ? 'write' : verbAccess(op);
    }
    if (via === 'instance') {
      if (!rec || !this.activeRecord(rec)) return undefined;
      return op === 'save' || op === 'remove' || op === 'softRemove' || op === 'recover' ? 'write' : op === 'reload' ? 'read' : undefined;
    }
    if (via === 'static' && !(rec && this.activeRecord(rec))) return verbAccess(op);
    return TYPEORM_READS.has(op) ? 'read' : TYPEORM_WRITES.has(op) ? 'write' : verbAccess(op);
  }

  /** TypeORM's closure-table name: `<table>_closure`, or `<closureTableName>_closure`. */
  private closureOf(rec: ModelRec): string {
    return `${rec.fact.closure || this.tableOf(rec)}_closure`;
  }

  private reach(module: string, from: ModelRec, reaches: Reach[], access: Access, line: number, add: (name: string | undefined, access: Access, line: number) => void, depth: number): void {
    if (depth > 6) return;
    for (const r of reaches) {
      let rec: ModelRec | undefined = from;
      const a = r.access ?? access;
      if (r.ref) {
        const d = r.byName ? undefined : this.resolve(module, r.ref);
        rec = d?.k === 'model' ? d.rec : r.byName || r.ref.member ? this.unique(r.ref.member ?? r.ref.local) : undefined;
        if (!rec && r.byName) add(r.ref.local, a, line);
      }
      for (const prop of r.path ?? []) {
        if (!rec) break;
        const step = this.relation(rec, prop);
        if (!step) {
          rec = undefined;
          break;
        }
        for (const t of step.joinTables) add(t, a, line);
        rec = step.target;
      }
      if (!rec || (rec === from && !r.ref && !r.path?.length)) continue;
      add(this.tableOf(rec), a, line);
      if (r.sub) this.reach(module, rec, r.sub, access, line, add, depth + 1);
    }
  }

  /** The model a relation property leads to, and the join tables on the way. */
  private relation(rec: ModelRec, prop: string): { target: ModelRec; joinTables: string[]; lazy?: true } | undefined {
    const own = rec.fact.relations[prop];
    const entry = own ? { relation: own, module: rec.module } : rec.associations.get(prop);
    if (!entry) {
      // a relation inherited from a base model class
      const base = this.baseOf(rec);
      return base ? this.relation(base, prop) : undefined;
    }
    const { relation, module } = entry;
    const target = this.modelOf(module, relation.target);
    if (!target) return undefined;
    const joinTables: string[] = [];
    if (relation.through) {
      if ('table' in relation.through) joinTables.push(relation.through.table);
      else {
        const through = this.modelOf(module, relation.through);
        if (through) joinTables.push(this.tableOf(through));
      }
    }
    if (relation.manyToMany) {
      if (relation.joinTable !== undefined) joinTables.push(relation.joinTable || typeormJoinTableName(this.tableOf(rec), prop, this.tableOf(target)));
      else {
        // the owning side (with @JoinTable) names it
        for (const [otherProp, other] of Object.entries(target.fact.relations)) {
          if (!other.manyToMany || other.joinTable === undefined || this.modelOf(target.module, other.target) !== rec) continue;
          joinTables.push(other.joinTable || typeormJoinTableName(this.tableOf(target), otherProp, this.tableOf(rec)));
        }
      }
    }
    return relation.lazy ? { target, joinTables, lazy: true } : { target, joinTables };
  }

  // ---- TypeORM lazy relations ---------------------------------------------------------------

  /**
   * `await note.aliases` reads the relation's target when the relation is lazy. The instance's type
   * names the entity; an untyped instance is matched by the relation's name: one entity with such a
   * lazy relation gives its target, several are a gap.
   */
  private lazyUse(m: TableModule, u: RefUse, add: (name: string | undefined, access: Access, line: number) => void, gaps: TableGap[]): void {
    const path = u.reach?.[0]?.path ?? [];
    if (path.length === 0) return;
    let rec: ModelRec | undefined;
    if (!u.byName) {
      const d = this.resolve(m.id, u.ref);
      if (d?.k !== 'model') return;
      rec = d.rec;
    } else {
      const owners = this.lazyOwners(path[0], path.length === 1);
      if (owners.length === 0) return;
      const targets = new Set(owners.map((o) => this.relation(o, path[0])?.target).filter((t) => t !== undefined).map((t) => this.tableOf(t!)));
      if (targets.size > 1) {
        gaps.push({ line: u.line, what: `awaits \`.${path.join('.')}\` on a value of no written type: a lazy relation of ${owners.map((o) => o.fact.modelName).sort().join(', ')}, which the analyzer cannot tell apart` });
        return;
      }
      rec = owners[0];
    }
    for (let i = 0; i < path.length && rec; i++) {
      const step = this.relation(rec, path[i]);
      if (!step) return;
      if (i === path.length - 1 && step.lazy) {
        for (const t of step.joinTables) add(t, 'read', u.line);
        add(this.tableOf(step.target), 'read', u.line);
      }
      rec = step.target;
    }
  }

  /** Entities with a relation of this name (a lazy one when `lazy`). */
  private lazyOwners(prop: string, lazy: boolean): ModelRec[] {
    if (!this.lazyIndex) {
      this.lazyIndex = new Map();
      for (const rec of this.records.values()) {
        for (const [name, r] of Object.entries(rec.fact.relations)) {
          const key = `${r.lazy ? 'l' : 'e'}\0${name}`;
          this.lazyIndex.set(key, [...(this.lazyIndex.get(key) ?? []), rec]);
        }
      }
    }
    return [...(this.lazyIndex.get(`l\0${prop}`) ?? []), ...(lazy ? [] : (this.lazyIndex.get(`e\0${prop}`) ?? []))];
  }

  // ---- Drizzle ------------------------------------------------------------------------------

  /**
   * A Drizzle use: a binding in a builder position (kept when it is a table), a relational query by
   * its schema key with its `with` relations, or a table handed to a function: into a parameter its
   * queries use (attributed to that function's module, like a table name handed up through `super`), or
   * to a library (read and write: what it does is not read).
   */
  private drizzleUse(m: TableModule, u: RefUse, add: (name: string | undefined, access: Access, line: number) => void, gaps: TableGap[]): void {
    if (u.byName) {
      const found = this.drizzleTables().keys.get(u.ref.local) ?? [];
      const table = found.length === 1 ? found[0] : undefined;
      if (table?.k !== 'drizzle') return void gaps.push({ line: u.line, what: `a Drizzle relational query on \`${u.ref.local}\`, which the analyzer cannot find in the schema` });
      add(table.name, 'read', u.line);
      if (u.reach) this.drizzleReach(table, u.reach, u.line, add, 0);
      return;
    }
    const d = this.resolve(m.id, u.ref);
    if (d?.k !== 'drizzle') return;
    if (u.via !== 'handed') return add(d.name, u.access ?? 'read', u.line);
    const to = u.to!;
    if (this.isPackageBinding(m.id, to.callee.local)) {
      add(d.name, 'read', u.line);
      add(d.name, 'write', u.line);
      return;
    }
    const fn = this.resolve(m.id, to.callee);
    if (fn?.k !== 'function') return;
    const params = this.modules.get(fn.module)!.tableFacts.drizzle!.tableParams![fn.local].filter((p) => p.index === to.index && (p.prop ?? '') === (to.prop ?? ''));
    if (params.length === 0) return;
    this.handedParams.add(`${fn.module}\0${fn.local}\0${to.index}\0${to.prop ?? ''}`);
    for (const p of params) {
      if (fn.module === m.id) add(d.name, p.access, p.line);
      else {
        const list = this.elsewhere.get(fn.module) ?? [];
        list.push({ name: d.name, access: p.access, line: p.line });
        this.elsewhere.set(fn.module, list);
      }
    }
  }

  private drizzleReach(from: Decl & { k: 'drizzle' }, reaches: Reach[], line: number, add: (name: string | undefined, access: Access, line: number) => void, depth: number): void {
    if (depth > 6) return;
    const rels = this.drizzleTables().relations.get(`${from.module}\0${from.local}`);
    for (const r of reaches) {
      const target = r.path?.[0] !== undefined ? rels?.get(r.path[0]) : undefined;
      if (target?.k !== 'drizzle') continue;
      add(target.name, 'read', line);
      if (r.sub) this.drizzleReach(target, r.sub, line, add, depth + 1);
    }
  }

  /** Relational-query keys (schema keys, else the tables' own names) and each table's relations. */
  private drizzleTables(): { keys: Map<string, Decl[]>; relations: Map<string, Map<string, Decl>> } {
    if (this.drizzleIndex) return this.drizzleIndex;
    const keys = new Map<string, Decl[]>();
    const relations = new Map<string, Map<string, Decl>>();
    const push = (key: string, d: Decl | undefined): void => {
      if (d?.k !== 'drizzle') return;
      const list = keys.get(key) ?? [];
      if (!list.some((x) => x.k === 'drizzle' && x.module === d.module && x.local === d.local)) list.push(d);
      keys.set(key, list);
    };
    const explicit = new Set<string>();
    for (const m of this.modules.values()) {
      for (const [key, ref] of Object.entries(m.tableFacts.drizzle?.schemaKeys ?? {})) {
        explicit.add(key);
        push(key, this.resolve(m.id, ref));
      }
    }
    for (const m of this.modules.values()) {
      const dz = m.tableFacts.drizzle;
      for (const t of dz?.tables ?? []) if (!explicit.has(t.local)) push(t.local, { k: 'drizzle', module: m.id, local: t.local, name: t.name });
      for (const r of dz?.relations ?? []) {
        const owner = this.resolve(m.id, r.owner);
        if (owner?.k !== 'drizzle') continue;
        const key = `${owner.module}\0${owner.local}`;
        const map = relations.get(key) ?? new Map<string, Decl>();
        for (const [name, rel] of Object.entries(r.relations)) {
          const target = this.resolve(m.id, rel.target);
          if (target) map.set(name, target);
        }
        relations.set(key, map);
      }
    }
    return (this.drizzleIndex = { keys, relations });
  }

  private modelOf(module: string, ref: NameRef): ModelRec | undefined {
    const d = this.resolve(module, ref);
    if (d?.k === 'model') return d.rec;
    if (!d && !this.isPackageBinding(module, ref.local)) return this.unique(ref.member ?? ref.local);
    return undefined;
  }

  private unique(name: string): ModelRec | undefined {
    const list = this.byName.get(name);
    return list && new Set(list).size === 1 ? list[0] : undefined;
  }

  // ---- Prisma -------------------------------------------------------------------------------

  private prismaUse(accessor: string, access: Access, line: number, shape: PrismaShape | undefined, add: (name: string | undefined, access: Access, line: number) => void): void {
    const model = this.prismaModels.get(accessor);
    if (!model) {
      add(prismaModelTable(accessor), access, line);
      return;
    }
    add(model.table, access, line);
    if (shape) this.prismaShape(model, shape, line, add, 0);
  }

  private prismaShape(model: PrismaModel, shape: PrismaShape, line: number, add: (name: string | undefined, access: Access, line: number) => void, depth: number): void {
    if (depth > 8) return;
    for (const [field, s] of Object.entries(shape)) {
      const f = model.fields.get(field);
      const related = f && this.prisma?.models.get(f.type);
      if (!f || !related) continue;
      add(related.table, s.access, line);
      const join = implicitJoinTable(this.prisma!, model, f);
      if (join) add(join, s.access, line);
      if (s.sub) this.prismaShape(related, s.sub, line, add, depth + 1);
    }
  }

  // ---- models -------------------------------------------------------------------------------

  private tableOf(rec: ModelRec, depth = 0): string {
    const f = rec.fact;
    if (f.orm === 'sequelize') {
      return f.table ?? sequelizeDefaultTableName(f.modelName, { freezeTableName: f.freezeTableName ?? this.settings.sequelizeFreeze, underscored: f.underscored ?? this.settings.sequelizeUnderscored });
    }
    if (f.child && depth < 8) {
      const base = this.baseOf(rec);
      if (base) return this.tableOf(base, depth + 1);
    }
    return f.table ?? typeormDefaultTableName(f.modelName);
  }

  private baseOf(rec: ModelRec): ModelRec | undefined {
    if (!rec.fact.base) return undefined;
    const d = this.resolve(rec.module, rec.fact.base);
    return d?.k === 'model' && d.rec !== rec ? d.rec : undefined;
  }

  private activeRecord(rec: ModelRec, depth = 0): boolean {
    if (rec.fact.activeRecord) return true;
    const base = depth < 8 ? this.baseOf(rec) : undefined;
    return base ? this.activeRecord(base, depth + 1) : false;
  }

  /** Sequelize `A.hasMany(B, { as })` calls become relations of A, named by `as` or Sequelize's default. */
  private mergeAssociations(): void {
    for (const m of this.modules.values()) {
      for (const a of m.tableFacts.associations) {
        const owner = this.modelOf(m.id, a.owner);
        const target = this.modelOf(m.id, a.target);
        if (!owner || !target) continue;
        const name = a.as ?? (a.kind === 'hasMany' || a.kind === 'belongsToMany' ? sequelizeDefaultTableName(target.fact.modelName) : target.fact.modelName);
        const relation: RelationFact = { target: a.target };
        if (a.through) relation.through = a.through;
        owner.associations.set(name, { relation, module: m.id });
      }
    }
  }

  // ---- names across files -------------------------------------------------------------------

  private target(module: string, specifier: string): string | undefined {
    let map = this.specs.get(module);
    if (!map) {
      map = new Map();
      for (const imp of this.modules.get(module)?.imports ?? []) if (!map.has(imp.specifier) || imp.target) map.set(imp.specifier, imp.target);
      this.specs.set(module, map);
    }
    return map.get(specifier);
  }

  private isPackageBinding(module: string, local: string): boolean {
    const b = own(this.modules.get(module)?.tableFacts.imports, local);
    return b !== undefined && this.target(module, b.from) === undefined;
  }

  /** What a name means in a module: a model, a repository class, a string constant, a namespace. */
  private resolve(module: string, ref: NameRef, depth = 0): Decl | undefined {
    const m = this.modules.get(module);
    if (!m || depth > 16) return undefined;
    const f = m.tableFacts;
    const { local, member } = ref;
    if (!member) {
      const model = f.models.find((x) => x.local === local);
      if (model) return { k: 'model', rec: this.records.get(model)! };
      const repo = f.repositories.find((x) => x.local === local);
      if (repo) return { k: 'repository', fact: repo, module };
      if (f.classes?.[local]) return { k: 'class', module, local };
      const dz = f.drizzle;
      if (dz) {
        const table = dz.tables?.find((t) => t.local === local);
        if (table) return { k: 'drizzle', module, local, name: table.name };
        if (dz.tableParams?.[local]) return { k: 'function', module, local };
      }
    }
    const constant = own(f.constants, member ? `${local}.${member}` : local);
    if (constant !== undefined) return { k: 'string', value: constant };
    const b = own(f.imports, local);
    if (!b) return undefined;
    const target = this.target(module, b.from);
    if (target === undefined) return undefined;
    if (b.name === '*') return member ? this.resolveExport(target, member, undefined, depth + 1) : { k: 'namespace', module: target };
    const d = this.resolveExport(target, b.name, member, depth + 1);
    if (d || !member) return d;
    // `models.User` where models is a namespace re-exported under a name, or a default-exported object of models
    const ns = this.resolveExport(target, b.name, undefined, depth + 1);
    if (ns?.k === 'namespace') return this.resolveExport(ns.module, member, undefined, depth + 1);
    return this.resolveExport(target, member, undefined, depth + 1);
  }

  /** An export of a module, optionally one member of it (`TABLES.users`). */
  private resolveExport(module: string, name: string, member: string | undefined, depth: number): Decl | undefined {
    const key = `${module}\0${name}\0${member ?? ''}`;
    const cached = this.exportCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    this.exportCache.set(key, null);
    const d = this.findExport(module, name, member, depth);
    this.exportCache.set(key, d ?? null);
    return d;
  }

  private findExport(module: string, name: string, member: string | undefined, depth: number): Decl | undefined {
    const m = this.modules.get(module);
    if (!m || depth > 16) return undefined;
    const local = own(m.tableFacts.exports, name);
    if (local !== undefined) return this.resolve(module, member ? { local, member } : { local }, depth + 1);
    const named = m.exports.named.get(name);
    if (named) {
      const target = this.target(module, named.specifier);
      if (target === undefined) return undefined;
      if (named.name === '*') return member ? this.resolveExport(target, member, undefined, depth + 1) : { k: 'namespace', module: target };
      return this.resolveExport(target, named.name, member, depth + 1);
    }
    // a name declared here but exported without facts (no uses, models or constants): nothing to find
    for (const star of m.exports.stars) {
      const target = this.target(module, star);
      const d = target === undefined ? undefined : this.resolveExport(target, name, member, depth + 1);
      if (d) return d;
    }
    return undefined;
  }
}

function refText(ref: NameRef): string {
  return ref.member ? `${ref.local}.${ref.member}` : ref.local;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
