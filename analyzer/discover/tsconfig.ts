/**
 * Reading tsconfig files the way tsc does (extends, include/exclude/files), following a solution's
 * `references` depth first, with every error placed at `file:line:col`.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { AnalyzeInputError } from '../errors';

export interface TsProject {
  /** Real absolute path of the tsconfig. */
  tsconfig: string;
  options: ts.CompilerOptions;
  /** Absolute paths of the source files it lists (not yet real paths, not yet filtered). */
  fileNames: string[];
}

export interface ConfigProblem {
  /** Absolute path of the tsconfig the problem is in. */
  file: string;
  line: number;
  message: string;
  code: 'tsconfig' | 'tsconfig-deprecated';
}

/** TS 6 reports deprecated options as errors but still honours them: the analysis goes on with a warning. */
const DEPRECATION_CODES = new Set([5101, 5102, 5107, 5108, 5110]);
/** "No inputs were found" / "The 'files' list is empty": decided by the caller over all projects. */
const NO_INPUT_CODES = new Set([18002, 18003]);
/** An `extends` target that cannot be read. */
const UNREADABLE_EXTENDS = new Set([5083, 6053]);

/**
 * The project of `tsconfigPath` and, after it, every project it references (transitively, each
 * once). A solution-style tsconfig (`"files": []` with `references`) yields only its references.
 * Bad JSON, a non-object, or an unreadable `extends` throw AnalyzeInputError naming file:line:col.
 */
export function readProjects(tsconfigPath: string, problems: ConfigProblem[]): TsProject[] {
  const projects: TsProject[] = [];
  const seen = new Set<string>();
  const visit = (configPath: string, referencedFrom?: { file: string; line: number; written: string }): void => {
    const real = realOrSelf(configPath);
    if (seen.has(real)) return;
    seen.add(real);
    if (!fs.existsSync(real)) {
      // only a reference can lead here: the caller checked the first tsconfig exists
      problems.push({ file: referencedFrom!.file, line: referencedFrom!.line, message: `referenced project ${referencedFrom!.written} not found (no ${configPath})`, code: 'tsconfig' });
      return;
    }
    let text: string;
    try {
      text = fs.readFileSync(real, 'utf8');
    } catch (err) {
      throw new AnalyzeInputError(`analyze: cannot read tsconfig ${real}: ${(err as Error).message}`);
    }
    // bad JSON, or a root that is not an object: the first such error, placed
    const { error } = ts.parseConfigFileTextToJson(real, text);
    if (error) throw invalid(error, real);
    const source = ts.readJsonConfigFile(real, () => text);
    const parsed = ts.parseJsonSourceFileConfigFileContent(source, ts.sys, path.dirname(real), undefined, real);
    for (const d of parsed.errors) {
      if (NO_INPUT_CODES.has(d.code)) continue;
      if (isSyntaxError(d)) throw invalid(d, real);
      if (UNREADABLE_EXTENDS.has(d.code)) throw invalid(d.file ? d : { ...d, file: source, start: extendsValueAt(source) }, real);
      problems.push({ file: d.file?.fileName ?? real, line: lineOf(d), message: flatten(d.messageText), code: DEPRECATION_CODES.has(d.code) ? 'tsconfig-deprecated' : 'tsconfig' });
    }
    projects.push({ tsconfig: real, options: parsed.options, fileNames: [...parsed.fileNames] });
    for (const ref of parsed.projectReferences ?? []) {
      const written = ref.originalPath ?? ref.path;
      const at = source.text.indexOf(JSON.stringify(written).slice(1, -1));
      visit(ts.resolveProjectReferencePath(ref), { file: real, line: at < 0 ? 1 : source.getLineAndCharacterOfPosition(at).line + 1, written });
    }
  };
  visit(tsconfigPath);
  return projects;
}

/** `name` files in the parents of `dir`, nearest first, up to the repository root (a `.git` entry) or `/`. */
export function filesAbove(dir: string, name: string): string[] {
  const found: string[] = [];
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, name);
    if (fs.existsSync(candidate)) found.push(candidate);
    if (fs.existsSync(path.join(d, '.git')) || d === path.dirname(d)) return found;
  }
}

/** Bad JSON or a non-object root, in the tsconfig or a file it extends (TS reports those as 1xxx codes and 5092). */
const isSyntaxError = (d: ts.Diagnostic): boolean => (d.code >= 1000 && d.code < 2000) || d.code === 5092;

/** Where `"extends": ...` is written, for the error about its target (TS gives that one no position). */
function extendsValueAt(source: ts.TsConfigSourceFile): number | undefined {
  const top = source.statements[0]?.expression;
  if (!top || !ts.isObjectLiteralExpression(top)) return undefined;
  const prop = top.properties.find((p) => ts.isPropertyAssignment(p) && ts.isStringLiteral(p.name) && p.name.text === 'extends') as ts.PropertyAssignment | undefined;
  return prop?.initializer.getStart(source);
}

function invalid(d: ts.Diagnostic, file: string): AnalyzeInputError {
  const place = d.file && d.start !== undefined ? placeIn(d.file, d.start) : file;
  return new AnalyzeInputError(`analyze: invalid tsconfig ${place}: ${flatten(d.messageText)}`);
}

/** `/abs/tsconfig.json:3:17`, 1-based, as the facade's config errors place theirs. */
function placeIn(file: ts.SourceFile, pos: number): string {
  const { line, character } = file.getLineAndCharacterOfPosition(pos);
  return `${file.fileName}:${line + 1}:${character + 1}`;
}

function lineOf(d: ts.Diagnostic): number {
  return d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 1;
}

export function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function flatten(m: string | ts.DiagnosticMessageChain): string {
  return ts.flattenDiagnosticMessageText(m, ' ');
}
