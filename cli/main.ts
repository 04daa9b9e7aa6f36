import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { resolveDeployment, type Deployment, type DeploymentOptions } from './deployment.ts';
import { createContext } from './context.ts';
import { CliError, EXIT, oneLine, type CliIo } from './io.ts';
import { buildProgram } from './program.ts';

/**
 * `benefits-exchange`: the operators' CLI (SPEC §12). `runCli` is the whole program as a function
 * of its arguments, so tests run it in-process; `bin/benefits-exchange.mjs` calls {@link main}.
 */

/** Turns an unexpected error into one line, with a hint for the usual local-mode mistakes. */
function describe(error: unknown, local: Deployment | undefined): string {
  const endpoint = local?.endpoint;
  const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const message = oneLine(err.message ?? String(error));
  const code = err.code ?? err.cause?.code ?? '';
  if (endpoint && (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message))) {
    return `cannot reach the emulator at ${endpoint}: is local mode running (npm run local)?`;
  }
  if (err.name === 'ResourceNotFoundException' || err.name === 'NoSuchBucket') {
    const where = local ? ` (local mode: ${local.tables.partners}, ${local.bucket} at ${endpoint})` : '';
    return `${message}${where}: is ${local ? 'local mode running with the same BX_LOCAL_PREFIX' : 'the stack complete'}?`;
  }
  return message || (err.name ?? 'unknown error');
}

/**
 * Runs the CLI with `argv` (the arguments after the program name) and returns its exit code:
 * 0 on success, 1 when the operation failed, 2 on bad arguments. Never calls process.exit; every
 * failure is one line on `io.stderr`.
 *
 * @param argv - e.g. `['partner', 'list', '--stack', 'BenefitsExchange-dev']`
 * @param io - output streams (default: the process's)
 */
export async function runCli(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let globalOptions: DeploymentOptions = {};
  const context = createContext(io, () => globalOptions);
  const program = buildProgram(io, context);
  program.hook('preAction', (root) => {
    globalOptions = root.opts<DeploymentOptions>();
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already written its message (one line, see buildProgram).
      const displayedOnly = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
      return displayedOnly.includes(error.code) && error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      io.stderr.write(`error: ${oneLine(error.message)}\n`);
      return error.exitCode;
    }
    // Local mode resolves without any call, so the hint costs nothing; a stack gets no hint.
    const local = globalOptions.stack ? undefined : await resolveDeployment({});
    io.stderr.write(`error: ${describe(error, local)}\n`);
    return EXIT.failed;
  } finally {
    context.close();
  }
}

/** The process entry: runs the CLI on process.argv and sets the exit code (no hard exit, so output drains). */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2));
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
