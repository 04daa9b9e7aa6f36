import { Readable } from 'node:stream';
import { partnerSchema, type Partner, type PartnerInput } from '../../lambdas/core/partners/partner.ts';
import type { UploadError } from '../../lambdas/core/uploads/upload-errors.ts';
import type { EmployeeRow, RowOutcome } from '../../lambdas/core/eligibility/model.ts';
import { wellhubProfile } from '../../lambdas/core/eligibility/profiles/wellhub.ts';
import type { FileProfile } from '../../lambdas/core/eligibility/profile.ts';
import { readEmployeeFile, type ReadEvent } from '../../lambdas/core/eligibility/read/index.ts';

/** Shared builders for the eligibility reader tests: partners, files and event collectors. */

export const WELLHUB_HEADER =
  'Company Tax ID,Name,Email,National ID,Employee ID,Department,Payroll ID,Cost center,Office zip code,Payroll Enabled';

/** Test vectors from SPEC §14 and the alphanumeric CNPJ format. */
export const CNPJ = {
  acme: '37211173000169',
  acmePunctuated: '37.211.173/0001-69',
  leadingZero: '01916628000102',
  leadingZeroDropped: '1916628000102',
  alphanumeric: '12ABC34501DE35',
  alphanumericPunctuated: '12.ABC.345/01DE-35',
  notOurs: '12069193000116',
} as const;

export const CPF = { valid: '76425464089', validPunctuated: '764.254.640-89', other: '151.846.620-65' } as const;

/** A BR multi-entity partner owning three companies (one with a leading zero, one alphanumeric). */
export function brPartner(overrides: Partial<PartnerInput> = {}): Partner {
  return partnerSchema.parse({
    partnerId: 'acme',
    entityType: 'multi-entity',
    companies: [
      { taxId: CNPJ.acme, name: 'Acme Ltda' },
      { taxId: CNPJ.leadingZero, name: 'Zero Ltda' },
      { taxId: CNPJ.alphanumeric, name: 'Alfa Ltda' },
    ],
    adminEmails: ['hr@acme.example.com'],
    sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample acme@laptop'],
    createdAt: '2026-11-22T14:03:09Z',
    ...overrides,
  });
}

/** CRLF-joined lines with a final line end, as Excel writes them. */
export function csvText(lines: readonly string[], eol = '\r\n'): string {
  return lines.map((line) => `${line}${eol}`).join('');
}

/** A file as a stream of Buffer chunks (strings are encoded as UTF-8). */
export function streamOf(chunks: readonly (Buffer | string)[]): Readable {
  return Readable.from(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)));
}

export interface ReadResult {
  readonly events: ReadEvent[];
  readonly header?: string[];
  readonly outcomes: RowOutcome[];
  readonly fileError?: UploadError;
}

/** Reads a whole file and sorts its events. */
export async function readAll(
  chunks: readonly (Buffer | string)[],
  options: { partner?: Partner; profile?: FileProfile; maxRows?: number } = {},
): Promise<ReadResult> {
  const events: ReadEvent[] = [];
  const input = streamOf(chunks);
  for await (const event of readEmployeeFile(input, {
    profile: options.profile ?? wellhubProfile,
    partner: options.partner ?? brPartner(),
    maxRows: options.maxRows ?? 2_000_000,
  })) {
    events.push(event);
  }
  const header = events.find((e) => e.kind === 'header');
  const fileError = events.find((e) => e.kind === 'file-error');
  return {
    events,
    ...(header ? { header: header.fields } : {}),
    outcomes: events.flatMap((e) => (e.kind === 'row' ? [e.outcome] : [])),
    ...(fileError ? { fileError: fileError.error } : {}),
  };
}

/** Reads a wellhub file made of `lines` (header included). */
export function readLines(lines: readonly string[], options: Parameters<typeof readAll>[1] = {}): Promise<ReadResult> {
  return readAll([csvText(lines)], options);
}

/** Reads one data row under the full wellhub header. */
export async function readRow(row: string, options: Parameters<typeof readAll>[1] = {}): Promise<RowOutcome> {
  const { outcomes, fileError } = await readLines([WELLHUB_HEADER, row], options);
  if (fileError) throw new Error(`unexpected file error: ${fileError.description}`);
  if (outcomes.length !== 1) throw new Error(`expected one row, got ${outcomes.length}`);
  return outcomes[0]!;
}

/** The row of a valid outcome, failing the test otherwise. */
export function validRow(outcome: RowOutcome): EmployeeRow {
  if (outcome.kind !== 'valid') throw new Error(`expected a valid row, got ${JSON.stringify(outcome.errors)}`);
  return outcome.row;
}

/** The errors of a rejected outcome, failing the test otherwise. */
export function rowErrors(outcome: RowOutcome): readonly UploadError[] {
  if (outcome.kind !== 'rejected') throw new Error(`expected a rejected row, got ${JSON.stringify(outcome.row)}`);
  return outcome.errors;
}

/** A full wellhub data row with sensible defaults. */
export function wellhubRow(
  cells: Partial<
    Record<
      'company' | 'name' | 'email' | 'nationalId' | 'employeeId' | 'department' | 'payrollId' | 'costCenter' | 'zip' | 'payroll',
      string
    >
  > = {},
): string {
  return [
    cells.company ?? CNPJ.acme,
    cells.name ?? 'Maria Souza',
    cells.email ?? 'maria@acme.example.com',
    cells.nationalId ?? CPF.validPunctuated,
    cells.employeeId ?? 'E-001',
    cells.department ?? 'Engineering',
    cells.payrollId ?? 'P1',
    cells.costCenter ?? 'CC-10',
    cells.zip ?? '04571-926',
    cells.payroll ?? 'Yes',
  ].join(',');
}
