/**
 * Reads the routes config file (YAML, or JSON by extension or content) and validates it against the
 * schema. Keeps the parsed YAML Document so admin changes can be written back with comments intact.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { FacadeConfigSchema, type FacadeConfig } from '../config/schema';
import { formatIssues } from './config-errors';

export type ConfigFormat = 'yaml' | 'json';

/** A validated config together with the text and document it came from. */
export interface ConfigSource {
  file: string;
  format: ConfigFormat;
  text: string;
  doc: Document;
  config: FacadeConfig;
}

/** The file could not be read, parsed or validated; `problems` are one line each, naming file, line and path. */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.join('\n'));
    this.name = 'ConfigFileError';
  }
}

export function detectFormat(file: string, text: string): ConfigFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

export function parseConfigText(file: string, text: string): ConfigSource {
  const name = path.basename(file);
  const format = detectFormat(file, text);
  const lineCounter = new LineCounter();
  // YAML 1.2 is a superset of JSON, so one parser gives line numbers for both formats.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new ConfigFileError(
      file,
      doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return `${name}:${line}:${col}: ${format === 'json' ? 'JSON' : 'YAML'} syntax error: ${e.message}`;
      }),
    );
  }
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (err) {
      throw new ConfigFileError(file, [`${name}: JSON syntax error: ${(err as Error).message}`]);
    }
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) throw new ConfigFileError(file, [`${name}: the file is empty; expected a config with at least \`legacy\``]);
  const result = FacadeConfigSchema.safeParse(data);
  if (!result.success) throw new ConfigFileError(file, formatIssues(file, result.error.issues, data, doc, lineCounter));
  return { file, format, text, doc, config: result.data };
}

export async function loadConfigFile(file: string): Promise<ConfigSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.message;
    throw new ConfigFileError(file, [`${file}: cannot read the config: ${why}`]);
  }
  return parseConfigText(file, text);
}
