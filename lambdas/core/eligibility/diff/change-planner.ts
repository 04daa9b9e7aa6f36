import type { UploadError } from '../../uploads/upload-errors.ts';
import {
  IDENTITY_KEYS,
  type Change,
  type ChangePlan,
  type DiffMode,
  type EmployeeRow,
  type Identifiers,
  type IdentityKey,
  type RowOutcome,
} from '../model.ts';
import type { BaseIndex } from './base-index.ts';
import { CompanyState } from './company-state.ts';
import { Hash64 } from '../../common/hash64.ts';
import { FINGERPRINT_SEED } from './identity-seeds.ts';
import {
  WELLHUB_IDENTIFIER_FIELDS,
  duplicateInFile,
  fieldLabel,
  duplicateOfStored,
  unknownLeaver,
  type IdentifierFields,
} from './plan-errors.ts';
import { finishPlan } from './finish-plan.ts';
import type { PlanOptions, PlannerState } from './planner-state.ts';
import { RejectedGuard } from './rejected-guard.ts';
import { RowMatcher } from './row-matcher.ts';

/**
 * Rows against the base, one at a time, in file order (SPEC §6.2–§6.4). Only changed rows are
 * kept; an unchanged row costs a few hash probes and leaves nothing behind, so a million-row
 * file needs memory for its changes, not for its rows. Removals, the wipe guard and acceptance
 * are decided in `finish`, once every row has been seen.
 */

export type { Acceptance, PlanOptions, PlannerState } from './planner-state.ts';

/** Incremental planner: `accept` each RowOutcome in file order, then `finish` once. */
export class ChangePlanner {
  private readonly base: BaseIndex;
  private readonly fields: IdentifierFields;
  private readonly hasher = new Hash64();
  private readonly matcher: RowMatcher;
  private readonly state: { -readonly [K in keyof PlannerState]: PlannerState[K] };
  private last: CompanyState | undefined;

  constructor(options: PlanOptions) {
    this.base = options.base;
    this.base.freeze();
    this.fields = options.identifierFields ?? WELLHUB_IDENTIFIER_FIELDS;
    this.matcher = new RowMatcher(this.base, options.fingerprintCoversIdentifiers ?? false);
    this.state = {
      options,
      companies: new Map(),
      rejected: new RejectedGuard(),
      changes: [],
      changeCompanies: [],
      errors: [],
      rowsRead: 0,
      rowsRejected: 0,
    };
  }

  /** Takes the next row outcome, in file order. */
  accept(outcome: RowOutcome): void {
    this.state.rowsRead++;
    if (outcome.kind === 'valid') this.acceptValid(outcome.row);
    else this.acceptRejected(outcome.line, outcome.companyTaxId, outcome.identifiers, outcome.errors);
  }

  /** Decides removals, the wipe guard and acceptance; the planner is spent afterwards. */
  finish(): ChangePlan {
    for (const taxId of this.state.options.companies ?? []) this.company(taxId);
    return finishPlan(this.state, this.base);
  }

  private acceptValid(row: EmployeeRow): void {
    const company = this.company(row.companyTaxId);
    const m = this.matcher;
    // Hashed once: the fast path and the unchanged check both compare it with the slot's.
    const fingerprint = this.hasher.of(FINGERPRINT_SEED, row.fingerprint);
    m.scan(company, row.line, row.identifiers, true, fingerprint);
    let error: UploadError | undefined;
    const label = fieldLabel(this.fields, keyName(m.dupKey >= 0 ? m.dupKey : m.matchKey));
    if (m.dupLine !== 0) {
      error = duplicateInFile(company.taxId, row.line, label, m.dupLine);
    } else if (m.match >= 0 && this.base.slots.claimOf(m.match) !== 0) {
      error = duplicateOfStored(company.taxId, row.line, label, this.base.slots.claimOf(m.match));
    } else if (this.state.options.mode === 'remove-only' && (m.match < 0 || !this.base.slots.isActive(m.match))) {
      error = unknownLeaver(company.taxId, row.line, this.fields, m.match < 0 ? undefined : label);
    }
    if (error) {
      this.reject(company, row.line, [error], row.identifiers);
      return;
    }
    company.acceptedRows++;
    m.claim(row.line);
    this.decide(company, row, m.match, fingerprint);
  }

  private decide(company: CompanyState, row: EmployeeRow, slot: number, fingerprint: Hash64): void {
    if (this.state.options.mode === 'remove-only') {
      company.removed++;
      this.emit(company, { kind: 'remove', employeeKey: this.base.slots.employeeKey(slot), companyTaxId: company.taxId });
    } else if (slot < 0) {
      company.added++;
      this.emit(company, { kind: 'add', row });
    } else if (!this.base.slots.isActive(slot)) {
      company.reactivated++;
      this.emit(company, { kind: 'update', employeeKey: this.base.slots.employeeKey(slot), row, reactivate: true });
    } else if (!this.matcher.sameIdentifiers || !this.base.slots.fingerprintEquals(slot, fingerprint.hi, fingerprint.lo)) {
      // Identifiers count as changes whatever the fingerprint covers: a new email must be written.
      company.updated++;
      this.emit(company, { kind: 'update', employeeKey: this.base.slots.employeeKey(slot), row, reactivate: false });
    } else {
      company.unchanged++;
    }
  }

  private acceptRejected(line: number, taxId: string | undefined, ids: Identifiers, errors: readonly UploadError[]): void {
    for (const error of errors) {
      const clientTaxId = error.source === 'Client error' ? (error.companyTaxId ?? taxId) : undefined;
      if (clientTaxId !== undefined) this.company(clientTaxId).clientError = true;
    }
    if (taxId === undefined) {
      this.state.rejected.add(ids);
      this.state.errors.push(...errors);
      this.state.rowsRejected++;
      return;
    }
    const company = this.company(taxId);
    const m = this.matcher;
    // The full scan: every identifier of a rejected row is marked, and every match protected.
    m.scan(company, line, ids, false);
    const extra = m.dupLine === 0 ? [] : [duplicateInFile(taxId, line, fieldLabel(this.fields, keyName(m.dupKey)), m.dupLine)];
    this.reject(company, line, [...errors, ...extra], ids);
  }

  /** Records a rejected row; the stored employees it matches are claimed so none is removed. */
  private reject(company: CompanyState, line: number, errors: readonly UploadError[], ids: Identifiers): void {
    this.state.rejected.add(ids, company.seeds);
    this.state.errors.push(...errors);
    this.state.rowsRejected++;
    company.rejectedRows++;
    this.matcher.protect(line);
  }

  private emit(company: CompanyState, change: Change): void {
    this.state.changes.push(change);
    this.state.changeCompanies.push(company);
  }

  private company(taxId: string): CompanyState {
    if (this.last?.taxId === taxId) return this.last;
    let company = this.state.companies.get(taxId);
    if (!company) {
      company = new CompanyState(taxId, this.base);
      this.state.companies.set(taxId, company);
    }
    this.last = company;
    return company;
  }
}

function keyName(k: number): IdentityKey {
  return IDENTITY_KEYS[k] ?? 'employeeId';
}
