import { expect } from 'vitest';
import { cpf, formatCpf } from '../support/br-ids.ts';
import { parseSmallCsv, waitFor, type SftpSession } from '../support/local-harness.ts';

/** Builders and SFTP helpers shared by the eligibility integration tests. */

export const HEADER = [
  'Company Tax ID',
  'Name',
  'Email',
  'National ID',
  'Employee ID',
  'Department',
  'Payroll ID',
  'Cost center',
  'Office zip code',
  'Payroll Enabled',
];
export const ACME = '37211173000169';
export const GLOBEX = '12069193000116';

/** One valid employee row; `n` picks distinct identifiers. */
export function person(n: number, taxId = ACME, overrides: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    'Company Tax ID': taxId,
    Name: `Person ${String(n).padStart(4, '0')}`,
    Email: `p${n}@example.com`,
    'National ID': formatCpf(cpf(n)),
    'Employee ID': `E${n}`,
    Department: 'Ops',
    'Payroll ID': `P${n}`,
    'Cost center': 'CC1',
    'Office zip code': '04571-926',
    'Payroll Enabled': n % 2 === 0 ? 'Yes' : 'No',
  };
  return HEADER.map((h) => overrides[h] ?? base[h] ?? '');
}

export function csvOf(rows: string[][], delimiter = ','): string {
  const quote = (cell: string): string => (/[",;\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return [HEADER, ...rows].map((r) => r.map(quote).join(delimiter)).join('\r\n') + '\r\n';
}

export interface StatusRow {
  filename: string;
  batch_type: string;
  processing_status: string;
}

const SETTLED = new Set(['Succeeded', 'Succeeded with errors', 'Rejected', 'Validated', 'Deleted', 'Approval_Requested']);

/** Puts a file and waits for its status row to settle; returns the row. */
export async function putAndSettle(
  session: SftpSession,
  root: string,
  folder: string,
  name: string,
  content: string | Buffer,
): Promise<StatusRow> {
  await session.put(`${root}/employees/upload/${folder}/${name}`, content);
  const rows = await waitFor(
    async () => parseSmallCsv((await session.get(`${root}/employees/upload/status.csv`)).toString('utf8')) as unknown as StatusRow[],
    (found) => found.some((r) => r.filename.endsWith(`-${name}`) && SETTLED.has(r.processing_status)),
    60_000,
  );
  const row = rows.find((r) => r.filename.endsWith(`-${name}`));
  expect(row).toBeDefined();
  return row as StatusRow;
}

export async function errorReport(session: SftpSession, root: string, row: StatusRow): Promise<Record<string, string>[]> {
  return parseSmallCsv((await session.get(`${root}/employees/upload/error-details/${row.filename}`)).toString('utf8'));
}

/** The one eligible list in the download folder, parsed. */
export async function eligibleList(
  session: SftpSession,
  root: string,
): Promise<{ name: string; text: string; rows: Record<string, string>[] }> {
  const names = (await session.list(`${root}/employees/download`)).filter((n) => n.endsWith('_Eligible-list.csv'));
  expect(names).toHaveLength(1);
  const name = names[0] as string;
  const text = (await session.get(`${root}/employees/download/${name}`)).toString('utf8');
  return { name, text, rows: parseSmallCsv(text) };
}
