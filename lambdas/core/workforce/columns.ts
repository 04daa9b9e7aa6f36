import { z } from 'zod';
import type { DepartmentMonthFigures, MonthFigures } from './metrics.ts';

/**
 * The columns of the two workforce CSVs (SPEC §19), each a zod schema that is the column's one
 * definition: the header is the schema's key, the cell is what the schema outputs (and a figure
 * that breaks the rule — a negative count, a month that is not `YYYY-MM` — fails the job loudly
 * instead of reaching a partner). Pure.
 */

const count = z.number().int().nonnegative().transform(String);
/** Kept in halves: `21` → `10.5`, `20` → `10`. */
const halves = z
  .number()
  .int()
  .nonnegative()
  .transform((h) => (h % 2 === 0 ? String(h / 2) : `${(h - 1) / 2}.5`));
/** Tenths of a percent with one decimal (`125` → `12.5`); `null` is the blank cell SPEC §19 asks for. */
const percent = z
  .number()
  .int()
  .nonnegative()
  .nullable()
  .transform((t) => (t === null ? '' : `${Math.floor(t / 10)}.${t % 10}`));
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

const figures = {
  'Headcount Start': count,
  Hires: count,
  Leavers: count,
  'Headcount End': count,
  'Average Headcount': halves,
  'Turnover %': percent,
  'Retention 12M %': percent,
};

export const MONTHLY_COLUMNS = z.object({ Month: month, ...figures });
export const DEPARTMENT_COLUMNS = z.object({ Month: month, Department: z.string().min(1), ...figures });

type Columns = typeof MONTHLY_COLUMNS | typeof DEPARTMENT_COLUMNS;

/** The header row: the schema's keys, in order. */
export function headerOf(columns: Columns): string[] {
  return Object.keys(columns.shape);
}

/** One CSV row: the figures through the columns' schema, in header order. */
export function cellsOf<C extends Columns>(columns: C, input: z.input<C>): string[] {
  const out = columns.parse(input) as Record<string, string>;
  return headerOf(columns).map((h) => out[h] ?? '');
}

function figureCells(f: MonthFigures): z.input<typeof MONTHLY_COLUMNS> {
  return {
    Month: f.month,
    'Headcount Start': f.headcountStart,
    Hires: f.hires,
    Leavers: f.leavers,
    'Headcount End': f.headcountEnd,
    'Average Headcount': f.averageHalves,
    'Turnover %': f.turnoverTenths,
    'Retention 12M %': f.retentionTenths,
  };
}

export function monthlyRow(f: MonthFigures): string[] {
  return cellsOf(MONTHLY_COLUMNS, figureCells(f));
}

export function departmentRow(f: DepartmentMonthFigures): string[] {
  return cellsOf(DEPARTMENT_COLUMNS, { ...figureCells(f), Department: f.department });
}
