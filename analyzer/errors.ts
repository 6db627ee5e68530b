/** Bad input to the analyzer (missing directory, unreadable tsconfig, nothing to analyze): the CLI maps it to exit 2. */
export class AnalyzeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalyzeInputError';
  }
}
