import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors';
import { ConfigFileError, loadConfigFile } from '../../facade/control/config-file';
import { exportConfig, type ExportOptions, type Target } from '../../export/index';
import { formatNote } from '../../export/notes';

export interface ExportFlags {
  target: Target[];
  config: string;
  out?: string;
  namespace?: string;
  gateway: string;
  hostname?: string[];
  routing: ExportOptions['routing'];
  image: string;
  replicas: number;
  prometheus: string;
  json?: boolean;
}

/** Temporary file, then rename: a reader never sees half a file. */
function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export async function exportCommand(flags: ExportFlags): Promise<void> {
  if (!flags.out && flags.target.length > 1) throw new CliError('strangler export: several targets need --out <dir> (one file each)');
  let source;
  try {
    source = await loadConfigFile(flags.config);
  } catch (err) {
    if (err instanceof ConfigFileError) throw new CliError(err.problems.join('\n'));
    throw err;
  }
  const options: ExportOptions = { namespace: flags.namespace, gateway: flags.gateway, hostnames: flags.hostname ?? [], routing: flags.routing, image: flags.image, replicas: flags.replicas, prometheus: flags.prometheus };
  const outputs = flags.target.map((t) => exportConfig({ config: source.config, raw: source.doc.toJS(), source: path.basename(flags.config) }, t, options));
  for (const o of outputs) {
    // Every difference also goes to stderr: an export never drops what the facade does silently.
    if (o.notes.length) process.stderr.write(`${o.target}: ${o.notes.length} thing(s) the engine does differently from the facade:\n${o.notes.map((n) => `  - ${formatNote(n)}\n`).join('')}`);
  }
  if (!flags.out) {
    process.stdout.write(outputs[0].text);
    return;
  }
  try {
    mkdirSync(flags.out, { recursive: true });
    for (const o of outputs) writeAtomically(path.join(flags.out, o.file), o.text);
  } catch (err) {
    throw new CliError(`strangler export: cannot write to ${flags.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const written = outputs.map((o) => ({ target: o.target, file: path.join(flags.out!, o.file), notes: o.notes }));
  if (flags.json) process.stdout.write(`${JSON.stringify({ outputs: written }, null, 2)}\n`);
  else for (const w of written) process.stderr.write(`wrote ${w.file}\n`);
}
