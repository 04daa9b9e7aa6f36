import { CliError } from './io.ts';

/** The error of a command whose feature is not built yet: one line, exit 1. */
export function notAvailable(what: string, feature: string): CliError {
  return new CliError(`not available yet: ${what} arrives with ${feature}`);
}
