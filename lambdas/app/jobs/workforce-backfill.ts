import type { StoredEmployee } from '../../adapters/employee-repo.ts';
import type { Partner } from '../../core/partners/partner.ts';
import { runBounded } from '../../core/common/run-bounded.ts';
import type { Log } from '../ingest/pipeline-deps.ts';
import { departmentOf, legacyHistory } from '../../core/workforce/history.ts';
import { partnersOfRun } from './job-partners.ts';

/**
 * The one-time backfill of eligibility histories (SPEC §19; docs/workforce-metrics.md): every
 * employee stored before histories were recorded gets the history its effective and termination
 * dates stand for — one period, in its current department. Run once after deploying
 * (`npx benefits-exchange workforce backfill`); safe to run again or to interrupt: a record that
 * already has a history is never written, so a second run writes nothing.
 *
 * What was never stored cannot be recovered: a legacy record that had been removed and
 * reactivated keeps only its latest period, and a department change before the deploy is not
 * known (the record counts in its current department throughout).
 */

export interface BackfillDeps {
  readonly partners: { list(): Promise<Partner[]> };
  readonly employees: {
    allOf(partnerId: string, companyTaxId: string): AsyncIterable<StoredEmployee>;
    seedHistory(partnerId: string, companyTaxId: string, employeeKey: string, history: readonly string[]): Promise<boolean>;
  };
  readonly log: Log;
}

export interface BackfillResult {
  readonly partnerId: string;
  /** Records given a history now. */
  readonly written: number;
  /** Records that had a history already (or nothing to give one from). */
  readonly unchanged: number;
}

/** Writes in flight at once, as the apply does. */
const WRITERS = 16;

export async function backfillWorkforceHistory(deps: BackfillDeps, request: { partnerId?: string } = {}): Promise<BackfillResult[]> {
  const results: BackfillResult[] = [];
  for (const partner of await partnersOfRun(deps.partners, request.partnerId)) {
    let written = 0;
    let unchanged = 0;
    for (const company of partner.companies) {
      await runBounded(deps.employees.allOf(partner.partnerId, company.taxId), WRITERS, async (e) => {
        const history = e.history && e.history.length > 0 ? [] : legacyHistory({ ...e, department: departmentOf(e.values) });
        if (history.length > 0 && (await deps.employees.seedHistory(partner.partnerId, company.taxId, e.employeeKey, history)))
          written += 1;
        else unchanged += 1;
      });
    }
    deps.log.info('workforce backfill: partner done', { partnerId: partner.partnerId, written, unchanged });
    results.push({ partnerId: partner.partnerId, written, unchanged });
  }
  return results;
}
