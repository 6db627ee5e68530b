import { Command, CommanderError } from 'commander';
import { CliError } from './errors';
import { register as analyze } from './commands/analyze';
import { register as view } from './commands/view';
import { register as extract } from './commands/extract';
import { register as facade } from './commands/facade';
import { register as route } from './commands/route';
import { register as exportCmd } from './commands/export';
import { register as rollout } from './commands/rollout';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('strangler')
    .description('Take a TypeScript monolith apart with the strangler-fig pattern: analyze, see, extract, strangle.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [analyze, view, extract, facade, route, rollout, exportCmd]) register(program);
  const overrideAll = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(overrideAll);
  };
  overrideAll(program);
  return program;
}

/**
 * A reader that goes away (`strangler analyze . | head -n 3`) closes our stdout: like a Unix tool
 * killed by SIGPIPE, the command ends there, quietly, instead of dying on an unhandled EPIPE.
 */
function endQuietlyOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(0);
    });
  }
}

/** Runs the CLI and resolves to the process exit code; exits by itself only when its output is closed. */
export async function main(argv: string[]): Promise<number> {
  endQuietlyOnClosedOutput();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are successes; every other commander error is a usage error
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`strangler: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
