import type { Partner } from '../partners/partner.ts';
import { systemPath } from '../partners/tree.ts';
import { downloadName, plainName } from '../partners/pgp-settings.ts';
import type { UploadRecord } from './upload.ts';

/**
 * Approval before inactivation (SPEC §10), the pure part: names of the files involved, how long
 * an approval waits, and what a decision does to the upload's status.
 */

/** An approval not answered within this long expires, its removals dropped. */
export const APPROVAL_TTL_DAYS = 14;

export type ApprovalState = 'pending' | 'approved' | 'declined' | 'expired' | 'superseded';

/** How an approval is answered: by an admin (file or CLI), by the expiry sweep, or by a newer list. */
export type ApprovalDecision = 'approve' | 'decline' | 'expire' | 'supersede';

/** What the upload awaiting approval ends as (SPEC §5: `Deleted` when declined or expired). */
export function decidedStatus(decision: ApprovalDecision): 'Succeeded' | 'Deleted' {
  return decision === 'approve' ? 'Succeeded' : 'Deleted';
}

export function decidedState(decision: ApprovalDecision): Exclude<ApprovalState, 'pending'> {
  switch (decision) {
    case 'approve':
      return 'approved';
    case 'decline':
      return 'declined';
    case 'expire':
      return 'expired';
    case 'supersede':
      return 'superseded';
  }
}

/** One upload's held removals, as stored next to its upload record. */
export interface ApprovalRecord {
  readonly partnerId: string;
  /** `{ts}-{name}` of the upload awaiting approval: what admins and operators name it by. */
  readonly uploadName: string;
  readonly uploadSeq: string;
  readonly uploadId: string;
  /** The upload's date (YYYY-MM-DD): the termination date of the people removed on approval. */
  readonly date: string;
  readonly held: number;
  readonly requestedAt: string;
  /** ISO instant after which the sweep expires it. */
  readonly expiresOn: string;
  readonly state: ApprovalState;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
}

/** The instant an approval requested at `requestedAt` expires. */
export function approvalExpiry(requestedAt: Date): Date {
  return new Date(requestedAt.getTime() + APPROVAL_TTL_DAYS * 24 * 60 * 60 * 1000);
}

/** `{ts}-{name}-pending.csv`: the people an upload would remove, in `upload/approvals/`. */
export function pendingListName(upload: Pick<UploadRecord, 'ts' | 'name'>): string {
  // An encrypted upload's files are named after the file inside (SPEC §16).
  return `${upload.ts}-${plainName(upload.name)}-pending.csv`;
}

type ListOwner = Pick<Partner, 'entityType' | 'pgpPublicKey' | 'encryptDownloads'>;

/** Logical path of the pending list in the partner's tree, as written (`.pgp` when downloads are encrypted). */
export function pendingListPath(partner: ListOwner, upload: Pick<UploadRecord, 'ts' | 'name'>): string {
  return downloadName(partner, plainPendingListPath(partner, upload));
}

/** The pending list's path before the system file writer adds any `.pgp`. */
export function plainPendingListPath(partner: Pick<Partner, 'entityType'>, upload: Pick<UploadRecord, 'ts' | 'name'>): string {
  return `/${systemPath(partner.entityType, `employees/upload/approvals/${pendingListName(upload)}`)}`;
}

/** A confirmation file's meaning: `APPROVE-{ts}-{name}` or `DECLINE-{ts}-{name}` (prefix in any case). */
export function parseConfirmationName(name: string): { decision: 'approve' | 'decline'; uploadName: string } | undefined {
  const match = /^(APPROVE|DECLINE)-(\d+-.+)$/i.exec(name);
  if (!match) return undefined;
  return { decision: match[1]!.toUpperCase() === 'APPROVE' ? 'approve' : 'decline', uploadName: match[2]! };
}
