import { dayNumber, daysInMonth } from '../platform-events/days.ts';

/** A payroll cycle: a calendar month (SPEC §8), written `YYYY-MM` on the CLI and `YYYYMM` in names. */
export interface Cycle {
  readonly year: number;
  readonly month: number;
  /** `YYYYMM`. */
  readonly id: string;
  readonly firstDay: number;
  readonly lastDay: number;
  readonly days: number;
}

export function parseCycle(text: string): Cycle {
  const match = /^(\d{4})-?(\d{2})$/.exec(text.trim());
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) throw new Error(`cycle must be YYYY-MM (e.g. 2026-11), got "${text}"`);
  const year = Number(match[1]);
  const days = daysInMonth(year, month);
  const first = `${match[1]}-${match[2]}-01`;
  return { year, month, id: `${match[1]}${match[2]}`, firstDay: dayNumber(first), lastDay: dayNumber(first) + days - 1, days };
}

/** The cycle a run at `now` is for: the current month. */
export function cycleOf(now: Date): Cycle {
  return parseCycle(now.toISOString().slice(0, 7));
}

/**
 * The job date of a run (SPEC §8 "on the job date"): today while the cycle runs, its last day
 * for a past cycle, and its first day for a future one (nothing can be known beyond that).
 */
export function jobDay(cycle: Cycle, now: Date): number {
  const today = dayNumber(now.toISOString().slice(0, 10));
  return Math.min(cycle.lastDay, Math.max(cycle.firstDay, today));
}
