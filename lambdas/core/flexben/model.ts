import type { FlexbenHistoryRow } from '../uploads/status-files.ts';
import type { Identifiers } from '../eligibility/model.ts';

/**
 * Flexible-benefit credits (SPEC §7): one per (company, employee) of a partner. A cancelled
 * credit is kept for a while as a tombstone naming the upload that cancelled it, so a retried
 * upload recognises its own work and a duplicate event cancels nothing twice.
 */

export type CreditMethod = 'SFTP' | 'WEB' | 'ELIGIBILITY_LOSS' | 'RELOCATION' | 'REASSOCIATION';

/** The employee a credit belongs to, as the eligibility base knows them. */
export interface CreditedEmployee {
  readonly companyTaxId: string;
  /** The employee's stable key in the eligibility base. */
  readonly employeeKey: string;
  /** Normalised identifiers (for matching removals and relocations). */
  readonly identifiers: Identifiers;
  /** The identifying cells as the census gave them (what the beneficiaries list shows). */
  readonly listed: { readonly email: string; readonly nationalId: string; readonly employeeId: string };
}

/** What a credit says: amount with two decimals, and the last month credited. */
export interface CreditTerms {
  readonly amount: string;
  readonly month: number;
  readonly year: number;
}

export type CreditGrant = CreditedEmployee & CreditTerms;

export interface StoredCredit extends CreditGrant {
  readonly state: 'ACTIVE' | 'CANCELED';
  /** The upload that last wrote it (granted, updated or cancelled it). */
  readonly changedBy: string;
  readonly method: CreditMethod;
  readonly updatedAt: string;
}

/** The key of a credit within its partner. */
export function creditKey(credit: { readonly companyTaxId: string; readonly employeeKey: string }): string {
  return `${credit.companyTaxId}#${credit.employeeKey}`;
}

/** An automatic row of `flexben/download/upload_history.csv` (SPEC §7.5), stored to be re-rendered. */
export interface HistoryEvent extends FlexbenHistoryRow {
  /** Stable id (the trigger's seq and the method): writing the event again keeps the first one. */
  readonly id: string;
}
