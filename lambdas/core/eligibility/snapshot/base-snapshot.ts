import type { BaseEmployee, Change, EmployeeRow } from '../model.ts';

/**
 * A copy of a partner's stored employees as one file (docs/decisions/0140-base-snapshot.md): what
 * the planner needs of every employee, and the values of the active ones for the eligible list.
 * Written after each apply from the copy before it and the changes just written, so an upload
 * reads its base as one object instead of every item again. One line of JSON per employee,
 * companies in the order the header lists them, so a company is read, merged or listed without
 * holding the others.
 */

export interface SnapshotRecord extends BaseEmployee {
  /** The stored values; only kept for active employees (the list shows no one else). */
  readonly values?: Readonly<Record<string, string>>;
}

export interface SnapshotHeader {
  readonly version: 1;
  readonly partnerId: string;
  /** The write generation it shows: valid while the partner's writes are at this generation. */
  readonly generation: number;
  /** The companies it holds, in the order their employees follow. */
  readonly companies: readonly string[];
}

type Line = [
  companyTaxId: string,
  employeeKey: string,
  active: 0 | 1,
  fingerprint: string,
  identifiers: BaseEmployee['identifiers'],
  values?: Record<string, string>,
];

export function encodeHeader(header: SnapshotHeader): string {
  return `${JSON.stringify(header)}\n`;
}

export function decodeHeader(line: string): SnapshotHeader {
  const header = JSON.parse(line) as Partial<SnapshotHeader>;
  if (
    header.version !== 1 ||
    typeof header.partnerId !== 'string' ||
    !Number.isInteger(header.generation) ||
    !Array.isArray(header.companies)
  )
    throw new SnapshotMismatch('the snapshot header is not one this code writes');
  return header as SnapshotHeader;
}

export function encodeRecord(r: SnapshotRecord): string {
  const line: Line = [r.companyTaxId, r.employeeKey, r.active ? 1 : 0, r.fingerprint, r.identifiers];
  if (r.active && r.values) line.push(r.values as Record<string, string>);
  return `${JSON.stringify(line)}\n`;
}

export function decodeRecord(line: string): SnapshotRecord {
  const [companyTaxId, employeeKey, active, fingerprint, identifiers, values] = JSON.parse(line) as Line;
  return { companyTaxId, employeeKey, active: active === 1, fingerprint, identifiers, ...(values ? { values } : {}) };
}

/** The snapshot does not describe what the database holds: the caller goes back to the database. */
export class SnapshotMismatch extends Error {
  override readonly name = 'SnapshotMismatch';
}

/**
 * The employees after `changes` were written over `previous` (grouped by company in `companies`
 * order): updates and removals replace the record they name, adds follow their company's records
 * under the key the repository gave them. A change whose employee the snapshot lacks, or records
 * out of company order, mean the snapshot and the database disagree: SnapshotMismatch, and no
 * snapshot is written from it. Companies not in `companies` are left out.
 */
export async function* mergeChanges(
  previous: AsyncIterable<SnapshotRecord>,
  companies: readonly string[],
  changes: readonly Change[],
  addedKey: (row: EmployeeRow) => string,
): AsyncGenerator<SnapshotRecord> {
  const position = new Map(companies.map((taxId, i) => [taxId, i]));
  const adds = companies.map((): EmployeeRow[] => []);
  const byKey = new Map<string, Exclude<Change, { kind: 'add' }>>();
  for (const change of changes) {
    if (change.kind === 'add') {
      const at = position.get(change.row.companyTaxId);
      if (at === undefined) throw new SnapshotMismatch('an added employee belongs to a company outside the snapshot');
      adds[at]!.push(change.row);
    } else {
      byKey.set(recordId(change.kind === 'remove' ? change.companyTaxId : change.row.companyTaxId, change.employeeKey), change);
    }
  }
  function* added(at: number): Generator<SnapshotRecord> {
    for (const row of adds[at]!) yield { ...stored(row), employeeKey: addedKey(row), active: true };
    adds[at] = [];
  }

  let open = -1;
  for await (const { at, record } of inCompanyOrder(previous, companies)) {
    if (at > open) {
      // Leaving a company (and any without records): its adds follow its records.
      for (let c = Math.max(open, 0); c < at; c++) yield* added(c);
      open = at;
    }
    const id = recordId(record.companyTaxId, record.employeeKey);
    const change = byKey.get(id);
    if (!change) {
      yield record;
      continue;
    }
    byKey.delete(id);
    if (change.kind === 'remove') {
      const { values: _dropped, ...kept } = record;
      yield { ...kept, active: false };
    } else {
      yield { ...stored(change.row), employeeKey: record.employeeKey, active: change.reactivate || record.active };
    }
  }
  for (let c = Math.max(open, 0); c < companies.length; c++) yield* added(c);
  if (byKey.size > 0) throw new SnapshotMismatch(`${byKey.size} changed employees are not in the snapshot`);
}

/**
 * The records with their company's position in `companies`, leaving out other companies; a
 * company that comes back after another means the file is not a snapshot (SnapshotMismatch).
 */
async function* inCompanyOrder(
  records: AsyncIterable<SnapshotRecord>,
  companies: readonly string[],
): AsyncGenerator<{ at: number; record: SnapshotRecord }> {
  const position = new Map(companies.map((taxId, i) => [taxId, i]));
  let last = -1;
  for await (const record of records) {
    const at = position.get(record.companyTaxId);
    if (at === undefined) continue;
    if (at < last) throw new SnapshotMismatch('the snapshot is not grouped by company');
    last = at;
    yield { at, record };
  }
}

/** What the repository stores of a written row (EmployeeRepo's record). */
function stored(row: EmployeeRow): Omit<SnapshotRecord, 'employeeKey' | 'active'> {
  return { companyTaxId: row.companyTaxId, fingerprint: row.fingerprint, identifiers: row.identifiers, values: { ...row.values } };
}

function recordId(companyTaxId: string, employeeKey: string): string {
  return `${companyTaxId}\u0000${employeeKey}`;
}

/**
 * Active employees one company at a time, in `companies` order (every company, empty ones
 * included), from records grouped by company: the eligible list's input.
 */
export async function* activeByCompany(
  records: AsyncIterable<SnapshotRecord>,
  companies: readonly string[],
): AsyncGenerator<{ companyTaxId: string; employees: { companyTaxId: string; values: Readonly<Record<string, string>> }[] }> {
  let open = -1;
  let current: { companyTaxId: string; values: Readonly<Record<string, string>> }[] = [];
  for await (const { at, record } of inCompanyOrder(records, companies)) {
    if (at > open) {
      if (open >= 0) yield { companyTaxId: companies[open]!, employees: current };
      for (let c = open + 1; c < at; c++) yield { companyTaxId: companies[c]!, employees: [] };
      current = [];
      open = at;
    }
    if (record.active) current.push({ companyTaxId: record.companyTaxId, values: record.values ?? {} });
  }
  if (open >= 0) yield { companyTaxId: companies[open]!, employees: current };
  for (let c = open + 1; c < companies.length; c++) yield { companyTaxId: companies[c]!, employees: [] };
}
