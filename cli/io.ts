/**
 * What every CLI action shares: where output goes and how a failure becomes an exit code. Actions
 * throw these errors instead of exiting, so `runCli` can run in-process in tests.
 */

/** A writable text sink (process.stdout, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

/** Where the CLI writes; defaults to the process streams. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/** Exit codes: 1 for an operation that could not be done, 2 for arguments that are wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A failure with a one-line reason for the operator and the exit code it ends the CLI with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad arguments: one line on stderr, exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** Collapses a message to one line: scripts and tests read stderr line by line. */
export function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
}
