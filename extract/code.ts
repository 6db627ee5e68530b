/**
 * The service's code: the monolith's modules at the same paths under src/, with every import that went
 * through a tsconfig `paths` alias or a package.json `imports` entry rewritten to a relative path (the
 * service has neither), each file marked as moved or copied. Done with ts-morph on an in-memory copy;
 * the monolith's files are read, never written.
 */
import path from 'node:path';
import { Node, Project, SyntaxKind, ts, type SourceFile, type StringLiteral } from 'ts-morph';
import type { ExtractPlan } from './plan';

export interface Rewrite {
  module: string;
  line: number;
  from: string;
  to: string;
}

export interface ServiceCode {
  /** Path under the service (`src/feed/feed.router.ts`) → text. */
  files: Map<string, string>;
  rewrites: Rewrite[];
}

export function serviceCode(plan: ExtractPlan): ServiceCode {
  const root = plan.report.root;
  const options = plan.source.project.getCompilerOptions();
  const mem = new Project({ useInMemoryFileSystem: true, compilerOptions: options, skipAddingFilesFromTsConfig: true });
  const ids = new Set(plan.modules.map((m) => m.id));
  for (const m of plan.modules) {
    const text = m.role === 'root' && plan.composition.text !== null ? plan.composition.text : plan.source.file(m.id).getFullText();
    mem.createSourceFile(path.join(root, m.id), text, { overwrite: true });
  }
  const rewrites: Rewrite[] = [];
  for (const m of plan.modules) {
    const sf = mem.getSourceFileOrThrow(path.join(root, m.id));
    for (const lit of specifierLiterals(sf)) {
      const spec = lit.getLiteralValue();
      if (spec.startsWith('.')) continue; // relative imports keep working: the layout is the monolith's
      const resolved = ts.resolveModuleName(spec, plan.source.abs(m.id), options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport || /[/\\]node_modules[/\\]/.test(resolved.resolvedFileName)) continue;
      const target = plan.source.id(resolved.resolvedFileName);
      if (target.startsWith('..')) continue;
      if (!ids.has(target)) throw new Error(`extract: ${m.id}:${lit.getStartLineNumber()} imports ${spec} (${target}), which the service does not include: a bug in extract`);
      const next = relativeTo(m.id, target, spec);
      rewrites.push({ module: m.id, line: lit.getStartLineNumber(), from: spec, to: next });
      lit.setLiteralValue(next);
    }
    sf.insertText(0, `${mark(plan, m.id, m.role)}\n`);
  }
  const files = new Map<string, string>();
  for (const m of plan.modules) files.set(m.id, mem.getSourceFileOrThrow(path.join(root, m.id)).getFullText());
  return { files, rewrites };
}

function mark(plan: ExtractPlan, id: string, role: string): string {
  const where = `${plan.report.root.split(path.sep).pop()}/${id}`;
  if (role === 'moved') return `// strangler: moved from the monolith's ${where} (candidate ${plan.candidate.name}; see MIGRATION.md)`;
  if (role === 'root') return `// strangler: the monolith's ${where} with only this service's routers (see MIGRATION.md)`;
  if (role === 'types') return `// strangler: copy of the monolith's ${where}, needed for its types only (see MIGRATION.md)`;
  return `// strangler: copy of the monolith's ${where}, which stays there too (see MIGRATION.md)`;
}

/** Every module specifier: import/export declarations, `import x = require()`, `require()`, `import()`, `jest.mock`-free. */
function specifierLiterals(sf: SourceFile): StringLiteral[] {
  const out: StringLiteral[] = [];
  for (const d of sf.getImportDeclarations()) out.push(d.getModuleSpecifier());
  for (const d of sf.getExportDeclarations()) {
    const s = d.getModuleSpecifier();
    if (s) out.push(s);
  }
  for (const d of sf.getDescendantsOfKind(SyntaxKind.ExternalModuleReference)) {
    const e = d.getExpression();
    if (Node.isStringLiteral(e)) out.push(e);
  }
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const isRequire = Node.isIdentifier(callee) && callee.getText() === 'require';
    const isImport = callee.getKind() === SyntaxKind.ImportKeyword;
    const arg = call.getArguments()[0];
    if ((isRequire || isImport) && arg && Node.isStringLiteral(arg)) out.push(arg);
  }
  return out;
}

/** A relative specifier from `fromId` to `toId`, in the style of the original (`.js` extension or none, folder or index). */
function relativeTo(fromId: string, toId: string, original: string): string {
  let target = toId;
  const withJs = /\.[cm]?js$/.test(original);
  const isIndex = /(^|\/)index\.[cm]?tsx?$/.test(toId) && !/(^|\/)index(\.[cm]?js)?$/.test(original);
  if (isIndex && !withJs) target = path.posix.dirname(toId);
  else target = withJs ? toId.replace(/\.([cm]?)tsx?$/, '.$1js') : toId.replace(/\.[cm]?tsx?$/, '');
  let rel = path.posix.relative(path.posix.dirname(fromId), target);
  if (rel === '') rel = '.';
  return rel.startsWith('.') ? rel : `./${rel}`;
}
