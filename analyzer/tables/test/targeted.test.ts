import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { collectTableFacts } from '../index';
import { NO_LIBRARIES } from '../libraries';

/**
 * A project that uses no data library gets only its SQL read, by descending to the SQL openings
 * instead of walking every node. That must give what the whole walk gives: checked on every fixture,
 * the sample monolith, and SQL placed where only a full walk would look.
 */

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'data') out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

const parse = (file: string, text: string): ts.SourceFile => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);

describe('the SQL-only descent', () => {
  const root = path.resolve(__dirname, '../../..');
  const files = [...sourceFiles(path.join(__dirname, 'fixtures')), ...sourceFiles(path.join(root, 'sample-monolith', 'src'))];

  it.each(files.map((f) => [path.relative(root, f), f]))('equals the full walk on %s', (_name, file) => {
    const sf = parse(file, fs.readFileSync(file, 'utf8'));
    expect(collectTableFacts(sf, NO_LIBRARIES)).toEqual(collectTableFacts(sf, NO_LIBRARIES, { walk: true }));
  });

  it('equals the full walk where SQL hides in classes, defaults, computed names and substitutions', () => {
    const text = [
      "const TABLE = 'ledger';",
      'export class Store extends mixin(`SELECT * FROM mixins`) {',
      "  private readonly archive = 'archive_2024';",
      "  ['DELETE FROM computed']() {}",
      '  private working = \'\';',
      '  constructor(private readonly schema: string) {}',
      '  start() { this.working = `tmp_${Date.now()}`; return run(`DROP TABLE ${this.working}`); }',
      "  list({ q = 'SELECT * FROM defaults' } = {}) {",
      "    const local = 'local_rows';",
      '    run(`SELECT * FROM ${TABLE} JOIN ${local} l ON 1 JOIN ${this.archive} a ON 1 JOIN ${this.schema}.events e ON 1`);',
      "    run('INSERT INTO ' + TABLE + ' (a) VALUES (1)');",
      '    run(`UPDATE ${unknownThing} SET a = 1`);',
      '  }',
      '}',
      'export function byParam(tbl: string, daily: boolean) {',
      '  const picked =',
      "    daily ? 'rows_daily' : 'rows_hourly';",
      '  run(`SELECT * FROM ${tbl}`);',
      '  return run(`SELECT * FROM ${picked}`);',
      '}',
      "type Q = 'SELECT * FROM not_in_types';",
      "import x from './select-helpers';",
    ].join('\n');
    const sf = parse('odd.ts', text);
    const walked = collectTableFacts(sf, NO_LIBRARIES, { walk: true });
    expect(collectTableFacts(sf, NO_LIBRARIES)).toEqual(walked);
    expect(walked.known.map((k) => `${k.line} ${k.access} ${k.name}`)).toEqual([
      '2 read mixins',
      '4 write computed',
      '8 read defaults',
      '10 read archive_2024',
      '10 read events',
      '10 read ledger',
      '10 read local_rows',
      '11 write ledger',
      '19 read rows_daily',
      '19 read rows_hourly',
    ]);
    // a member a method assigns again is no constant, whatever its initializer says: left to composing (a subclass may set it)
    expect(walked.uses).toEqual([{ ref: { local: 'this', member: 'working' }, ofClass: 'Store', as: 'table', access: 'write', line: 7, op: 'define', fold: true }]);
    expect(walked.gaps).toEqual([
      { line: 12, what: 'SQL with its table name from `${unknownThing}`' },
      { line: 18, what: 'SQL with its table name from `${tbl}`' },
    ]);
  });
});
