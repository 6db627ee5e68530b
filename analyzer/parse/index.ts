import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Discovery } from '../discover';
import { relative } from '../discover';
import type { Resolver } from '../resolve';
import { collectRouteFacts, type RouteFacts } from '../routes';
import { scanSourceFile, type ExportTable, type RawImport, type ScanOptions } from '../scan';
import { countJsonLoc, countLoc } from '../scan/loc';
import { collectTableAccesses, type TableAccess } from '../tables';
import type { Warning } from '../types';

/** An import whose target is known: a module id, or nothing (package, unresolved, ignored). */
export interface ResolvedImport extends RawImport {
  /** Module id of the target when it is one of ours. */
  target?: string;
}

export interface ParsedModule {
  id: string;
  file: string;
  loc: number;
  isJson: boolean;
  imports: ResolvedImport[];
  exports: ExportTable;
  packages: Set<string>;
  routeFacts?: RouteFacts;
  tableAccesses: TableAccess[];
}

export interface ParsedProject {
  modules: Map<string, ParsedModule>;
  warnings: Warning[];
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

const KIND_WORDS: Record<string, string> = {
  static: 'import',
  'type-only': 'type import',
  dynamic: 'dynamic import()',
  're-export': 're-export',
  require: 'require()',
  pending: 're-export',
};

/**
 * Parses every file once (ts.createSourceFile: no Program, no checker), scans it, resolves its
 * imports, and hands the same SourceFile to the route and table collectors. Files reached by an
 * import but not listed by the tsconfig join the worklist, as they would join a TS Program.
 */
export function parseProject(discovery: Discovery, resolver: Resolver, onFile?: (done: number, total: number) => void): ParsedProject {
  const { root, compilerOptions } = discovery;
  const scanOptions: ScanOptions = {
    keepValueImports: compilerOptions.verbatimModuleSyntax === true || compilerOptions.preserveValueImports === true,
    isolatedModules: compilerOptions.isolatedModules === true || compilerOptions.verbatimModuleSyntax === true,
    emitDecoratorMetadata: compilerOptions.emitDecoratorMetadata === true && compilerOptions.experimentalDecorators === true,
  };
  const modules = new Map<string, ParsedModule>();
  const warnings: Warning[] = [];
  const queue = [...discovery.files];
  const queued = new Set(queue);

  for (let i = 0; i < queue.length; i++) {
    const file = queue[i];
    const id = relative(root, file);
    const mod: ParsedModule = {
      id,
      file,
      loc: 0,
      isJson: file.endsWith('.json'),
      imports: [],
      exports: { local: new Map(), named: new Map(), stars: [] },
      packages: new Set(),
      tableAccesses: [],
    };
    modules.set(id, mod);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      warnings.push({ file: id, line: 0, message: `cannot read file: ${(err as Error).message}`, code: 'read-error' });
      onFile?.(i + 1, queue.length);
      continue;
    }
    if (mod.isJson) {
      mod.loc = countJsonLoc(text);
      mod.exports.local.set('default', 'value');
      onFile?.(i + 1, queue.length);
      continue;
    }
    mod.loc = countLoc(text);
    const sf = ts.createSourceFile(
      file,
      text,
      { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
      true,
      SCRIPT_KINDS[path.extname(file)] ?? ts.ScriptKind.TS,
    );
    const diagnostics = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    if (diagnostics.length) {
      const d = diagnostics[0];
      const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
      warnings.push({
        file: id,
        line: sf.getLineAndCharacterOfPosition(d.start).line + 1,
        message: `parse error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}${more}; imports read from the recovered syntax tree`,
        code: 'parse-error',
      });
    }
    const scan = scanSourceFile(sf, scanOptions);
    mod.exports = scan.exports;
    for (const imp of scan.imports) {
      const r = resolver.resolve(imp.specifier, file, imp.mode, imp.referencePath);
      const resolved: ResolvedImport = imp;
      if (r.kind === 'internal') {
        resolved.target = relative(root, r.file);
        if (!queued.has(r.file)) {
          queued.add(r.file);
          queue.push(r.file);
        }
      } else if (r.kind === 'package') mod.packages.add(r.name);
      else if (r.kind === 'unresolved') {
        warnings.push({ file: id, line: imp.line, message: `cannot resolve '${imp.specifier}' (${KIND_WORDS[imp.kind]})`, code: 'unresolved-import' });
      } else if (!r.reason.startsWith('a declaration')) {
        warnings.push({ file: id, line: imp.line, message: `'${imp.specifier}' ${r.reason}: not counted as a module`, code: 'outside-project' });
      }
      mod.imports.push(resolved);
    }
    mod.routeFacts = collectRouteFacts(sf);
    mod.tableAccesses = collectTableAccesses(sf);
    onFile?.(i + 1, queue.length);
  }
  return { modules, warnings };
}
