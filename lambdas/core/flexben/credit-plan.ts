import type { UploadError } from '../uploads/upload-errors.ts';
import type { EmployeeRow, Identifiers, RowOutcome } from '../eligibility/model.ts';
import { IdentityMatcher } from './identity-matcher.ts';
import { creditKey, type CreditedEmployee, type CreditGrant, type StoredCredit } from './model.ts';

/**
 * Turns a credit file's validated rows into what to write (SPEC §7.1–§7.3): every valid row
 * that names an active eligible employee of its company is applied, every other row is rejected
 * on its own line. Pure; the processor loads the employees and credits and applies the plan.
 */

export interface CreditPlan {
  /** add-or-update: credits to create or overwrite. */
  readonly grants: readonly CreditGrant[];
  /** removal: credits to cancel (their stored form, to keep as tombstones). */
  readonly cancels: readonly StoredCredit[];
  /** Row errors from reading and from matching, in line order. */
  readonly errors: readonly UploadError[];
  readonly rowsRead: number;
  readonly rowsRejected: number;
  readonly rowsApplied: number;
}

export interface PlanInput {
  readonly kind: 'add-or-update' | 'removal';
  /** The reader's outcomes, in line order. */
  readonly rows: Iterable<RowOutcome>;
  /** Active employees of the partner's companies named in the file. */
  readonly employees: IdentityMatcher<CreditedEmployee>;
  /** The partner's stored credits, tombstones included, by {@link creditKey}. */
  readonly credits: ReadonlyMap<string, StoredCredit>;
  /** The upload being planned: its own earlier cancellations count as done, not as missing. */
  readonly uploadId: string;
}

const IDENTIFIER_HEADERS = [
  ['employeeId', 'Employee ID'],
  ['nationalId', 'National ID'],
  ['email', 'Email'],
] as const;

/** The column a "who is this" complaint points at: the first identifier the row gave. */
function identifierField(ids: Identifiers): string {
  return IDENTIFIER_HEADERS.find(([key]) => ids[key])?.[1] ?? 'Employee ID';
}

export const UNKNOWN_EMPLOYEE =
  'Unknown employee: make sure they are eligible under a company tax id and that their details are up to date.';
export const UNKNOWN_CREDIT =
  'Unknown credit: this employee has no credit under this company tax id to remove. Check the company and ' +
  'the identifiers, or whether the credit was already removed.';

function rowError(row: EmployeeRow, type: UploadError['type'], description: string): UploadError {
  return {
    companyTaxId: row.companyTaxId,
    source: 'Input error',
    line: row.line,
    field: identifierField(row.identifiers),
    type,
    description,
  };
}

/** Plans one credit file held in memory (tests, small files). */
export function planCredits(input: PlanInput): CreditPlan {
  const planner = new CreditPlanner(input);
  for (const outcome of input.rows) planner.add(outcome);
  return planner.finish();
}

/**
 * Plans a credit file row by row as it is read, so the rows themselves are never held: only
 * what will be written, the errors, and one entry per (company, employee) already named.
 */
export class CreditPlanner {
  private readonly grants: CreditGrant[] = [];
  private readonly cancels: StoredCredit[] = [];
  private readonly errors: UploadError[] = [];
  // (company, employee) → first line naming them: one credit per pair per file.
  private readonly claimed = new Map<string, number>();
  // Credits a removal file may still cancel: live ones, and those this same upload cancelled before a crash.
  private readonly cancellable: IdentityMatcher<StoredCredit>;
  private rowsRead = 0;
  private rowsRejected = 0;

  constructor(private readonly input: Omit<PlanInput, 'rows'>) {
    this.cancellable = new IdentityMatcher(
      input.kind === 'removal' ? [...input.credits.values()].filter((c) => c.state === 'ACTIVE' || c.changedBy === input.uploadId) : [],
    );
  }

  add(outcome: RowOutcome): void {
    const { input } = this;
    this.rowsRead++;
    if (outcome.kind === 'rejected') {
      this.rowsRejected++;
      this.errors.push(...outcome.errors);
      return;
    }
    const row = outcome.row;
    const employee = input.employees.find(row.companyTaxId, row.identifiers);
    const credit = input.kind === 'removal' ? findCredit(input, this.cancellable, employee, row) : undefined;
    const target = input.kind === 'removal' ? credit : employee;
    if (!target) {
      this.rowsRejected++;
      this.errors.push(rowError(row, 'Unknown', input.kind === 'removal' ? UNKNOWN_CREDIT : UNKNOWN_EMPLOYEE));
      return;
    }
    const key = creditKey(target);
    const earlier = this.claimed.get(key);
    if (earlier !== undefined) {
      this.rowsRejected++;
      this.errors.push(
        rowError(
          row,
          'Duplicated',
          `This employee already has a row on line ${earlier} of this file: keep one row per employee and company.`,
        ),
      );
      return;
    }
    this.claimed.set(key, row.line);
    if (credit) this.cancels.push(credit);
    else if (employee)
      this.grants.push({
        ...employee,
        amount: row.values['amount']!,
        month: Number(row.values['month']),
        year: Number(row.values['year']),
      });
  }

  finish(): CreditPlan {
    const { grants, cancels, errors, rowsRead, rowsRejected } = this;
    return { grants, cancels, errors, rowsRead, rowsRejected, rowsApplied: rowsRead - rowsRejected };
  }
}

/** The credit a removal row means: the matched employee's, else one whose stored identifiers match. */
function findCredit(
  input: Omit<PlanInput, 'rows'>,
  cancellable: IdentityMatcher<StoredCredit>,
  employee: CreditedEmployee | undefined,
  row: EmployeeRow,
): StoredCredit | undefined {
  if (employee) {
    const credit = input.credits.get(creditKey(employee));
    if (credit && (credit.state === 'ACTIVE' || credit.changedBy === input.uploadId)) return credit;
  }
  return cancellable.find(row.companyTaxId, row.identifiers);
}
