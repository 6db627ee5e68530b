/**
 * A small SQL tokenizer: enough to find table positions in the statement shapes applications write
 * (SQLite, Postgres, MySQL, SQL Server quoting). Comments and string literals are skipped as units,
 * so a `FROM` inside `'...'` or `-- ...` never counts.
 */

/** Stands for a `${...}` substitution of a template literal or a non-literal operand of `+`. */
export const HOLE = '\u0000';

export type TokenKind = 'word' | 'quoted' | 'punct' | 'string' | 'number' | 'param' | 'hole';

export interface Token {
  kind: TokenKind;
  /** Words: upper case. Quoted identifiers: the name without quotes. Others: the text. */
  text: string;
  /** Offset in the tokenized text. */
  offset: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    const start = i;
    if (c === HOLE) {
      tokens.push({ kind: 'hole', text: HOLE, offset: i++ });
      continue;
    }
    if (c === "'") {
      i = skipQuoted(sql, i, "'");
      tokens.push({ kind: 'string', text: sql.slice(start, i), offset: start });
      continue;
    }
    if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      i = skipQuoted(sql, i, close);
      const inner = sql.slice(start + 1, i - 1).split(close + close).join(close);
      tokens.push({ kind: 'quoted', text: inner, offset: start });
      continue;
    }
    if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(sql[i])) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i).toUpperCase(), offset: start });
      continue;
    }
    if (c >= '0' && c <= '9') {
      while (i < n && /[0-9.eE]/.test(sql[i])) i++;
      tokens.push({ kind: 'number', text: sql.slice(start, i), offset: start });
      continue;
    }
    if (c === '?' || ((c === '$' || c === ':' || c === '@') && i + 1 < n && /[A-Za-z0-9_]/.test(sql[i + 1]))) {
      i++;
      while (i < n && /[A-Za-z0-9_]/.test(sql[i])) i++;
      tokens.push({ kind: 'param', text: sql.slice(start, i), offset: start });
      continue;
    }
    tokens.push({ kind: 'punct', text: c, offset: i++ });
  }
  return tokens;
}

/** The end offset (exclusive) of a quoted run starting at `start`; a doubled closing quote is an escape. */
function skipQuoted(sql: string, start: number, close: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === close) {
      if (close !== ']' && sql[i + 1] === close) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
