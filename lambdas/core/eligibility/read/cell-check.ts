import { FREE_TEXT, type ColumnSpec, type FastCell, type ProfileContext } from '../profile.ts';

/**
 * Turns a column's definition into what runs on each of its cells, once per upload. The zod
 * schema decides; the column's fast path answers first for plainly valid cells, and zod's verdicts
 * are remembered per distinct cell, because files repeat a few values per column (companies,
 * departments, Yes/No) and a schema parse costs far more than a lookup.
 */

/** A cell the schema refused: `Missing` when it was blank, `Invalid` otherwise. */
export interface CellFailure {
  readonly type: 'Missing' | 'Invalid';
  readonly description: string;
}

/** The stored value of a cell, or why it is refused. */
export type CellCheck = (raw: string) => string | CellFailure;

/**
 * A column ready to run. The reader tries, in order: inline trimming when `freeText`, then
 * `fast`, then `full` (which never returns `undefined`), so a plainly valid cell costs one call.
 */
export interface CompiledCell {
  readonly freeText: boolean;
  readonly fast: FastCell;
  readonly full: CellCheck;
}

// Enough for every distinct company, department or CEP of a large file; unique values (names,
// emails) stop being remembered once it is full, which bounds memory per upload.
const REMEMBERED_VALUES = 4096;

/** Compiles `spec` for `ctx`. */
export function compileCell(spec: ColumnSpec, ctx: ProfileContext): CompiledCell {
  const schema = spec.schema(ctx);
  const remembered = new Map<string, string | CellFailure>();
  // Files are usually sorted by company: for a column without a fast path, the previous row's
  // valid cell is the likeliest next one, and comparing to it is cheaper than a map lookup.
  let lastRaw: string | undefined;
  let lastValue = '';
  const full: CellCheck = (raw) => {
    let verdict = remembered.get(raw);
    if (verdict === undefined) {
      const parsed = schema.safeParse(raw);
      verdict = parsed.success
        ? parsed.data
        : {
            type: raw.trim() === '' ? 'Missing' : 'Invalid',
            description: parsed.error.issues[0]?.message ?? `${spec.header} is not valid.`,
          };
      if (remembered.size < REMEMBERED_VALUES) remembered.set(raw, verdict);
    }
    if (typeof verdict === 'string') {
      lastRaw = raw;
      lastValue = verdict;
    }
    return verdict;
  };
  const fast = spec.fast?.(ctx) ?? ((raw: string) => (raw === lastRaw ? lastValue : undefined));
  return { freeText: fast === FREE_TEXT, fast, full };
}

/** Runs a compiled column on one cell. */
export function checkCell(cell: CompiledCell, raw: string): string | CellFailure {
  if (cell.freeText) return raw.trim();
  return cell.fast(raw) ?? cell.full(raw);
}
