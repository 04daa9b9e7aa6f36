import type { EmployeeRepo } from '../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../adapters/object-store.ts';
import { BaseIndex } from '../../eligibility/diff/base-index.ts';
import { runEligibilityEngine } from '../../eligibility/engine.ts';
import type { ChangePlan, DiffMode } from '../../eligibility/model.ts';
import { profileFor } from '../../eligibility/profiles/index.ts';
import type { SummaryLine } from '../../domain/upload-errors.ts';
import type { UploadStatus } from '../../domain/upload.ts';
import { cancelCredits, eligibilityChanges } from '../credit-canceller.ts';
import type { FlexbenStores } from '../flexben/flexben-files.ts';
import { ContinueLater, type ProcessOutcome, type UploadContext, type UploadProcessor } from '../upload-processor.ts';
import { writeEligibleList } from './write-eligible-list.ts';

/**
 * Full files, newcomers, leavers and dry runs (SPEC §6): load the partner's stored base, run the
 * engine over the streamed file, and apply the plan unless it is rejected or a dry run. A retry
 * after a crash re-plans against the partly updated base, so only what is still missing is
 * written and the end state is the same as a clean run's.
 */

/**
 * Time kept back when an apply stops early: the writes in flight (throttled batches back off for
 * seconds), the status row and the hand-back to the queue must fit in it.
 */
export const APPLY_MARGIN_MS = 60_000;

export interface EligibilityDeps {
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
      const base = await BaseIndex.from(deps.employees.loadBase(partner.partnerId, partner.companies.map((c) => c.taxId)));
      const plan = await runEligibilityEngine({
        input: await context.openInput(),
        profile,
        partner,
        mode,
        base,
        maxRows: deps.maxRows,
      });
      const counts = {
        rowsRead: plan.rowsRead,
        rowsRejected: plan.rowsRejected,
        rowsApplied: plan.verdict === 'rejected' || options.dryRun ? 0 : plan.rowsRead - plan.rowsRejected,
      };
      if (options.dryRun) {
        return { status: plan.verdict === 'rejected' ? 'Rejected' : 'Validated', errors: plan.errors, summary: preview(plan), counts };
      }
      if (plan.verdict === 'rejected') return { status: 'Rejected', errors: plan.errors, counts };

      await context.setStatus('Processing');
      // Before the apply: a re-plan after a crash or a ContinueLater no longer sees removals
      // already written, while the canceller's own tombstones make calling it again harmless.
      if (deps.flexben) {
        const { removed, arrivals } = eligibilityChanges(plan.changes);
        await cancelCredits({ store: deps.store, ...deps.flexben }, partner, upload, removed, arrivals, context.now);
      }
      const date = upload.receivedAt.slice(0, 10);
      const applied = await deps.employees.apply(
        partner.partnerId,
        upload.uploadId,
        plan.changes,
        date,
        () => context.remainingMs() < APPLY_MARGIN_MS,
      );
      if (!applied.complete) throw new ContinueLater({ changes: plan.changes.length, written: applied.written });
      if (plan.changes.length > 0) await writeEligibleList(deps, partner, profile, upload.ts);
      const status: UploadStatus = plan.verdict === 'accepted' ? 'Succeeded' : 'Succeeded with errors';
      return { status, errors: plan.errors, counts };
    },
  };
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
