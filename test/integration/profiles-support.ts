import { inject } from 'vitest';
import { runCli } from '../../cli/main.ts';
import { parseSmallCsv, waitFor, type SftpSession } from '../support/local-harness.ts';
import type { StatusRow } from './eligibility-support.ts';

/** Helpers of the upwards and retrofit integration tests (SPEC §10, §11). */

/** A CSV with a header and rows, CRLF line ends, cells quoted only when they must be. */
export function csvLines(header: readonly string[], rows: readonly (readonly string[])[], delimiter = ','): string {
  const quote = (cell: string): string => (/[",|\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return [header, ...rows].map((r) => r.map(quote).join(delimiter)).join('\r\n') + '\r\n';
}

/** The partner's status rows, parsed. */
export async function statusRows(session: SftpSession, root = ''): Promise<StatusRow[]> {
  return parseSmallCsv((await session.get(`${root}/employees/upload/status.csv`)).toString('utf8')) as unknown as StatusRow[];
}

/** Waits until the status row named `filename` shows `status`. */
export async function waitForStatus(session: SftpSession, filename: string, status: string, root = ''): Promise<StatusRow> {
  const rows = await waitFor(
    () => statusRows(session, root),
    (found) => found.some((r) => r.filename === filename && r.processing_status === status),
    60_000,
  );
  return rows.find((r) => r.filename === filename) as StatusRow;
}

/** Runs the CLI in process against the harness's resources (local mode on its prefix). */
export async function cli(prefix: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  Object.assign(process.env, { AWS_ENDPOINT_URL: inject('awsEndpoint'), BX_LOCAL_PREFIX: prefix });
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}
