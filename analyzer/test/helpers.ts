import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Edge, Report } from '../types';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const fixture = (name: string): string => path.join(FIXTURES, name);

/** `from -> to kind` (+ ` via barrel`): one line per edge, the way the tests state expectations. */
export const edgeLines = (report: Report): string[] => report.edges.map(edgeLine);
export const edgeLine = (e: Edge): string => `${e.from} -> ${e.to} ${e.kind}${e.via ? ` via ${e.via}` : ''}`;

export const moduleOf = (report: Report, id: string) => {
  const m = report.modules.find((x) => x.id === id);
  if (!m) throw new Error(`no module ${id} in report (has ${report.modules.map((x) => x.id).join(', ')})`);
  return m;
};

/** A copy of the workspace fixture with its packages symlinked into node_modules, as npm would. */
export function workspaceCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-ws-'));
  fs.cpSync(fixture('workspace'), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules', '@ws'), { recursive: true });
  fs.symlinkSync('../../packages/lib', path.join(dir, 'node_modules', '@ws', 'lib'));
  fs.symlinkSync('../../packages/other', path.join(dir, 'node_modules', '@ws', 'other'));
  return dir;
}
