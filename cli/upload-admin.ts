import { parse } from 'csv-parse';
import { pendingListPath } from '../lambdas/core/uploads/approvals.ts';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import { partnerPrefix, systemPath } from '../lambdas/core/partners/tree.ts';
import { encryptsDownloads, OPENPGP_SNIFF_BYTES, sniffOpenPgp } from '../lambdas/core/partners/pgp-settings.ts';
import { readHeadBytes } from '../lambdas/app/files/head-bytes.ts';
import { uploadFileName, type UploadRecord } from '../lambdas/core/uploads/upload.ts';
import { errorReportPath } from '../lambdas/app/ingest/publish-upload.ts';
import type { CommandContext } from './context.ts';
import { CliError } from './io.ts';
import { actorName, existingPartner, operatorClients, type OperatorClients } from './operator-clients.ts';

/**
 * `uploads list | show | retry` (SPEC §17): what operators on call need to find an upload, read
 * why it ended as it did, and send a `System` failure through again. A table for people, `--json`
 * for scripts; neither shows file contents (error descriptions never hold a full National ID).
 */

/** One upload as listed: what status.csv shows plus who sent it and what came of it. */
export interface UploadListing {
  readonly upload: string;
  readonly area: string;
  readonly folder: string;
  readonly status: string;
  readonly systemFailure: boolean;
  readonly rowsRead?: number;
  readonly rowsApplied?: number;
  readonly rowsRejected?: number;
  readonly errors?: number;
  readonly author: string;
  readonly source: string;
  readonly receivedAt: string;
  readonly uploadId: string;
}

export function listing(u: UploadRecord): UploadListing {
  return {
    upload: uploadFileName(u),
    area: u.area,
    folder: u.folder,
    status: u.status,
    systemFailure: u.systemFailure === true,
    ...(u.counts ?? {}),
    ...(u.errorCount === undefined ? {} : { errors: u.errorCount }),
    author: u.author,
    source: u.source,
    receivedAt: u.receivedAt,
    uploadId: u.uploadId,
  };
}

