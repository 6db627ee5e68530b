import { tokenize, type Token } from './sql-tokens';

export interface SqlTableRef {
  /** undefined when the name is built from a substitution (`FROM ${table}`, `audit.${t}`). */
  name?: string;
  /** The substitution's index (0-based, in text order) when the whole name is one substitution. */
  hole?: number;
  access: 'read' | 'write';
  /** Schema statements (CREATE / ALTER / DROP TABLE, CREATE VIEW / INDEX): writes that define rather than change data. */
  definition: boolean;
  /** Offset of the table name in the SQL text. */
  offset: number;
}

/** The statement keywords a string must start with (after whitespace, comments and `(`) to be read as SQL. */
const STARTERS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'CREATE', 'ALTER', 'DROP', 'WITH', 'TRUNCATE', 'MERGE']);
const STARTERS_LOWER = new Set([...STARTERS].map((w) => w.toLowerCase()));

/** Words that cannot be an unquoted table name or alias; also the words that open a parenthesised group rather than a call. */
const RESERVED = new Set(
  (
    'SELECT FROM WHERE JOIN ON USING SET VALUES GROUP ORDER BY HAVING LIMIT OFFSET UNION ALL AND OR NOT AS INTO ' +
    'INNER LEFT RIGHT FULL CROSS NATURAL OUTER TABLE INDEX IF EXISTS DEFAULT RETURNING WITH FOR DO CONFLICT NULL IS IN ' +
    'LIKE BETWEEN CASE WHEN THEN ELSE END DISTINCT LATERAL ONLY WINDOW EXCEPT INTERSECT ANY SOME INSERT UPDATE DELETE ' +
    'CREATE DROP ALTER VIEW FETCH STRAIGHT_JOIN WINDOW RECURSIVE MATERIALIZED INDEXED TABLESAMPLE OUTPUT KEY PRIMARY ' +
    'REFERENCES CHECK UNIQUE CONSTRAINT FOREIGN ESCAPE COLLATE OVER PARTITION FILTER WITHIN ROWS RANGE'
  ).split(' '),
);
/** What may follow a table reference (and its alias) in FROM/JOIN/UPDATE/DELETE positions. */
const FOLLOW = new Set(
  (
    'WHERE JOIN INNER LEFT RIGHT FULL CROSS NATURAL OUTER ON USING GROUP ORDER HAVING LIMIT OFFSET UNION INTERSECT ' +
    'EXCEPT WINDOW SET VALUES SELECT DEFAULT RETURNING FOR FETCH WITH INDEXED NOT STRAIGHT_JOIN TABLESAMPLE OUTPUT ' +
    'OVERRIDING AS CASCADE RESTRICT LOCK'
  ).split(' '),
);
/** Unquoted "table names" that betray English prose (`select items from the list`). */
const PROSE = new Set('THE A AN THIS THAT THESE THOSE YOUR MY OUR THEIR ITS HIS HER ANY EACH EVERY YOU WE IT'.split(' '));
/** Schemas that name the default namespace: `main.users` is `users`. */
const DEFAULT_SCHEMAS = new Set(['main', 'public', 'dbo']);

/** Cheap test: does this text start like a SQL statement? */
export function looksLikeSql(text: string): boolean {
  return startsStatement(text, 0);
}

/**
 * A superset of the quotes that open SQL: a quote, blanks or `(`, then a comment or a whole statement
 * keyword (any case; `startsStatement` is the exact test). It runs over every file's whole text: one
 * regex skipping to the few plausible quotes costs about half of visiting every quote from JavaScript,
 * and naming the keywords in it leaves few quotes for JavaScript to look at (effect: 1.5k, not 69k).
 */
const SQL_QUOTE = new RegExp(`['"\`][\\s(]*(?:--|/\\*|(?:${[...STARTERS].join('|')})(?![a-zA-Z0-9_$]))`, 'gi');

/** Offsets of the quotes and backticks in a file's text that open something starting like SQL: the places worth parsing. */
export function sqlOpenings(text: string): number[] {
  const out: number[] = [];
  // a match holds no quote but its first, so no candidate is skipped
  SQL_QUOTE.lastIndex = 0;
  for (let m = SQL_QUOTE.exec(text); m; m = SQL_QUOTE.exec(text)) if (startsStatement(text, m.index + 1)) out.push(m.index);
  return out;
}

