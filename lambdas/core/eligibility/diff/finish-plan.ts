import type { Change, ChangePlan } from '../model.ts';
import type { BaseIndex } from './base-index.ts';
import type { PlannerState } from './planner-state.ts';
import type { CompanyState } from './company-state.ts';
import { databaseWipe, sortErrors } from './plan-errors.ts';

/**
 * The end of a plan, once every row is known (SPEC §6.3–§6.5): who is removed, whether the wipe
 * guard refuses a company, and what the acceptance policy lets through.
 */

const DEFAULT_WIPE_THRESHOLD = 0.1;
const DEFAULT_WIPE_MINIMUM = 5;
// Keeps "exactly at the threshold" allowed when threshold × active is a hair above an integer.
const EPSILON = 1e-9;

/** Turns a planner's accumulated state into the plan. */
export function finishPlan(state: PlannerState, base: BaseIndex): ChangePlan {
  const { options } = state;
  const companies = [...state.companies.values()];
  const isCandidate = removalCandidates(state, base, companies);
  const allOrNothing = options.acceptance === 'all-or-nothing';

  if (options.mode === 'replace') {
    const byBaseId = companiesByBaseId(companies);
    for (let slot = 0; slot < base.size; slot++) {
      if (isCandidate(slot)) byBaseId[base.slots.companyIdOf(slot)]!.removed++;
    }
    const threshold = options.wipeThreshold ?? DEFAULT_WIPE_THRESHOLD;
    const minimum = options.wipeMinimum ?? DEFAULT_WIPE_MINIMUM;
    for (const company of companies) {
      if (company.removed > minimum && company.removed > threshold * company.activeBefore + EPSILON) {
        state.errors.push(databaseWipe(company.taxId, company.removed, company.activeBefore, threshold, allOrNothing));
        company.clientError = true;
      }
    }
  }

  const errors = sortErrors(state.errors);
  const applies = (company: CompanyState): boolean => (allOrNothing ? errors.length === 0 : !company.clientError);
  const changes: Change[] = state.changes.filter((_, i) => applies(state.changeCompanies[i]!));
  if (options.mode === 'replace') {
    const byBaseId = companiesByBaseId(companies.filter(applies));
    for (let slot = 0; slot < base.size; slot++) {
      const company = byBaseId[base.slots.companyIdOf(slot)];
      if (company && isCandidate(slot)) {
        changes.push({ kind: 'remove', employeeKey: base.slots.employeeKey(slot), companyTaxId: company.taxId });
      }
    }
  }

  const remains = changes.length > 0 || companies.some((c) => applies(c) && c.acceptedRows > 0);
  // A skipped company's valid rows are not applied either: count them so read − rejected = applied.
  const skippedRows = allOrNothing ? 0 : companies.reduce((n, c) => n + (applies(c) ? 0 : c.acceptedRows), 0);
  return {
    verdict: errors.length === 0 ? 'accepted' : !allOrNothing && remains ? 'partially-accepted' : 'rejected',
    changes,
    errors,
    companies: companies.map((c) => c.summary()),
    rowsRead: state.rowsRead,
    rowsRejected: state.rowsRejected + skippedRows,
  };
}

/** Active stored employees of a company in the file that no row claimed nor protects. */
function removalCandidates(state: PlannerState, base: BaseIndex, companies: CompanyState[]): (slot: number) => boolean {
  const present = companiesByBaseId(companies);
  const { rejected } = state;
  const guarded = !rejected.isEmpty;
  return (slot) =>
    base.slots.claimOf(slot) === 0 &&
    base.slots.isActive(slot) &&
    present[base.slots.companyIdOf(slot)] !== undefined &&
    !(guarded && rejected.protects(base, slot));
}

function companiesByBaseId(companies: CompanyState[]): (CompanyState | undefined)[] {
  const byBaseId: (CompanyState | undefined)[] = [];
  for (const company of companies) if (company.baseId >= 0) byBaseId[company.baseId] = company;
  return byBaseId;
}
