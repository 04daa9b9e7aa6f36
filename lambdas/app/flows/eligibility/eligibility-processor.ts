import type { EmployeeRepo } from '../../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../../adapters/object-store.ts';
import { runEligibilityEngine } from '../../../core/eligibility/engine.ts';
import type { Change, ChangePlan, DiffMode, RemoveChange } from '../../../core/eligibility/model.ts';
import type { FileProfile } from '../../../core/eligibility/profile.ts';
import type { BaseIndex } from '../../../core/eligibility/diff/base-index.ts';
import { profileFor } from '../../../core/eligibility/profiles/index.ts';
import { partnerScopedTo } from '../../../core/partners/partner.ts';
import type { SummaryLine } from '../../../core/uploads/upload-errors.ts';
import type { UploadCounts, UploadStatus } from '../../../core/uploads/upload.ts';
import { cancelCredits, eligibilityChanges } from '../credit-canceller.ts';
import type { FlexbenStores } from '../flexben/flexben-files.ts';
import { APPLY_MARGIN_MS, ContinueLater, type ProcessOutcome, type UploadContext, type UploadProcessor } from '../upload-processor.ts';
import { uploadError } from '../../../core/uploads/upload-errors.ts';
import { plainName } from '../../../core/partners/pgp-settings.ts';
import { type ApprovalDeps, requestApproval, removalsNeedApproval, supersedePendingApprovals } from '../approvals/approval-flow.ts';
import { writeEligibleList } from './write-eligible-list.ts';
import { loadBaseState, readRecords, removeStateFiles, saveBaseState, type PriorState } from './base-state.ts';

/**
 * Full files, newcomers, leavers and dry runs (SPEC §6): load the partner's stored base, run the
 * engine over the streamed file, and apply the plan unless it is rejected or a dry run. A retry
 * after a crash re-plans against the partly updated base, so only what is still missing is
 * written and the end state is the same as a clean run's.
 */

export interface EligibilityDeps extends ApprovalDeps {
  readonly store: ObjectStore;
  readonly employees: EmployeeRepo;
  readonly maxRows: number;
  /** When present, removals and relocations cancel credits (SPEC §7.5). */
  readonly flexben?: FlexbenStores;
}

export function eligibilityProcessor(deps: EligibilityDeps, mode: DiffMode, options: { dryRun?: boolean } = {}): UploadProcessor {
  return {
    async process(context: UploadContext): Promise<ProcessOutcome> {
      const { partner, upload } = context;
      const profile = profileFor(partner.profile);
      const badName = profile.fileName?.(plainName(upload.name));
      if (badName)
        return { status: 'Rejected', errors: [uploadError('Invalid', badName)], counts: { rowsRead: 0, rowsApplied: 0, rowsRejected: 0 } };
      const files: (string | undefined)[] = [];
      try {
        const applied = await planAndApply(deps, mode, options, context, profile, files);
        if ('outcome' in applied) return applied.outcome;

        // The plan and the base are gone by now, so a million-person list has the memory to itself.
        // A retry rewrites it even with nothing left to change: an earlier attempt may have written
        // the changes and died before the list.
        context.stage('filesWritten');
        if (applied.changed > 0 || context.attempt > 1) {
          const file = applied.current;
          await writeEligibleList(deps, partner, profile, upload.ts, file ? () => readRecords(file) : undefined);
        }
        return await settleApplied(deps, mode, context, profile, applied);
      } finally {
        await removeStateFiles(...files);
      }
    },
  };
}

async function settleApplied(
  deps: EligibilityDeps,
  mode: DiffMode,
  context: UploadContext,
  profile: FileProfile,
  applied: Exclude<Applied, { outcome: ProcessOutcome }>,
): Promise<ProcessOutcome> {
  const { partner, upload } = context;
  if (mode === 'replace') await supersedePendingApprovals(deps, partner, context.now);
  if (applied.held.length > 0) {
    await requestApproval(deps, partner, profile, upload, applied.held, context.now);
    return {
      status: 'Approval_Requested',
      errors: applied.errors,
      summary: approvalSummary(applied.held.length),
      counts: applied.counts,
    };
  }
  const status: UploadStatus = applied.verdict === 'accepted' ? 'Succeeded' : 'Succeeded with errors';
  return { status, errors: applied.errors, counts: applied.counts };
}

type Applied =
  | { readonly outcome: ProcessOutcome }
  | {
      readonly changed: number;
      /** Removals held for approval (SPEC §10). */
      readonly held: readonly RemoveChange[];
      readonly verdict: ChangePlan['verdict'];
      readonly errors: ChangePlan['errors'];
      readonly counts: UploadCounts;
      /** The base snapshot written after the apply (a local file), when one could be. */
      readonly current?: string;
    };

/**
 * Plans the file against the stored base and applies the plan (or ends the upload: rejected, dry
 * run). Its own function so that the plan and the base index, the two big things, are released
 * when it returns.
 */
