import type { ChangePlan, RowOutcome } from '../model.ts';
import { ChangePlanner, type PlanOptions } from './change-planner.ts';

export { BaseIndex } from './base-index.ts';
export { ChangePlanner, type Acceptance, type PlanOptions } from './change-planner.ts';
export { WELLHUB_IDENTIFIER_FIELDS, type IdentifierFields } from './plan-errors.ts';

/** What `planChanges` reads: the file's row outcomes in file order, plus the plan's options. */
export interface PlanInput extends PlanOptions {
  readonly rows: AsyncIterable<RowOutcome> | Iterable<RowOutcome>;
}

/**
 * Diffs a file's rows against the stored base (SPEC §6.2–§6.5) and decides what to apply.
 *
 * - Rows match stored employees of their company by Employee ID, else National ID, else Email.
 * - A person twice in the file (any shared identifier, or the same stored employee) is
 *   `Duplicated` on the later line; every rejected row keeps the stored employees it matches.
 * - `replace` removes the active employees of each company in the file that no row claimed,
 *   unless the wipe guard refuses; `add-only` never removes; `remove-only` only removes.
 * - Unchanged rows produce no change: one change per added, updated or removed employee.
 * - Summaries count what the file asks of each company; when the upload (all-or-nothing) or the
 *   company (per-company, after a `Client error`) is rejected, none of it is in `changes`.
 *   `updated` excludes reactivations, counted in `reactivated`.
 * - `rowsRejected` counts rows with errors plus, per company, the valid rows of a skipped
 *   company, so `rowsRead − rowsRejected` rows were applied (or found unchanged).
 */
export async function planChanges(input: PlanInput): Promise<ChangePlan> {
  const planner = new ChangePlanner(input);
  for await (const outcome of input.rows) planner.accept(outcome);
  return planner.finish();
}
