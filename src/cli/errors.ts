/** A failure the CLI reports as one line on stderr with exit code 1 (no stack trace: the message says it all). */
export class CliError extends Error {
  override name = 'CliError';
}
