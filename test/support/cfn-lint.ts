import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * cfn-lint, the CloudFormation linter (Python): the one on PATH (CI has it), else one installed
 * into the project's `.venv/` on first use, the way local/moto.ts installs moto server.
 */

const PROJECT_ROOT = new URL('../..', import.meta.url).pathname;
const VENV = join(PROJECT_ROOT, '.venv');

function onPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

export function findOrInstallCfnLint(): string {
  const venvBinary = join(VENV, 'bin', 'cfn-lint');
  const existing = onPath('cfn-lint') ?? (existsSync(venvBinary) ? venvBinary : undefined);
  if (existing) return existing;
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error('cfn-lint is not on PATH and no python3 is available to install it');
  for (const args of [
    ...(existsSync(join(VENV, 'bin', 'pip')) ? [] : [[python, '-m', 'venv', VENV]]),
    [join(VENV, 'bin', 'pip'), 'install', '--quiet', 'cfn-lint>=1.51,<2'],
  ]) {
    const result = spawnSync(args[0] as string, args.slice(1), { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`failed to install cfn-lint: ${args.join(' ')}`);
  }
  return venvBinary;
}

export interface LintResult {
  /** cfn-lint's exit code: 0 clean; a bit mask of error (2), warning (4), informational (8) otherwise. */
  readonly status: number;
  /** One finding per entry, in cfn-lint's parseable format `file:line:col:line:col:RULE:message`. */
  readonly findings: string[];
}

/** Lints the templates, with the rule configuration of the repository's `.cfnlintrc.yaml`. */
export function cfnLint(templates: string[]): LintResult {
  const run = spawnSync(findOrInstallCfnLint(), ['--format', 'parseable', '--', ...templates], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (run.status === null) throw new Error(`cfn-lint did not finish: ${run.error?.message ?? run.signal}`);
  const findings = run.stdout.split('\n').filter((line) => line.trim() !== '');
  if (run.status !== 0 && findings.length === 0) throw new Error(`cfn-lint failed (exit ${run.status}): ${run.stderr}`);
  return { status: run.status, findings };
}
