import { InvalidArgumentError, type Command } from 'commander';

export interface ViewFlags {
  port: number;
  host: string;
  open?: boolean;
  watch?: boolean;
  tsconfig?: string;
  exclude: string[];
  quiet?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

export function register(program: Command): void {
  program
    .command('view')
    .description('open the graph viewer in a browser, on a report.json or on a directory analyzed first')
    .argument('[target]', 'a report.json from `strangler analyze`, or a directory to analyze (default: ./report.json if it exists, else .)')
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', port, 4000)
    .option('--host <host>', 'address to listen on; anything but loopback shares the report with your network', '127.0.0.1')
    .option('--open', 'open the viewer in the default browser ($BROWSER, else the platform opener)')
    .option('--watch', 'keep the picture live: re-analyze changed files (or re-read the report) and update the page in place')
    .option('--tsconfig <path>', 'tsconfig to read when analyzing a directory (default: <dir>/tsconfig.json)')
    .option('--exclude <glob>', 'leave out files matching this glob when analyzing a directory (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--quiet', 'no analysis progress on stderr')
    .addHelpText(
      'after',
      '\nThe one-file version of the same viewer: strangler analyze <dir> --format html --out graph.html\n' +
        'Exit codes: 2 when the report is not JSON or not a strangler report, the directory cannot be analyzed, or the port is taken.',
    )
    .action(async (target: string | undefined, flags: ViewFlags) => {
      // Loaded here: express, the analyzer and the watcher load only when the viewer runs.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runView } = require('./view-run') as typeof import('./view-run');
      await runView(target, flags);
    });
}
