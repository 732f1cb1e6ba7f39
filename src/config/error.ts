/** A setting the service cannot start with. The message names the variable (or file) and the fault, so the
 *  start-up line alone tells an operator what to fix. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly fault: string,
  ) {
    super(`${variable}: ${fault}`);
    this.name = 'ConfigError';
  }
}
