import fs from 'node:fs';
import path from 'node:path';

/**
 * The parts of schema.prisma that name tables: models (and views), their `@@map` / `@@schema`, and
 * their relation fields, so `prisma.teamMember` is the table `TeamMember` (or what `@@map` says),
 * `include: { team: true }` reads the model of the field `team`, and an implicit many-to-many
 * relation has its join table `_AToB`.
 */

export interface PrismaField {
  type: string;
  list: boolean;
  /** `@relation("Name")` or `@relation(name: "Name")`. */
  relationName?: string;
  /** `@relation(fields: [...])`: this side holds the foreign key (not an implicit many-to-many). */
  holdsKey: boolean;
}

export interface PrismaModel {
  name: string;
  table: string;
  fields: Map<string, PrismaField>;
}

export interface PrismaSchema {
  models: Map<string, PrismaModel>;
  /** Datasource providers (`postgresql`, `mysql`, `sqlite`, ...). */
  providers: string[];
  files: string[];
}

const BLOCK = /^\s*(model|view|enum|type|datasource|generator)\s+(\w+)\s*\{/;

export function parsePrismaSchema(text: string, into: PrismaSchema): void {
  const lines = text.split(/\r?\n/);
  let current: PrismaModel | undefined;
  let kind = '';
  let schema: string | undefined;
  const finish = (): void => {
    if (current && schema && schema !== 'public') current.table = `${schema}.${current.table}`;
    current = undefined;
    schema = undefined;
  };
  for (const raw of lines) {
    const line = raw.replace(/\/\/.*$/, '');
    const open = BLOCK.exec(line);
    if (open) {
      finish();
      kind = open[1];
      if (kind === 'model' || kind === 'view') {
        current = { name: open[2], table: open[2], fields: new Map() };
        into.models.set(open[2], current);
      }
      continue;
    }
    if (/^\s*\}/.test(line)) {
      finish();
      kind = '';
      continue;
    }
    if (kind === 'datasource') {
      const p = /^\s*provider\s*=\s*"([^"]+)"/.exec(line);
      if (p) into.providers.push(p[1]);
      continue;
    }
    if (!current) continue;
    const map = /^\s*@@map\(\s*(?:name\s*:\s*)?"([^"]+)"/.exec(line);
    if (map) {
      current.table = map[1];
      continue;
    }
    const sch = /^\s*@@schema\(\s*"([^"]+)"/.exec(line);
    if (sch) {
      schema = sch[1];
      continue;
    }
    const field = /^\s*(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
    if (!field) continue;
    const attrs = field[5];
    const relation = /@relation\(([^)]*)\)/.exec(attrs);
    const f: PrismaField = { type: field[2], list: field[3] === '[]', holdsKey: relation !== null && /\bfields\s*:/.test(relation[1]) };
    const name = relation && /^\s*(?:name\s*:\s*)?"([^"]+)"/.exec(relation[1]);
    if (name) f.relationName = name[1];
    current.fields.set(field[1], f);
  }
  finish();
}

/** The join table of an implicit many-to-many relation field, or undefined when the field is not one. */
export function implicitJoinTable(schema: PrismaSchema, model: PrismaModel, field: PrismaField): string | undefined {
  if (!field.list || field.holdsKey) return undefined;
  const other = schema.models.get(field.type);
  if (!other) return undefined;
  const back = [...other.fields.values()].find((f) => f.type === model.name && f.list && f.relationName === field.relationName && (other !== model || f !== field));
  if (!back || back.holdsKey) return undefined;
  const name = field.relationName ?? [model.name, other.name].sort().join('To');
  return `_${name}`;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next', 'out']);

/**
 * The schema files of a project: `*.prisma` under the analyzed directory (a few levels deep) and
 * beside it up to the package root (`analyze src` with `prisma/schema.prisma` next to `src`).
 */
export function findPrismaSchemas(root: string): string[] {
  const found = new Set<string>();
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (depth < 5 && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name), depth + 1);
      } else if (e.name.endsWith('.prisma')) found.add(path.join(dir, e.name));
    }
  };
  walk(root, 0);
  if (fs.existsSync(path.join(root, 'package.json'))) return [...found].sort();
  for (let dir = path.dirname(root), i = 0; i < 3 && dir !== path.dirname(dir); dir = path.dirname(dir), i++) {
    for (const sub of ['', 'prisma', 'prisma/schema']) {
      const d = path.join(dir, sub);
      let names: string[] = [];
      try {
        names = fs.readdirSync(d);
      } catch {
        continue;
      }
      for (const n of names) if (n.endsWith('.prisma')) found.add(path.join(d, n));
    }
    if (fs.existsSync(path.join(dir, 'package.json'))) break;
  }
  return [...found].sort();
}

export function loadPrismaSchema(root: string): PrismaSchema | undefined {
  const files = findPrismaSchemas(root);
  if (files.length === 0) return undefined;
  const schema: PrismaSchema = { models: new Map(), providers: [], files };
  for (const f of files) {
    try {
      parsePrismaSchema(fs.readFileSync(f, 'utf8'), schema);
    } catch {
      // an unreadable schema file leaves its models out; the accessor names stand in
    }
  }
  return schema;
}
