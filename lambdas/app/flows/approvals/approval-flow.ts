import { BUCKET_LAYOUT } from '../../../../lib/resources.ts';
import type { ApprovalRepo } from '../../../adapters/approval-repo.ts';
import type { EmployeeRepo, StoredEmployee } from '../../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../../adapters/object-store.ts';
import { SYSTEM_WRITER_METADATA } from '../../../core/files/system-writer.ts';
import { deleteSystemFile, writeSystemFile } from '../../files/system-files.ts';
import type { UploadRepo } from '../../../adapters/upload-repo.ts';
import {
  approvalExpiry,
  decidedState,
  decidedStatus,
  plainPendingListPath,
  type ApprovalDecision,
  type ApprovalRecord,
} from '../../../core/uploads/approvals.ts';
import type { Partner } from '../../../core/partners/partner.ts';
import { partnerPrefix } from '../../../core/partners/tree.ts';
import { uploadFileName, type UploadRecord } from '../../../core/uploads/upload.ts';
import { eligibleListStream, listColumns, listOrder } from '../../../core/eligibility/eligible-list.ts';
import type { RemoveChange } from '../../../core/eligibility/model.ts';
import type { FileProfile } from '../../../core/eligibility/profile.ts';
import { profileFor } from '../../../core/eligibility/profiles/index.ts';
import { publishStatus } from '../../ingest/publish-upload.ts';
import { cancelCredits, eligibilityChanges } from '../credit-canceller.ts';
import { writeEligibleList } from '../eligibility/write-eligible-list.ts';
import type { FlexbenStores } from '../flexben/flexben-files.ts';

/**
 * Approval before inactivation (SPEC §10). A full file under a profile (or partner) that holds
 * removals applies its additions and updates at once and parks its removals here; an admin's
 * `APPROVE-…` / `DECLINE-…` file, the operator's CLI, the 14-day expiry sweep or a newer full
 * file then decides them — all through {@link decideApproval}, the one place removals held for
 * approval are applied.
 */

export interface ApprovalDeps {
  readonly store: ObjectStore;
  readonly employees: EmployeeRepo;
  readonly uploads: UploadRepo;
  readonly approvals: ApprovalRepo;
  /** When present, approved removals cancel credits (SPEC §7.5). */
  readonly flexben?: FlexbenStores;
}

/** Where an upload's held removals are kept: outside the partner tree, the partner never sees ids. */
export function heldRemovalsKey(partnerId: string, uploadId: string): string {
  return `${BUCKET_LAYOUT.heldRemovals}${partnerId}/${uploadId}.json`;
}

type HeldRemoval = readonly [companyTaxId: string, employeeKey: string];

function pendingKey(partner: Partner, upload: Pick<UploadRecord, 'ts' | 'name'>): string {
  return `${partnerPrefix(partner.partnerId)}${plainPendingListPath(partner, upload).slice(1)}`;
}

/**
 * Parks `held` for approval: the ids outside the tree, the people (in the profile's own columns)
 * in `upload/approvals/{ts}-{name}-pending.csv`, and a pending approval record. Safe to repeat.
 */
export async function requestApproval(
  deps: ApprovalDeps,
  partner: Partner,
  profile: FileProfile,
  upload: UploadRecord,
  held: readonly RemoveChange[],
  now: Date,
): Promise<ApprovalRecord> {
  const ids: HeldRemoval[] = held.map((change) => [change.companyTaxId, change.employeeKey]);
  await deps.store.put(heldRemovalsKey(partner.partnerId, upload.uploadId), JSON.stringify(ids), {
    contentType: 'application/json',
    metadata: { ...SYSTEM_WRITER_METADATA },
  });

  const keys = new Set(held.map((change) => change.employeeKey));
  const companies = [...new Set(held.map((change) => change.companyTaxId))].sort();
  // Streamed and filtered: only the held people are kept, however big their companies are.
  const people: StoredEmployee[][] = [];
  for (const taxId of companies) {
    const found: StoredEmployee[] = [];
    for await (const e of deps.employees.allOf(partner.partnerId, taxId)) if (e.active && keys.has(e.employeeKey)) found.push(e);
    people.push(found.sort(listOrder(profile)));
  }
  async function* byCompany(): AsyncGenerator<(typeof people)[number]> {
    yield* people;
  }
  await writeSystemFile(deps.store, partner, {
    key: pendingKey(partner, upload),
    body: eligibleListStream(listColumns(profile, people.flat()), byCompany()),
    contentType: 'text/csv; charset=utf-8',
    personal: true,
  });

  const record: ApprovalRecord = {
    partnerId: partner.partnerId,
    uploadName: uploadFileName(upload),
    uploadSeq: upload.seq,
    uploadId: upload.uploadId,
    date: upload.receivedAt.slice(0, 10),
    held: held.length,
    requestedAt: now.toISOString(),
    expiresOn: approvalExpiry(now).toISOString(),
    state: 'pending',
  };
  await deps.approvals.put(record);
  return record;
}

