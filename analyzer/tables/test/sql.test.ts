import { tablesInSql } from '../index';
import { sqlOpenings } from '../sql-tables';

/** `r:name` (read) / `w:name` (write) / `d:name` (definition, a write) per reference, in order; undefined when the text is not taken for SQL. */
function refs(sql: string): string[] | undefined {
  return tablesInSql(sql)?.map((r) => `${r.definition ? 'd' : r.access === 'read' ? 'r' : 'w'}:${r.name ?? `\${${r.hole ?? '?'}}`}`);
}

describe('tables in SQL text', () => {
  it.each([
    ['SELECT * FROM users WHERE id = ?', ['r:users']],
    ['select u.id from users u left outer join orders as o on o.user_id = u.id', ['r:users', 'r:orders']],
    ['SELECT * FROM t1, t2 AS b, t3 c WHERE t1.x = b.x', ['r:t1', 'r:t2', 'r:t3']],
    ['INSERT INTO orders (id, total) VALUES (?, ?)', ['w:orders']],
    ['INSERT OR IGNORE INTO likes (post_id) VALUES (?)', ['w:likes']],
    ['INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)', ['w:kv']],
    ['REPLACE INTO kv (k, v) VALUES (?, ?)', ['w:kv']],
    ['UPDATE products SET price = ? WHERE id = ?', ['w:products']],
    ['UPDATE OR IGNORE products AS p SET price = 1', ['w:products']],
    ['DELETE FROM sessions WHERE expires_at < ?', ['w:sessions']],
    ['DELETE FROM sessions', ['w:sessions']],
    ['CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE)', ['d:users']],
    ['CREATE TEMP TABLE scratch AS SELECT * FROM events', ['d:scratch', 'r:events']],
    ['ALTER TABLE users ADD COLUMN bio TEXT', ['d:users']],
    ['DROP TABLE IF EXISTS old_a, old_b', ['d:old_a', 'd:old_b']],
    ['TRUNCATE TABLE logs', ['w:logs']],
    ['CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users(email)', ['d:users']],
  ])('%s', (sql, expected) => {
    expect(refs(sql)).toEqual(expected);
  });

  it('does not count CTE names as tables, and reads the tables inside them', () => {
    expect(refs('WITH RECURSIVE recent(id) AS (SELECT id FROM orders), top AS MATERIALIZED (SELECT * FROM recent) SELECT * FROM top JOIN customers c ON c.id = top.id')).toEqual([
      'r:orders',
      'r:customers',
    ]);
  });

  it('reads subqueries in WHERE, FROM and SELECT lists', () => {
    expect(refs('SELECT (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id) AS n FROM (SELECT * FROM posts) p WHERE p.author IN (SELECT id FROM users)')).toEqual([
      'r:likes',
      'r:posts',
      'r:users',
    ]);
  });

  it('reads UPDATE ... FROM and INSERT ... SELECT as one write and reads', () => {
    expect(refs('UPDATE stock SET qty = s.qty FROM shipments s WHERE s.product_id = stock.product_id')).toEqual(['w:stock', 'r:shipments']);
    expect(refs('INSERT INTO archive (id) SELECT id FROM posts WHERE created_at < ?')).toEqual(['w:archive', 'r:posts']);
    expect(refs('DELETE FROM carts USING users WHERE carts.user_id = users.id')).toEqual(['w:carts', 'r:users']);
  });

  it('reads quoted and schema-qualified names; the default schema is dropped, unquoted names lower-cased', () => {
    expect(refs('SELECT * FROM "Order Items" JOIN `posts` JOIN [tags] JOIN main.users JOIN public.orders JOIN audit.events JOIN Products')).toEqual([
      'r:Order Items',
      'r:posts',
      'r:tags',
      'r:users',
      'r:orders',
      'r:audit.events',
      'r:products',
    ]);
  });

  it('is not fooled by FROM inside functions, strings, comments, or by upsert / locking clauses', () => {
    expect(refs("SELECT EXTRACT(YEAR FROM created_at), TRIM(BOTH ' ' FROM name), 'x FROM y' FROM events -- FROM comments\n/* JOIN nope */")).toEqual(['r:events']);
    expect(refs('INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a')).toEqual(['w:t']);
    expect(refs('INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2')).toEqual(['w:t']);
    expect(refs('SELECT * FROM accounts WHERE id = $1 FOR UPDATE')).toEqual(['r:accounts']);
    expect(refs('SELECT a IS DISTINCT FROM b FROM pairs')).toEqual(['r:pairs']);
    expect(refs('SELECT * FROM json_each(?)')).toEqual([]);
  });

  it('reads every statement of a script, including trigger bodies', () => {
    expect(
      refs(`
        -- schema
        CREATE TABLE posts (id INTEGER);
        CREATE TRIGGER posts_count AFTER INSERT ON posts BEGIN UPDATE stats SET n = n + 1; END;
        INSERT INTO posts (id) VALUES (1);`),
    ).toEqual(['d:posts', 'w:stats', 'w:posts']);
  });

  it('marks names built from substitutions (by substitution index) and keeps the rest', () => {
    expect(refs('SELECT * FROM \u0000 JOIN users u ON u.id = \u0000.user_id')).toEqual(['r:${0}', 'r:users']);
    expect(refs('SELECT * FROM audit.\u0000, \u0000 x WHERE \u0000')).toEqual(['r:${?}', 'r:${1}']);
  });

  it('takes the table of a name whose schema is a substitution', () => {
    expect(refs('UPDATE \u0000.job SET state = 1')).toEqual(['w:job']);
  });

  it('reads a capitalised keyword as SQL only with SQL evidence besides', () => {
    expect(refs('Select * from users')).toEqual(['r:users']);
    expect(refs('Delete from sessions WHERE id = ?')).toEqual(['w:sessions']);
  });

  it.each([
    'select from the list',
    'Select items from the list below',
    'Update your profile',
    'Update failed',
    'Delete from the cart',
    'Delete from cart?',
    'With love, the team',
    'Created at',
    'Dropdown',
    'Delete user accounts from infra',
    'Delete asset from channel2',
    'Select a team from your teams',
  ])(
    'does not read English text as SQL: %s',
    (text) => {
      expect(refs(text) ?? []).toEqual([]);
    },
  );
});

describe('where SQL may open in a file', () => {
  it('is every quote followed, past blanks, parentheses and comments, by a whole statement keyword in any case', () => {
    // each piece starts with its quote; `true` where that quote opens SQL
    const pieces: [string, boolean][] = [
      ["'SELECT 1'", true],
      ['"  (select x"', true],
      ['`\n  -- note\n  with x as (`', true],
      ["'/* c */ DELETE FROM t'", true],
      ["'Truncate table t'", true],
      ["'MERGE'", true],
      ["'((insert into t'", true],
      ["'selected items'", false],
      ["'select$'", false],
      ["'drop_x'", false],
      ["'a select'", false],
      ["'\u00a0select'", false],
      ["'-- no line end", false],
    ];
    let text = 'const q = [';
    const expected: number[] = [];
    for (const [piece, opens] of pieces) {
      if (opens) expected.push(text.length);
      text += `${piece}, `;
    }
    expect(sqlOpenings(text)).toEqual(expected);
  });
});
