import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { collectRouteFacts, type RouteFacts } from '../routes';
import { scanSourceFile, type ExportTable, type RawImport, type ScanOptions } from '../scan';
import { countJsonLoc, countLoc } from '../scan/loc';
import { collectTableFacts, type TableFacts } from '../tables';
import { librariesKey, type DataLibraries } from '../tables/libraries';
import type { Warning } from '../types';

/** Everything one file says, before any resolution: plain data, so a worker thread can send it back. */
export interface FileFacts {
  id: string;
  file: string;
  loc: number;
  isJson: boolean;
  imports: RawImport[];
  exports: ExportTable;
  routeFacts?: RouteFacts;
  tableFacts?: TableFacts;
  /** The data libraries the table facts were read with (`librariesKey`): cached facts hold for these only. */
  tableLibraries?: string;
  warning?: Warning;
}

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

/** One file's syntax tree: no parent pointers (a pass over every node; the scan sets the few it needs), no JSDoc. */
export function createSource(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, SCRIPT_KINDS[path.extname(file)] ?? ts.ScriptKind.TS);
}

/** A file's table facts alone, read again with more data libraries (see tables/libraries.ts). */
export function parseTableFacts(file: string, libs: DataLibraries): TableFacts | undefined {
  if (file.endsWith('.json')) return undefined;
  try {
    return collectTableFacts(createSource(file, fs.readFileSync(file, 'utf8')), libs);
  } catch {
    return undefined;
  }
}

/**
 * Reads and parses one file (ts.createSourceFile, no parent pointers, no Program, no checker), then
 * hands the same SourceFile to the import scanner and to the route and table collectors.
 */
export function parseFile(file: string, id: string, scanOptions: ScanOptions, libs?: DataLibraries): FileFacts {
  const facts: FileFacts = { id, file, loc: 0, isJson: file.endsWith('.json'), imports: [], exports: { local: new Map(), named: new Map(), stars: [] } };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    facts.warning = { file: id, line: 0, message: `cannot read file: ${(err as Error).message}`, code: 'read-error' };
    return facts;
  }
  if (facts.isJson) {
    facts.loc = countJsonLoc(text);
    facts.exports.local.set('default', 'value');
    return facts;
  }
  facts.loc = countLoc(text);
  const sf = createSource(file, text);
  // parse errors live on an internal field; the recovered tree is still walked
  const diagnostics = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (diagnostics.length) {
    const d = diagnostics[0];
    const more = diagnostics.length > 1 ? `, and ${diagnostics.length - 1} more` : '';
    facts.warning = {
      file: id,
      line: sf.getLineAndCharacterOfPosition(d.start).line + 1,
      message: `parse error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\.$/, '')}${more} (imports read from the recovered syntax tree)`,
      code: 'parse-error',
    };
  }
  const scan = scanSourceFile(sf, scanOptions);
  facts.imports = scan.imports;
  facts.exports = scan.exports;
  // routes: bodies are read in routing files only; the rest is read again if the route analysis needs it
  facts.routeFacts = collectRouteFacts(sf, { imports: scan.imports.map((i) => ({ specifier: i.specifier, line: i.line, typeOnly: i.kind === 'type-only' })) });
  facts.tableFacts = collectTableFacts(sf, libs);
  facts.tableLibraries = librariesKey(libs);
  return facts;
}