export type DecisionResult =
  | { readonly ok: true; readonly upload: UploadRecord; readonly removed: number }
  | { readonly ok: false; readonly reason: 'unknown' | 'decided'; readonly description: string };

/**
 * Answers an upload awaiting approval, named `{ts}-{name}` as in status.csv. Approving removes
 * the held people who are still active (termination date: the day of the approval) and ends the upload
 * `Succeeded`; any other decision keeps them and ends it `Deleted`. Crash-safe: the removals are
 * written before the approval is marked decided, and a repeated decision finishes the status.
 */
export async function decideApproval(
  deps: ApprovalDeps,
  partner: Partner,
  uploadName: string,
  decision: ApprovalDecision,
  now: Date,
  by: string,
): Promise<DecisionResult> {
  const approval = await deps.approvals.get(partner.partnerId, uploadName);
  if (!approval) {
    return {
      ok: false,
      reason: 'unknown',
      description:
        `No upload named ${uploadName} is awaiting approval. Name the file APPROVE-{ts}-{name} or ` +
        'DECLINE-{ts}-{name}, with {ts}-{name} exactly as status.csv shows the upload awaiting approval.',
    };
  }
  const upload = await deps.uploads.get({ partnerId: partner.partnerId, seq: approval.uploadSeq });
  if (!upload) throw new Error('the upload of an approval record is missing');
  const finishing = approval.state === decidedState(decision) && upload.status === 'Approval_Requested';
  if (approval.state !== 'pending' && !finishing) {
    return {
      ok: false,
      reason: 'decided',
      description: `The upload ${uploadName} is no longer awaiting approval: it was ${approval.state}.`,
    };
  }

  const removed = decision === 'approve' ? await applyHeldRemovals(deps, partner, approval, upload, now) : 0;
  if (!(await deps.approvals.decide(partner.partnerId, uploadName, decidedState(decision), now, by)) && !finishing) {
    const current = await deps.approvals.get(partner.partnerId, uploadName);
    if (current?.state !== decidedState(decision)) {
      return {
        ok: false,
        reason: 'decided',
        description: `The upload ${uploadName} is no longer awaiting approval: it was ${current?.state ?? 'removed'}.`,
      };
    }
  }
  const settled = await deps.uploads.settle(
    upload,
    { status: decidedStatus(decision), errorCount: upload.errorCount ?? 0, counts: upload.counts },
    now,
  );
  await publishStatus(deps, partner, settled);
  await deleteSystemFile(deps.store, pendingKey(partner, upload));
  return { ok: true, upload: settled, removed };
}

/** Writes the approved removals (one write each) and the new eligible list; returns how many. */
async function applyHeldRemovals(
  deps: ApprovalDeps,
  partner: Partner,
  approval: ApprovalRecord,
  upload: UploadRecord,
  now: Date,
): Promise<number> {
  const text = await deps.store.readText(heldRemovalsKey(partner.partnerId, approval.uploadId));
  const held = JSON.parse(text ?? '[]') as HeldRemoval[];
  const companies = [...new Set(held.map(([taxId]) => taxId))];
  const active = new Set<string>();
  for await (const employee of deps.employees.loadBase(partner.partnerId, companies)) {
    if (employee.active) active.add(employee.employeeKey);
  }
  // Someone brought back meanwhile (a newcomers file) is not removed by an older list.
  const removals: RemoveChange[] = held
    .filter(([, employeeKey]) => active.has(employeeKey))
    .map(([companyTaxId, employeeKey]) => ({ kind: 'remove', companyTaxId, employeeKey }));
  if (removals.length === 0) return 0;
  // Credits first, as the eligibility processor does: a retry no longer sees removals already
  // written, and the canceller's tombstones make a second call harmless (SPEC §7.5).
  if (deps.flexben)
    await cancelCredits({ store: deps.store, ...deps.flexben }, partner, upload, eligibilityChanges(removals).removed, [], now);
  // SPEC §19: a held removal takes effect the day it is approved, not the day of the list.
  await deps.employees.apply(partner.partnerId, approval.uploadId, removals, now.toISOString().slice(0, 10));
  await writeEligibleList(deps, partner, profileFor(partner.profile), Math.floor(now.getTime() / 1000));
  return removals.length;
}

/** A newer full list replaces the partner's pending ones: their removals are dropped (`Deleted`). */
export async function supersedePendingApprovals(deps: ApprovalDeps, partner: Partner, now: Date): Promise<number> {
  const pending = await deps.approvals.pending(partner.partnerId);
  for (const approval of pending) await decideApproval(deps, partner, approval.uploadName, 'supersede', now, 'system');
  return pending.length;
}

/** True when a full file's removals wait for approval: the partner's setting, else the profile's. */
export function removalsNeedApproval(partner: Pick<Partner, 'approval'>, profile: Pick<FileProfile, 'removals'>): boolean {
  return (partner.approval ?? (profile.removals === 'approval' ? 'required' : 'none')) === 'required';
}
