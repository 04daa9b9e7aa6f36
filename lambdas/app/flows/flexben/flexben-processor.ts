import type { EmployeeRepo } from '../../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../../adapters/object-store.ts';
import { partnerScopedTo, type Partner } from '../../../core/partners/partner.ts';
import { uploadError, type UploadError } from '../../../core/uploads/upload-errors.ts';
import { readEmployeeFile } from '../../../core/eligibility/read/index.ts';
import { CreditPlanner } from '../../../core/flexben/credit-plan.ts';
import { IdentityMatcher } from '../../../core/flexben/identity-matcher.ts';
import { creditKey, type CreditedEmployee, type StoredCredit } from '../../../core/flexben/model.ts';
import { addOrUpdateProfile, removalProfile } from '../../../core/flexben/profiles.ts';
import { APPLY_MARGIN_MS, ContinueLater, type ProcessOutcome, type UploadContext, type UploadProcessor } from '../upload-processor.ts';
import { writeBeneficiariesList, type FlexbenStores } from './flexben-files.ts';

/**
 * Credit files (SPEC §7.1–§7.3): read with the eligibility reader under a flexben profile, match
 * each row to an active eligible employee of its company, apply the valid rows and reject the
 * others one by one. `Succeeded` (history `SUCCEEDED`) when anything applied, else `Rejected`.
 * Crash-safe: a retry re-plans against the credits as they are and writes the same items again;
 * a removal recognises the tombstones it made itself, so it never reports them as unknown.
 */

export interface FlexbenDeps extends FlexbenStores {
  readonly store: ObjectStore;
  readonly employees: EmployeeRepo;
  readonly maxRows: number;
}

export type CreditFileKind = 'add-or-update' | 'removal';

export function flexbenProcessor(deps: FlexbenDeps, kind: CreditFileKind): UploadProcessor {
  return {
    async process(context: UploadContext): Promise<ProcessOutcome> {
      const { partner, upload } = context;
      const profile = kind === 'removal' ? removalProfile : addOrUpdateProfile(context.now);
      // Reading, validating and loading the base are one step here: companies load as rows name them.
      context.stage('readValidate');
      const employees = new IdentityMatcher<CreditedEmployee>();
      // Only a removal looks at stored credits; an add-or-update overwrites whole items.
      const credits = kind === 'removal' ? await deps.credits.all(partner.partnerId) : new Map<string, StoredCredit>();
      const planner = new CreditPlanner({ kind, employees, credits, uploadId: upload.uploadId });
      // A company's active employees are loaded when a row first names it, and rows are planned
      // as they are read: neither the file nor every company's base is ever held whole.
      const loaded = new Set<string>();
      let rowsSeen = 0;
      for await (const event of readEmployeeFile(await context.openInput(), {
        profile,
        partner: partnerScopedTo(partner, upload.author),
        maxRows: deps.maxRows,
      })) {
        if (event.kind === 'file-error') return refused(event.error, rowsSeen);
        if (event.kind !== 'row') continue;
        rowsSeen++;
        const { outcome } = event;
        if (outcome.kind === 'valid' && !loaded.has(outcome.row.companyTaxId)) {
          loaded.add(outcome.row.companyTaxId);
          await addActiveEmployees(employees, deps.employees, partner, outcome.row.companyTaxId);
        }
        planner.add(outcome);
      }
      if (rowsSeen === 0) return refused(headerOnly(), 0);

      const plan = planner.finish();
      const counts = { rowsRead: plan.rowsRead, rowsApplied: plan.rowsApplied, rowsRejected: plan.rowsRejected };
      if (plan.rowsApplied === 0) return { status: 'Rejected', errors: plan.errors, counts };

      context.stage('apply');
      await context.setStatus('Processing');
      // A retry or a continuation skips what earlier attempts of this upload already wrote.
      const done = context.attempt > 1 ? await deps.credits.writtenBy(partner.partnerId, upload.uploadId) : new Set<string>();
      const by = { uploadId: upload.uploadId, method: upload.source, now: context.now };
      const stop = () => context.remainingMs() < APPLY_MARGIN_MS;
      const todo = (credit: { companyTaxId: string; employeeKey: string }) => !done.has(creditKey(credit));
      const applied =
        kind === 'removal'
          ? await deps.credits.cancel(partner.partnerId, plan.cancels.filter(todo), by, stop)
          : await deps.credits.grant(partner.partnerId, plan.grants.filter(todo), by, stop);
      if (!applied.complete) throw new ContinueLater({ changes: plan.rowsApplied - done.size, written: applied.written });
      context.stage('filesWritten');
      await writeBeneficiariesList(deps, partner);
      return { status: 'Succeeded', errors: plan.errors, counts };
    },
  };
}

/** Adds a company's active employees to the matcher, as credits refer to them (streamed). */
async function addActiveEmployees(
  matcher: IdentityMatcher<CreditedEmployee>,
  employees: EmployeeRepo,
  partner: Partner,
  companyTaxId: string,
): Promise<void> {
  if (!partner.companies.some((c) => c.taxId === companyTaxId)) return;
  for await (const e of employees.allOf(partner.partnerId, companyTaxId)) {
    if (!e.active) continue;
    matcher.add({
      companyTaxId: e.companyTaxId,
      employeeKey: e.employeeKey,
      identifiers: e.identifiers,
      listed: { email: e.values['email'] ?? '', nationalId: e.values['nationalId'] ?? '', employeeId: e.values['employeeId'] ?? '' },
    });
  }
}

function refused(error: UploadError, rowsRead: number): ProcessOutcome {
  return { status: 'Rejected', errors: [error], counts: { rowsRead, rowsApplied: 0, rowsRejected: rowsRead } };
}

function headerOnly(): UploadError {
  return uploadError(
    'Empty file',
    'The file has a header but no rows, so nothing was changed. Add one line per credit under the header and upload it again.',
  );
}
