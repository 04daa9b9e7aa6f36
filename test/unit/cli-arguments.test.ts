import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.ts';

/**
 * The job, events and upload commands in-process: argument errors are one usage line (exit 2);
 * valid arguments reach the action, which says the feature is not there yet (exit 1). Neither
 * path touches AWS.
 */

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

function expectOneLine(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('argument validation', () => {
  it.each([
    [['job', 'payroll', '--cycle', '2026-13']],
    [['job', 'payroll', '--cycle', '202611']],
    [['job', 'payroll']],
    [['job', 'payroll', '--cycle', '2026-11', '--partner', 'Not_An_Id']],
    [['job', 'reports', '--end', '2026-02-30']],
    [['job', 'reports', '--end', '30/11/2026']],
    [['job', 'reports']],
    [['job', 'eligible-lists', 'extra']],
    [['events', 'load', '/no/such/file.jsonl']],
    [['events', 'load']],
    [['upload', 'approve', 'acme', 'employees.csv']],
    [['upload', 'decline', 'ACME', '1764000000-employees.csv']],
    [['upload', 'accept', 'acme', '1764000000-employees.csv']],
    [['upload']],
    [['job']],
    [['frobnicate']],
    [[]],
    [['partner', 'list', '--bogus']],
    [['partner', 'show']],
    [['emails', '--partner', 'X']],
    [['emails', '--stack', 'BenefitsExchange-dev']],
  ])('%j is refused with one line and exit 2', async (argv) => {
    const { code, stderr, stdout } = await cli(...argv);
    expect(code).toBe(2);
    expectOneLine(stderr);
    expect(stdout).toBe('');
  });

  it('prints help on --help, to stdout, with exit 0', async () => {
    const { code, stdout, stderr } = await cli('partner', 'add', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--entity-type');
    expect(stderr).toBe('');
  });

  it('takes --stack before or after the subcommand', async () => {
    const before = await cli('--stack', 'x', 'emails');
    const after = await cli('emails', '--stack', 'x');
    expect([before.code, after.code]).toEqual([2, 2]);
    expect(after.stderr).toBe(before.stderr);
    expect(before.stderr).toMatch(/local-only/);
  });
});
