/**
 * Turning text into a report, with the errors a person can act on. Shared by the server (which
 * validates with ajv from analyzer/schema) and the page (which runs the same schema, compiled to
 * code at build time): both say "not JSON, at line:col" or "fails the schema at /path".
 */
import type { Report } from '../../analyzer/types';

export class ReportError extends Error {
  constructor(
    /** Where the report came from: a file path, `GET /api/report`, a dropped file's name. */
    readonly source: string,
    readonly problems: string[],
    readonly kind: 'not-json' | 'schema' | 'unreadable',
  ) {
    super(`${source}: ${kind === 'not-json' ? 'not JSON' : kind === 'schema' ? 'not a strangler report' : 'cannot be read'}: ${summarize(problems)}`);
    this.name = 'ReportError';
  }
}

const SHOWN = 5;

function summarize(problems: string[]): string {
  const shown = problems.slice(0, SHOWN).join('; ');
  return problems.length > SHOWN ? `${shown}; and ${problems.length - SHOWN} more` : shown;
}

/** The JSON error as a line and column an editor can jump to, with what the parser said. */
export function jsonErrorMessage(text: string, err: unknown): string {
  // V8's own message quotes the text around the error, newlines and all: keep its first clause
  const message = (err instanceof Error ? err.message : String(err)).split(/, "|, \.\.\.|\n/)[0].replace(/ in JSON at position \d+| at position \d+/, '');
  const pos = firstSyntaxError(text);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return pos >= text.length ? `${message} (the text ends at line ${line} before the JSON does)` : `${message} at line ${line}, column ${column}`;
}

/** Offset of the first character that cannot continue a JSON text (text.length when it ends too soon). */
export function firstSyntaxError(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    for (const c of word) if (text[i++] !== c) (i--, fail());
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) ((i += k), fail());
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = (): void => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else fail();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}

/**
 * Parses and validates. `validate` returns schema errors as `/path: message` (none when valid);
 * the schema version is checked first, so a report from a newer strangler says so instead of
 * listing every field it does not know.
 */
export function checkReport(text: string, source: string, validate: (value: unknown) => string[], expectedMajor: string): Report {
  if (text.trim() === '') throw new ReportError(source, ['the file is empty'], 'not-json');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReportError(source, [jsonErrorMessage(text, err)], 'not-json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ReportError(source, [`expected a JSON object (a report from \`strangler analyze\`), got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`], 'schema');
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'string' && version.split('.')[0] !== expectedMajor.split('.')[0])
    throw new ReportError(source, [`schemaVersion ${version}, but this viewer reads ${expectedMajor.split('.')[0]}.x reports: re-run \`strangler analyze\` with this version`], 'schema');
  const problems = validate(value);
  if (problems.length) throw new ReportError(source, problems, 'schema');
  return value as Report;
}
