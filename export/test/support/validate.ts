/** Runs the schema validator (an ES module script) on exported files; see validate-k8s.mjs. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export interface Validation {
  file: string;
  index: number;
  kind: string;
  name: string | null;
  error: string | null;
}

export function validateFiles(files: string[]): Validation[] {
  const script = path.join(__dirname, 'validate-k8s.mjs');
  const out = execFileSync(process.execPath, [script, ...files], { encoding: 'utf8', cwd: path.resolve(__dirname, '..', '..', '..'), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as Validation[];
}
