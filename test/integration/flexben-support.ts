import { expect } from 'vitest';
import { parseSmallCsv, waitFor, type SftpSession } from '../support/local-harness.ts';

/** Builders and SFTP helpers for the flexben integration tests (SPEC §7). */

export const CREDIT_HEADER = [
  'Company Tax ID',
  'Email',
  'National ID',
  'Employee ID',
  'Amount',
  'Last Credited Month',
  'Last Credited Year',
];
export const REMOVAL_HEADER = CREDIT_HEADER.slice(0, 4);

/** A credit month that is never in the past: next month, in UTC. */
export function nextMonth(now = new Date()): { month: string; year: string } {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { month: String(next.getUTCMonth() + 1), year: String(next.getUTCFullYear()) };
}

export function creditCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const quote = (cell: string): string => (/[",;\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

export interface HistoryRow {
  'File name': string;
  'Upload date + time': string;
  Type: string;
  Method: string;
  Status: string;
  Author: string;
  '# Errors': string;
}

export async function historyRows(session: SftpSession, root: string): Promise<HistoryRow[]> {
  return parseSmallCsv((await session.get(`${root}/flexben/download/upload_history.csv`)).toString('utf8')) as unknown as HistoryRow[];
}

/** Puts a credit file and waits for its row in the upload history (only settled uploads have one). */
export async function putCredits(
  session: SftpSession,
  root: string,
  folder: 'add-or-update' | 'removal',
  name: string,
  content: string,
): Promise<HistoryRow> {
  await session.put(`${root}/flexben/upload/${folder}/${name}`, content);
  const rows = await waitFor(
    () => historyRows(session, root),
    (found) => found.some((r) => r['File name'].endsWith(`-${name}`)),
    60_000,
  );
  const row = rows.find((r) => r['File name'].endsWith(`-${name}`));
  expect(row).toBeDefined();
  return row as HistoryRow;
}

export async function flexbenErrors(session: SftpSession, root: string, row: HistoryRow): Promise<Record<string, string>[]> {
  const name = /\.csv$/i.test(row['File name']) ? row['File name'] : `${row['File name']}.csv`;
  return parseSmallCsv((await session.get(`${root}/flexben/download/errors/${name}`)).toString('utf8'));
}

export async function beneficiaries(session: SftpSession, root: string): Promise<Record<string, string>[]> {
  return parseSmallCsv((await session.get(`${root}/flexben/download/beneficiaries-list.csv`)).toString('utf8'));
}
