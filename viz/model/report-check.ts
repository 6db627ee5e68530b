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

/** V8 says `at position N` for some JSON errors: turn that into line:column, which an editor can jump to. */
export function jsonErrorMessage(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /at position (\d+)/.exec(message);
  if (m) {
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    return `${message.replace(/ in JSON at position \d+| at position \d+/, '')} at line ${line}, column ${column}`;
  }
  if (/Unexpected end of JSON input/.test(message)) return `${message} (line ${text.split('\n').length}: the text ends before the JSON does)`;
  return message;
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
