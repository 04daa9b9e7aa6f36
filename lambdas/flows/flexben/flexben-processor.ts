import type { EmployeeRepo } from '../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../adapters/object-store.ts';
import type { Partner } from '../../domain/partner.ts';
import { uploadError, type UploadError } from '../../domain/upload-errors.ts';
import type { RowOutcome } from '../../eligibility/model.ts';
import { readEmployeeFile } from '../../eligibility/read/index.ts';
import { planCredits } from '../../flexben/credit-plan.ts';
import { IdentityMatcher } from '../../flexben/identity-matcher.ts';
import type { CreditedEmployee } from '../../flexben/model.ts';
import { addOrUpdateProfile, removalProfile } from '../../flexben/profiles.ts';
import type { ProcessOutcome, UploadContext, UploadProcessor } from '../upload-processor.ts';
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
      const rows: RowOutcome[] = [];
      for await (const event of readEmployeeFile(await context.openInput(), { profile, partner, maxRows: deps.maxRows })) {
        if (event.kind === 'file-error') return refused(event.error, rows.length);
        if (event.kind === 'row') rows.push(event.outcome);
      }
      if (rows.length === 0) return refused(headerOnly(), 0);

      const named = new Set(rows.flatMap((r) => (r.kind === 'valid' ? [r.row.companyTaxId] : [])));
      const plan = planCredits({
        kind,
        rows,
        employees: await activeEmployees(deps.employees, partner, named),
        credits: await deps.credits.all(partner.partnerId),
        uploadId: upload.uploadId,
      });
      const counts = { rowsRead: plan.rowsRead, rowsApplied: plan.rowsApplied, rowsRejected: plan.rowsRejected };
      if (plan.rowsApplied === 0) return { status: 'Rejected', errors: plan.errors, counts };

      await context.setStatus('Processing');
      const by = { uploadId: upload.uploadId, method: upload.source, now: context.now };
      if (kind === 'removal') await deps.credits.cancel(partner.partnerId, plan.cancels, by);
      else await deps.credits.grant(partner.partnerId, plan.grants, by);
      await writeBeneficiariesList(deps, partner);
      return { status: 'Succeeded', errors: plan.errors, counts };
    },
  };
}

/** The active employees of the named companies, as credits refer to them. */
async function activeEmployees(employees: EmployeeRepo, partner: Partner, companies: ReadonlySet<string>): Promise<IdentityMatcher<CreditedEmployee>> {
  const matcher = new IdentityMatcher<CreditedEmployee>();
  for (const company of partner.companies) {
    if (!companies.has(company.taxId)) continue;
    for (const e of await employees.activeOf(partner.partnerId, company.taxId)) {
      matcher.add({
        companyTaxId: e.companyTaxId,
        employeeKey: e.employeeKey,
        identifiers: e.identifiers,
        listed: { email: e.values['email'] ?? '', nationalId: e.values['nationalId'] ?? '', employeeId: e.values['employeeId'] ?? '' },
      });
    }
  }
  return matcher;
}

function refused(error: UploadError, rowsRead: number): ProcessOutcome {
  return { status: 'Rejected', errors: [error], counts: { rowsRead, rowsApplied: 0, rowsRejected: rowsRead } };
}

function headerOnly(): UploadError {
  return uploadError('Empty file', 'The file has a header but no rows, so nothing was changed. Add one line per credit under the header and upload it again.');
}
