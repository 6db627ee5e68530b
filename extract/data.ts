/**
 * The data split. Owned tables (the candidate's modules write them, and no other module reads or
 * writes them) move to the service's own database: their schema is taken from the monolith's own
 * statements (the modules the report lists as `definedBy`), in the order the monolith applies them,
 * with references to tables that stay behind cut out (one database cannot enforce them on another)
 * and listed. Every other table the service touches is shared: read in the monolith's database.
 */
import ts from 'typescript';
import type { Report, TableUsage } from '../analyzer/types';

export interface SchemaStatement {
  table: string;
  sql: string;
  /** Where the monolith defines it. */
  module: string;
  line: number;
}

export interface CutReference {
  table: string;
  column: string;
  references: string;
  module: string;
  line: number;
}

export interface OwnedSchema {
  statements: SchemaStatement[];
  cut: CutReference[];
  /** Owned tables whose CREATE statement was not found in any `definedBy` module. */
  notFound: string[];
  /** Owned tables, parents before the tables that reference them. */
  order: string[];
}

const q = (name: string) => name.replace(/^["`[]|["`\]]$/g, '').toLowerCase();

export function ownedSchema(report: Report, owned: TableUsage[], readSource: (id: string) => string): OwnedSchema {
  const ownedNames = new Set(owned.map((t) => t.name.toLowerCase()));
  const modules = [...new Set(owned.flatMap((t) => t.definedBy ?? []))].sort();
  const statements: SchemaStatement[] = [];
  const cut: CutReference[] = [];
  const refs = new Map<string, Set<string>>();
  for (const id of modules) {
    for (const lit of sqlLiterals(id, readSource(id))) {
      for (const stmt of splitStatements(lit.text)) {
        const head = /^\s*(CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE(?:\s+IF\s+NOT\s+EXISTS)?|CREATE\s+(?:UNIQUE\s+)?INDEX(?:\s+IF\s+NOT\s+EXISTS)?\s+[^\s(]+\s+ON|ALTER\s+TABLE|CREATE\s+TRIGGER(?:\s+IF\s+NOT\s+EXISTS)?\s+\S+[\s\S]*?\bON)\s+("[^"]+"|`[^`]+`|\[[^\]]+\]|[\w$.]+)/i.exec(stmt.text);
        if (!head) continue;
        const table = q(head[2].split('.').pop()!);
        if (!ownedNames.has(table)) continue;
        const line = lit.line + countLines(lit.text.slice(0, stmt.offset + (stmt.text.length - stmt.text.trimStart().length)));
        let sql = stmt.text.trim();
        if (/^CREATE\s+(TEMP(ORARY)?\s+)?TABLE/i.test(sql)) {
          const r = cutForeignReferences(sql, ownedNames);
          sql = r.sql;
          for (const c of r.cut) cut.push({ table, column: c.column, references: c.references, module: id, line });
          refs.set(table, new Set(r.kept));
        }
        statements.push({ table, sql, module: id, line });
      }
    }
  }
  const created = new Set(statements.filter((s) => /^CREATE\s+(TEMP(ORARY)?\s+)?TABLE/i.test(s.sql)).map((s) => s.table));
  const notFound = owned.map((t) => t.name).filter((n) => !created.has(n.toLowerCase()));
  return { statements, cut, notFound, order: parentsFirst([...created].sort(), refs) };
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** String and template literals of a module that look like SQL schema, with their 1-based lines. */
function sqlLiterals(id: string, text: string): { text: string; line: number }[] {
  const sf = ts.createSourceFile(id, text, ts.ScriptTarget.Latest, true);
  const out: { text: string; line: number }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) {
      if (/\b(CREATE|ALTER)\s/i.test(n.text)) out.push({ text: n.text, line: sf.getLineAndCharacterOfPosition(n.getStart(sf) + 1).line + 1 });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Statements split on `;` outside quotes, comments and BEGIN…END bodies. */
export function splitStatements(sql: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = sql.indexOf(c, i + 1);
      i = end === -1 ? sql.length : end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (/[A-Za-z]/.test(c) && (i === 0 || !/[\w$]/.test(sql[i - 1]))) {
      const word = /^[A-Za-z]+/.exec(sql.slice(i, i + 8))![0].toUpperCase();
      if (word === 'BEGIN') depth++;
      else if (word === 'END' && depth > 0) depth--;
      i += word.length - 1;
    } else if (c === ';' && depth === 0) {
      if (sql.slice(start, i).trim()) out.push({ text: sql.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  if (sql.slice(start).trim()) out.push({ text: sql.slice(start), offset: start });
  return out;
}

/**
 * Removes `REFERENCES other(...)` clauses (and table-level FOREIGN KEY constraints) whose table is
 * not owned: SQLite cannot check a reference into another database file.
 */
export function cutForeignReferences(createSql: string, owned: Set<string>): { sql: string; cut: { column: string; references: string }[]; kept: string[] } {
  const open = createSql.indexOf('(');
  const close = createSql.lastIndexOf(')');
  if (open === -1 || close === -1) return { sql: createSql, cut: [], kept: [] };
  const body = createSql.slice(open + 1, close);
  const parts = splitTopLevel(body);
  const cut: { column: string; references: string }[] = [];
  const kept: string[] = [];
  const out: string[] = [];
  const fkClause = /\s+REFERENCES\s+("[^"]+"|`[^`]+`|\[[^\]]+\]|[\w$]+)\s*(\([^)]*\))?(\s+(ON\s+(DELETE|UPDATE)\s+(SET\s+NULL|SET\s+DEFAULT|CASCADE|RESTRICT|NO\s+ACTION)|MATCH\s+\w+|NOT\s+DEFERRABLE|DEFERRABLE|INITIALLY\s+(DEFERRED|IMMEDIATE)))*/i;
  for (const part of parts) {
    const trimmed = part.trim();
    const tableLevel = /^(CONSTRAINT\s+\S+\s+)?FOREIGN\s+KEY\s*\(([^)]*)\)\s*REFERENCES\s+("[^"]+"|`[^`]+`|\[[^\]]+\]|[\w$]+)/i.exec(trimmed);
    if (tableLevel) {
      const target = q(tableLevel[3]);
      if (owned.has(target)) {
        kept.push(target);
        out.push(part);
      } else cut.push({ column: tableLevel[2].trim(), references: target });
      continue;
    }
    const m = fkClause.exec(part);
    if (m) {
      const target = q(m[1]);
      if (owned.has(target)) kept.push(target);
      else {
        cut.push({ column: q(trimmed.split(/\s+/)[0]), references: `${target}${m[2] ?? ''}` });
        out.push(part.slice(0, m.index) + part.slice(m.index + m[0].length));
        continue;
      }
    }
    out.push(part);
  }
  return { sql: `${createSql.slice(0, open + 1)}${out.join(',')}${createSql.slice(close)}`, cut, kept };
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = body.indexOf(c, i + 1);
      i = end === -1 ? body.length : end;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function parentsFirst(tables: string[], refs: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (seen.has(t) || path.has(t)) return;
    path.add(t);
    for (const r of refs.get(t) ?? []) if (r !== t) visit(r, path);
    seen.add(t);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}