/** Whether, from `i`, after blanks, `--`/`/* *\/` comments and `(`, a statement keyword follows. */
function startsStatement(text: string, i: number): boolean {
  const n = text.length;
  for (;;) {
    while (i < n && (isBlank(text.charCodeAt(i)) || text.charCodeAt(i) === 40)) i++;
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      if (end < 0) return false;
      i = end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return false;
      i = end + 2;
    } else break;
  }
  let k = i;
  while (k < n && k - i <= 8 && isLetter(text.charCodeAt(k))) k++;
  if (k - i < 4 || k - i > 8 || (k < n && isWordChar(text.charCodeAt(k)))) return false;
  return STARTERS_LOWER.has(text.slice(i, k).toLowerCase());
}

function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isWordChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/**
 * The tables a SQL text reads and writes, in order of appearance; undefined when the text turns out
 * not to be SQL (prose that happens to start with a keyword). Unquoted names are lower-cased (SQL folds
 * them), quoted names kept as written; CTE names are not tables.
 */
export function tablesInSql(sql: string): SqlTableRef[] | undefined {
  if (!looksLikeSql(sql) || readsLikeProse(sql)) return undefined;
  return new SqlScan(tokenize(sql)).run();
}

/** Upper-case SQL evidence a sentence does not have: `*`, `=`, `?`, `$1`, or a clause keyword in capitals. */
const SQL_EVIDENCE = /[*=?]|\$\d|\b(?:FROM|WHERE|VALUES|SET|JOIN|INTO|TABLE)\b/;

/**
 * A statement keyword written as a sentence starts (`Delete user accounts from infra`, `Update the
 * settings`): SQL keywords are written in capitals or in lower case, so a capitalised first word
 * is prose unless the text carries SQL evidence besides.
 */