async function planAndApply(
  deps: EligibilityDeps,
  mode: DiffMode,
  options: { dryRun?: boolean },
  context: UploadContext,
  profile: FileProfile,
  files: (string | undefined)[],
): Promise<Applied> {
  const { partner, upload } = context;
  context.stage('baseLoad');
  // A user given --company sends rows only for those companies (SPEC §17): others are Unauthorized.
  const scoped = partnerScopedTo(partner, upload.author);
  // `let`, so the index can go before the snapshot is merged: the plan is all that needs it.
  let loaded: { index?: BaseIndex; prior?: PriorState } = await loadBaseState(
    deps,
    partner,
    scoped.companies.map((c) => c.taxId),
    { withPrior: !options.dryRun },
  );
  const { prior } = loaded;
  files.push(prior?.file);
  context.stage('readValidate');
  const plan = await runEligibilityEngine({
    input: await context.openInput(),
    profile,
    partner: scoped,
    mode,
    base: loaded.index!,
    maxRows: deps.maxRows,
  });
  loaded = { prior };
  const counts = {
    rowsRead: plan.rowsRead,
    rowsRejected: plan.rowsRejected,
    rowsApplied: plan.verdict === 'rejected' || options.dryRun ? 0 : plan.rowsRead - plan.rowsRejected,
  };
  if (options.dryRun) {
    const holds = removalsNeedApproval(partner, profile) && plan.companies.some((c) => c.removed > 0);
    const summary = holds
      ? [...preview(plan), { description: 'Preview: the removals would wait for your approval before anyone is removed.' }]
      : preview(plan);
    return { outcome: { status: plan.verdict === 'rejected' ? 'Rejected' : 'Validated', errors: plan.errors, summary, counts } };
  }
  if (plan.verdict === 'rejected') return { outcome: { status: 'Rejected', errors: plan.errors, counts } };

  context.stage('apply');
  await context.setStatus('Processing');
  // SPEC §10: under approval, removals wait (their credits with them); the rest is applied now.
  const held =
    mode === 'replace' && removalsNeedApproval(partner, profile) ? plan.changes.filter((c): c is RemoveChange => c.kind === 'remove') : [];
  const changes = held.length > 0 ? plan.changes.filter((c) => c.kind !== 'remove') : plan.changes;
  // Before the apply: a re-plan after a crash or a ContinueLater no longer sees removals
  // already written, while the canceller's own tombstones make calling it again harmless.
  if (deps.flexben) {
    const { removed, arrivals } = eligibilityChanges(changes);
    await cancelCredits({ store: deps.store, ...deps.flexben }, partner, upload, removed, arrivals, context.now);
  }
  const date = upload.receivedAt.slice(0, 10);
  // Nothing to write is no write: the base snapshot stays valid for the next upload.
  const applied =
    changes.length > 0
      ? await deps.employees.apply(partner.partnerId, upload.uploadId, changes, date, () => context.remainingMs() < APPLY_MARGIN_MS)
      : undefined;
  if (applied && !applied.complete) throw new ContinueLater({ changes: changes.length, written: applied.written });
  const current = await nextSnapshot(deps, context, prior, changes, applied?.generation);
  files.push(current);
  return { changed: changes.length, held, verdict: plan.verdict, errors: plan.errors, counts, current };
}

/**
 * The base snapshot after this upload. With nothing to change, a base read from the table is
 * still written as one (an empty apply gives it its generation), so the next upload reads one object.
 */
async function nextSnapshot(
  deps: EligibilityDeps,
  context: UploadContext,
  prior: PriorState | undefined,
  changes: readonly Change[],
  generation: number | undefined,
): Promise<string | undefined> {
  const { partner, upload } = context;
  if (!prior) return undefined;
  // Nothing written over a valid snapshot: it still holds, and the list reads it.
  if (changes.length === 0 && prior.fromSnapshot) return prior.file;
  const at = generation ?? (await deps.employees.apply(partner.partnerId, upload.uploadId, [], upload.receivedAt.slice(0, 10))).generation;
  const saved = await saveBaseState(deps, partner, prior, { changes, uploadId: upload.uploadId, generation: at });
  if (saved.skipped)
    context.log.info('base snapshot not written', { partnerId: partner.partnerId, uploadId: upload.uploadId, reason: saved.skipped });
  return saved.file;
}

/** The report line of an upload whose removals wait for approval (SPEC §10). */
function approvalSummary(held: number): SummaryLine[] {
  return [
    {
      description:
        `Approval requested: ${held} ${held === 1 ? 'person is' : 'people are'} missing from this list and will be ` +
        'removed only once you approve (see the -pending.csv file in upload/approvals/). Additions and updates are applied.',
    },
  ];
}

/** The dry run's per-company counts (SPEC §6.6). */
function preview(plan: ChangePlan): SummaryLine[] {
  return plan.companies.map((c) => ({
    companyTaxId: c.companyTaxId,
    description:
      `Preview: ${c.added} to add, ${c.updated} to update, ${c.reactivated} to reactivate, ${c.removed} to remove, ` +
      `${c.unchanged} unchanged, ${c.rejectedRows} rows rejected (${c.activeBefore} active now).`,
  }));
}
