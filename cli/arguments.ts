import { existsSync, statSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { PARTNER_ID_PATTERN } from '../lambdas/core/partners/partner.ts';
import { parseCycle as parsePayrollCycle } from '../lambdas/core/payroll/cycle.ts';

/**
 * Argument parsers for the job, events and upload commands. Each returns the parsed value or
 * throws commander's InvalidArgumentError, which commander reports as one usage line (exit 2).
 */

/** `--cycle YYYY-MM`: a calendar month (the payroll cycle, SPEC §8). */
export function parseCycle(value: string): string {
  // The payroll code's own parser decides what a cycle is; the CLI only words the refusal.
  if (!/^\d{4}-\d{2}$/.test(value)) throw new InvalidArgumentError('expected a month as YYYY-MM, e.g. 2026-11');
  try {
    parsePayrollCycle(value);
  } catch {
    throw new InvalidArgumentError('expected a month as YYYY-MM, e.g. 2026-11');
  }
  return value;
}

/** `--end YYYY-MM-DD`: a real calendar date (the last day of a report period, SPEC §9). */
export function parseDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD, e.g. 2026-11-30');
  }
  return value;
}

/** A partner id (`[a-z0-9-]{3,40}`). */
export function parsePartnerId(value: string): string {
  if (!PARTNER_ID_PATTERN.test(value))
    throw new InvalidArgumentError('expected a partner id: 3 to 40 lowercase letters, digits or hyphens');
  return value;
}

/** `<ts>-<name>`: an upload as the status file names it (`1764000000-employees.csv`). */
export function parseUploadName(value: string): string {
  if (!/^\d+-.+$/.test(value)) throw new InvalidArgumentError('expected <ts>-<name> as in status.csv, e.g. 1764000000-employees.csv');
  return value;
}

/** An existing regular file. */
export function parseExistingFile(value: string): string {
  if (!existsSync(value) || !statSync(value).isFile()) throw new InvalidArgumentError('file not found');
  return value;
}

/** An ISO 8601 instant (`2026-12-15T00:00:00Z`, or a date, taken as midnight UTC). */
export function parseInstant(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}($|T)/.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected an ISO 8601 instant, e.g. 2026-12-15T00:00:00Z');
  return date;
}