/** The rows as an aligned table, a header first. */
export function uploadTable(rows: readonly UploadListing[]): string {
  const cells = rows.map((r) => [
    r.upload,
    `${r.area}/${r.folder}`,
    r.systemFailure ? `${r.status} (System)` : r.status,
    r.rowsRead === undefined ? '' : `${r.rowsRead}/${r.rowsApplied ?? 0}/${r.rowsRejected ?? 0}`,
    r.author,
    r.source,
  ]);
  const header = ['UPLOAD', 'FOLDER', 'STATUS', 'READ/APPLIED/REJECTED', 'AUTHOR', 'SOURCE'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  return (
    [header, ...cells].map((c) => c.map((cell, i) => (i === c.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n') +
    '\n'
  );
}

export async function listUploads(ctx: CommandContext, partnerId: string, options: { limit?: number; json?: boolean }): Promise<void> {
  const clients = await operatorClients(ctx);
  await existingPartner(clients, partnerId);
  const rows = (await clients.uploads.newest(partnerId, options.limit ?? 20)).map(listing);
  if (options.json) ctx.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) ctx.io.stderr.write(`no uploads of ${partnerId} yet\n`);
  else ctx.io.stdout.write(uploadTable(rows));
}

/** The files of an upload: logical paths in the partner's tree, and bucket keys outside it. */
export function uploadFiles(partner: Partner, upload: UploadRecord): Record<string, string> {
  const status = upload.statusArea === 'flexben' ? 'flexben/download/upload_history.csv' : 'employees/upload/status.csv';
  return {
    statusFile: `/${systemPath(partner.entityType, status)}`,
    ...(upload.errorCount || upload.status === 'Validated' ? { errorReport: errorReportPath(partner, upload) } : {}),
    ...(upload.status === 'Approval_Requested' ? { pendingApprovals: pendingListPath(partner, upload) } : {}),
    uploadedAs: `/${upload.originalKey.slice(partnerPrefix(partner.partnerId).length)}`,
    archivedCopy: `s3://…/${upload.archiveKey}`,
  };
}

/** What `uploads show` can say of an upload's error report. */
interface ReportErrors {
  readonly total: number;
  readonly first: Record<string, string>[];
  /** The report is encrypted to the partner's key (their downloads are): only they can read it. */
  readonly encrypted?: boolean;
}

/** The first `limit` rows of the upload's error report, and how many it has. */
async function reportErrors(clients: OperatorClients, partner: Partner, upload: UploadRecord, limit: number): Promise<ReportErrors> {
  const key = `${partnerPrefix(partner.partnerId)}${errorReportPath(partner, upload).slice(1)}`;
  if (!(await clients.store.head(key))) return { total: 0, first: [] };
  const encrypted = encryptsDownloads(partner) || sniffOpenPgp(await readHeadBytes(clients.store, key, OPENPGP_SNIFF_BYTES)) !== undefined;
  if (encrypted) return { total: upload.errorCount ?? 0, first: [], encrypted: true };
  const first: Record<string, string>[] = [];
  let total = 0;
  try {
    // Streamed: a report of a two-million-row file is not read into memory to show 20 lines.
    for await (const record of (await clients.store.read(key)).pipe(parse({ columns: true, bom: true })) as AsyncIterable<
      Record<string, string>
    >) {
      total++;
      if (first.length < limit) first.push(record);
    }
  } catch (error) {
    // csv-parse quotes the offending field, which may be a person's data: name the fault only.
    const code = (error as { code?: unknown }).code;
    throw new CliError(
      `the error report ${errorReportPath(partner, upload)} is not a readable CSV (${typeof code === 'string' ? code : 'unreadable'})`,
    );
  }
  return { total, first };
}

async function findUpload(clients: OperatorClients, partnerId: string, name: string): Promise<UploadRecord> {
  const upload = await clients.uploads.byFileName(partnerId, name);
  if (!upload) throw new CliError(`partner ${partnerId} has no upload ${name} (see uploads list ${partnerId})`);
  return upload;
}

export async function showUpload(
  ctx: CommandContext,
  partnerId: string,
  name: string,
  options: { json?: boolean; errors?: number },
): Promise<void> {
  const clients = await operatorClients(ctx);
  const partner = await existingPartner(clients, partnerId);
  const upload = await findUpload(clients, partnerId, name);
  const errors = await reportErrors(clients, partner, upload, options.errors ?? 20);
  const files = uploadFiles(partner, upload);
  if (options.json) {
    const report = { errors: errors.first, errorsInReport: errors.total, ...(errors.encrypted ? { errorReportEncrypted: true } : {}) };
    ctx.io.stdout.write(`${JSON.stringify({ ...upload, files, ...report }, null, 2)}\n`);
    return;
  }
  const { stdout } = ctx.io;
  const l = listing(upload);
  stdout.write(`${l.upload}  ${l.status}${l.systemFailure ? ' (System: our failure, retry with uploads retry)' : ''}\n`);
  stdout.write(`  folder ${l.area}/${l.folder}, author ${l.author}, source ${l.source}, received ${l.receivedAt}, id ${l.uploadId}\n`);
  if (l.rowsRead !== undefined) stdout.write(`  rows read ${l.rowsRead}, applied ${l.rowsApplied ?? 0}, rejected ${l.rowsRejected ?? 0}\n`);
  if (upload.retriedAt) stdout.write(`  retried by ${upload.retriedBy ?? 'unknown'} at ${upload.retriedAt}\n`);
  stdout.write('files:\n');
  for (const [what, path] of Object.entries(files)) stdout.write(`  ${what}: ${path}\n`);
  if (errors.encrypted) {
    stdout.write(
      `errors: ${errors.total} in the report, which is encrypted to the partner's key (their downloads are encrypted): ` +
        'only they can read it\n',
    );
  } else if (errors.total > 0) {
    stdout.write(`errors (${errors.first.length} of ${errors.total}):\n`);
    for (const e of errors.first) {
      const where = [e['Company Tax ID'], e['Line ID'] ?? e.Line, e['Field Name'] ?? e['Field name']].filter(Boolean).join(' ');
      stdout.write(
        `  ${[e['Error Source'], e['Error Type']].filter(Boolean).join(' / ')}${where ? ` [${where}]` : ''}: ${e['Error Description'] ?? e['Error report'] ?? ''}\n`,
      );
    }
  }
}

/** Why an upload may not be retried, or undefined when it may. */
export function retryRefusal(upload: UploadRecord): string | undefined {
  const name = uploadFileName(upload);
  if (upload.retriedAt) return `${name} was already retried by ${upload.retriedBy ?? 'someone'} at ${upload.retriedAt}: see uploads list`;
  if (upload.status === 'Rejected' && upload.systemFailure) return undefined;
  if (upload.status === 'Rejected')
    return `${name} was rejected because of its content, not our failure: the partner fixes the file and uploads it again (see uploads show)`;
  if (['Validating', 'Pending', 'Processing'].includes(upload.status)) return `${name} is still ${upload.status}: it is not finished yet`;
  return `${name} ended ${upload.status}: only an upload that failed on our side (System) is retried`;
}

/**
 * `uploads retry`: puts the archived bytes back where the partner uploaded them, so the file
 * comes in again through the whole path (S3 event, ingest, queue in the partner's order) as a new
 * upload with its own `{ts}`, its author the original sender's (the copy keeps the metadata).
 */
export async function retryUpload(ctx: CommandContext, partnerId: string, name: string, options: { actor?: string }): Promise<void> {
  const clients = await operatorClients(ctx);
  await existingPartner(clients, partnerId);
  const upload = await findUpload(clients, partnerId, name);
  const refusal = retryRefusal(upload);
  if (refusal) throw new CliError(refusal);
  if (!(await clients.store.head(upload.archiveKey)))
    throw new CliError(`${name}: its archived copy is gone (archive/uploads expires): the partner has to upload it again`);
  if (!(await clients.uploads.markRetried(upload, new Date(), actorName(options.actor)))) {
    throw new CliError(`${name} was already retried meanwhile: see uploads list`);
  }
  await resubmit(clients, upload);
  const path = `/${upload.originalKey.slice(partnerPrefix(partnerId).length)}`;
  ctx.io.stdout.write(`${name}: sent again as a new upload of ${path}; follow it with uploads list ${partnerId}\n`);
}

/**
 * Puts the archived copy back into the upload folder. The one place an operator re-sends a file:
 * if uploads are one day settled by Transfer's upload-result event (SPEC §15) rather than the S3
 * event alone, the announcement of a CLI-written file belongs here too.
 */
async function resubmit(clients: OperatorClients, upload: UploadRecord): Promise<void> {
  await clients.store.copy(upload.archiveKey, upload.originalKey);
}
