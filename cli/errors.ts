/** An error the user can act on: printed as one line, no stack, and mapped to an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    /** 1: the job ran and found a failure (e.g. --fail-on-cycles); 2: bad input or usage. */
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