function readsLikeProse(sql: string): boolean {
  const m = /^(?:[\s(]|--[^\n]*\n|\/\*[\s\S]*?\*\/)*([A-Za-z]+)/.exec(sql);
  if (!m) return false;
  const word = m[1];
  const mixed = word !== word.toUpperCase() && word !== word.toLowerCase();
  return mixed && !SQL_EVIDENCE.test(sql);
}

interface NameAt {
  /** undefined for a name built from a substitution (`FROM ${table}`). */
  name?: string;
  /** Index of the substitution when the name is exactly one. */
  hole?: number;
  offset: number;
  next: number;
}

class SqlScan {
  private readonly refs: SqlTableRef[] = [];
  private readonly ctes = new Set<string>();
  private invalid = false;

  constructor(private readonly t: Token[]) {}

  run(): SqlTableRef[] | undefined {
    let first = 0;
    while (this.isPunct(first, '(')) first++;
    if (!this.isWord(first) || !STARTERS.has(this.t[first].text)) return undefined;
    this.collectCtes();
    const stack: ('fn' | 'group')[] = [];
    let statementStart = first;
    for (let i = first; i < this.t.length && !this.invalid; i++) {
      const tok = this.t[i];
      if (tok.kind === 'punct') {
        if (tok.text === '(') stack.push(this.opensCall(i) ? 'fn' : 'group');
        else if (tok.text === ')') stack.pop();
        else if (tok.text === ';' && stack.length === 0) statementStart = i + 1;
        continue;
      }
      if (tok.kind !== 'word' || stack[stack.length - 1] === 'fn') continue;
      const next = this.keyword(i, i === statementStart);
      if (next !== undefined) i = next - 1;
    }
    if (this.invalid) return undefined;
    return this.refs.filter((r) => r.name === undefined || !this.ctes.has(r.name));
  }

  /** Handles the keyword at `i`; returns the index to continue from when it consumed tokens. */
  private keyword(i: number, atStart: boolean): number | undefined {
    const word = this.t[i].text;
    const prev = i > 0 && this.t[i - 1].kind === 'word' ? this.t[i - 1].text : '';
    switch (word) {
      case 'SELECT':
        if (this.isWord(i + 1, 'FROM')) this.invalid = true;
        return undefined;
      case 'FROM':
        if (prev === 'DISTINCT') return undefined;
        return this.tableList(i + 1, 'read', true);
      case 'JOIN':
      case 'STRAIGHT_JOIN':
        return this.tableList(i + 1, 'read', false);
      case 'USING':
        return this.isPunct(i + 1, '(') ? undefined : this.tableList(i + 1, 'read', false);
      case 'INTO': {
        const at = this.name(i + 1);
        if (!at) return (this.invalid = true), undefined;
        this.add(at, 'write');
        return at.next;
      }
      case 'UPDATE':
        return this.update(i, prev, atStart);
      case 'DELETE':
        return this.delete(i, prev);
      case 'TRUNCATE': {
        let j = i + 1;
        while (this.isWord(j, 'TABLE') || this.isWord(j, 'ONLY')) j++;
        return this.nameList(j, false);
      }
      case 'CREATE':
        return this.create(i);
      case 'ALTER':
        if (!this.isWord(i + 1, 'TABLE')) return undefined;
        return this.nameList(this.skipWords(i + 2, ['IF', 'EXISTS', 'ONLY']), true, true);
      case 'DROP':
        if (!this.isWord(i + 1, 'TABLE') && !this.isWord(i + 1, 'VIEW')) return undefined;
        return this.nameList(this.skipWords(i + 2, ['IF', 'EXISTS']), true);
      default:
        return undefined;
    }
  }

  private update(i: number, prev: string, atStart: boolean): number | undefined {
    // ON CONFLICT DO UPDATE, ON DUPLICATE KEY UPDATE, FOR UPDATE, trigger events, ON UPDATE CASCADE
    if (['DO', 'KEY', 'FOR', 'ON', 'OF', 'BEFORE', 'AFTER', 'OR', 'NO'].includes(prev)) return undefined;
    let j = i + 1;
    if (this.isWord(j, 'OR')) j += 2;
    j = this.skipWords(j, ['ONLY']);
    const at = this.name(j);
    if (!at) {
      if (atStart) this.invalid = true;
      return undefined;
    }
    const after = this.skipAlias(at.next);
    if (!this.isWord(after, 'SET')) {
      if (atStart) this.invalid = true;
      return undefined;
    }
    this.add(at, 'write');
    return after;
  }

  private delete(i: number, prev: string): number | undefined {
    if (['ON', 'BEFORE', 'AFTER', 'OF', 'OR'].includes(prev) || !this.isWord(i + 1, 'FROM')) return undefined;
    const at = this.name(this.skipWords(i + 2, ['ONLY']));
    if (!at) return (this.invalid = true), undefined;
    if (!this.follows(this.skipAlias(at.next))) return (this.invalid = true), undefined;
    this.add(at, 'write');
    return at.next;
  }

  private create(i: number): number | undefined {
    let j = this.skipWords(i + 1, ['OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'UNLOGGED', 'VIRTUAL', 'GLOBAL', 'LOCAL', 'MATERIALIZED', 'UNIQUE']);
    if (this.isWord(j, 'TABLE') || this.isWord(j, 'VIEW')) {
      const at = this.name(this.skipWords(j + 1, ['IF', 'NOT', 'EXISTS']));
      if (!at) return (this.invalid = true), undefined;
      this.add(at, 'write', true);
      return at.next;
    }
    if (this.isWord(j, 'INDEX')) {
      // CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON table: changes that table's schema
      j++;
      while (j < this.t.length && !this.isWord(j, 'ON') && !this.isPunct(j, ';')) j++;
      const at = this.isWord(j, 'ON') ? this.name(this.skipWords(j + 1, ['ONLY'])) : undefined;
      if (at) this.add(at, 'write', true);
      return at?.next;
    }
    return undefined;
  }

  /** `t [AS] a, u b` (comma lists only after FROM); a `(` starts a subquery the main loop reads itself. */
  private tableList(j: number, access: 'read', commaList: boolean): number | undefined {
    j = this.skipWords(j, ['LATERAL', 'ONLY']);
    for (;;) {
      if (this.isPunct(j, '(')) return j;
      const at = this.name(j);
      if (!at) return (this.invalid = true), undefined;
      if (this.isPunct(at.next, '(')) return at.next; // a table-valued function: json_each(x)
      const after = this.skipAlias(at.next);
      if (!this.follows(after)) return (this.invalid = true), undefined;
      this.add(at, access);
      if (!commaList || !this.isPunct(after, ',')) return after;
      j = after + 1;
    }
  }

  /** Written names `a, b` (TRUNCATE, DROP TABLE) or one name (ALTER TABLE). */
  private nameList(j: number, definition: boolean, single = false): number | undefined {
    for (;;) {
      const at = this.name(j);
      if (!at) return (this.invalid = true), undefined;
      this.add(at, 'write', definition);
      if (single || !this.isPunct(at.next, ',')) return at.next;
      j = at.next + 1;
    }
  }

  /** A possibly schema-qualified name at `j`; undefined when the token cannot be a table name. */
  private name(j: number): NameAt | undefined {
    const parts: (string | undefined)[] = [];
    let k = j;
    for (;;) {
      const tok = this.t[k];
      if (!tok) return undefined;
      if (tok.kind === 'hole') parts.push(undefined);
      else if (tok.kind === 'quoted') parts.push(tok.text);
      else if (tok.kind === 'word' && (parts.length > 0 || !RESERVED.has(tok.text))) {
        if (parts.length === 0 && PROSE.has(tok.text)) return (this.invalid = true), undefined;
        parts.push(tok.text.toLowerCase());
      } else return undefined;
      k++;
      if (!this.isPunct(k, '.')) break;
      k++;
    }
    if (parts.length === 2 && parts[0] !== undefined && DEFAULT_SCHEMAS.has(parts[0].toLowerCase())) parts.shift();
    // `${schema}.job`: the schema comes from a substitution, the table is known
    if (parts.length === 2 && parts[0] === undefined && parts[1] !== undefined) parts.shift();
    const name = parts.includes(undefined) ? undefined : parts.join('.');
    const hole = parts.length === 1 && name === undefined ? this.holeIndex(j) : undefined;
    return { name, hole, offset: this.t[j].offset, next: k };
  }

  private skipAlias(j: number): number {
    if (this.isWord(j, 'AS')) return this.t[j + 1] ? j + 2 : j + 1;
    const tok = this.t[j];
    if (tok && (tok.kind === 'quoted' || (tok.kind === 'word' && !RESERVED.has(tok.text) && !FOLLOW.has(tok.text)))) return j + 1;
    return j;
  }

  /** Whether what comes at `j` may follow a table reference. */
  private follows(j: number): boolean {
    const tok = this.t[j];
    if (!tok || tok.kind === 'hole') return true;
    if (tok.kind === 'punct') return tok.text === ',' || tok.text === ')' || tok.text === ';';
    return tok.kind === 'word' && FOLLOW.has(tok.text);
  }

  private add(at: NameAt, access: 'read' | 'write', definition = false): void {
    this.refs.push({ name: at.name, hole: at.hole, access, definition, offset: at.offset });
  }

  /** How many substitutions come before token `j`. */
  private holeIndex(j: number): number {
    let n = 0;
    for (let k = 0; k < j; k++) if (this.t[k].kind === 'hole') n++;
    return n;
  }

  /** `WITH [RECURSIVE] a [(cols)] AS [NOT] [MATERIALIZED] (...), b AS (...)`: a and b are not tables. */
  private collectCtes(): void {
    for (let i = 0; i < this.t.length; i++) {
      if (!this.isWord(i, 'WITH')) continue;
      let j = this.skipWords(i + 1, ['RECURSIVE']);
      for (;;) {
        const tok = this.t[j];
        if (!tok || (tok.kind !== 'word' && tok.kind !== 'quoted')) break;
        const name = tok.kind === 'word' ? tok.text.toLowerCase() : tok.text;
        j++;
        if (this.isPunct(j, '(')) j = this.skipGroup(j);
        if (!this.isWord(j, 'AS')) break;
        j = this.skipWords(j + 1, ['NOT', 'MATERIALIZED']);
        if (!this.isPunct(j, '(')) break;
        this.ctes.add(name);
        j = this.skipGroup(j);
        if (!this.isPunct(j, ',')) break;
        j++;
      }
    }
  }

  /** Index after the `)` matching the `(` at `j`. */
  private skipGroup(j: number): number {
    let depth = 0;
    for (let k = j; k < this.t.length; k++) {
      if (this.isPunct(k, '(')) depth++;
      else if (this.isPunct(k, ')') && --depth === 0) return k + 1;
    }
    return this.t.length;
  }

  /** A `(` right after a plain name is a call or column list (`count(`, `t (a, b)`), not a subquery. */
  private opensCall(i: number): boolean {
    const prev = this.t[i - 1];
    return prev !== undefined && (prev.kind === 'quoted' || (prev.kind === 'word' && !RESERVED.has(prev.text)));
  }

  private skipWords(j: number, words: string[]): number {
    while (j < this.t.length && this.t[j].kind === 'word' && words.includes(this.t[j].text)) j++;
    return j;
  }

  private isWord(j: number, word?: string): boolean {
    const tok = this.t[j];
    return tok !== undefined && tok.kind === 'word' && (word === undefined || tok.text === word);
  }

  private isPunct(j: number, text: string): boolean {
    const tok = this.t[j];
    return tok !== undefined && tok.kind === 'punct' && tok.text === text;
  }
}
