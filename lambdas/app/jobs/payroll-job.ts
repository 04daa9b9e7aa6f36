import type { Readable } from 'node:stream';
import type { ObjectStore } from '../../adapters/object-store.ts';
import { writeSystemFile } from '../files/system-files.ts';
import type { StoredEmployee } from '../../adapters/employee-repo.ts';
import type { PlatformEventRepo } from '../../adapters/platform-event-repo.ts';
import type { Partner } from '../../core/partners/partner.ts';
import type { Log } from '../ingest/pipeline-deps.ts';
import { BUCKET_LAYOUT } from '../../../lib/resources.ts';
import { jobDay, type Cycle } from '../../core/payroll/cycle.ts';
import { DEDUCTION_HEADER, deductionOf, deductionRow, PAYROLL_FILE_PATTERN, payrollNames } from '../../core/payroll/deductions.ts';
import { joinEmployeeEvents } from '../../core/platform-events/stored-event.ts';
import { csvStream, zipStream } from './file-streams.ts';
import { namedCompanies, partnersOfRun, systemFolder } from './job-partners.ts';

/**
 * The payroll job (SPEC §8): per partner, the cycle's deduction file and leavers file — one CSV
 * for a single entity, one zip of per-company CSVs otherwise — written into `payroll/` and
 * `payroll/leavers/`; the files of any other cycle are then moved to `archive/payroll/` outside
 * the tree. Safe to run twice: a rerun overwrites the same keys and finds nothing else to move.
 */

export interface PayrollJobDeps {
  readonly store: ObjectStore;
  readonly partners: { list(): Promise<Partner[]> };
  readonly employees: { allOf(partnerId: string, companyTaxId: string): AsyncIterable<StoredEmployee> };
  readonly events: Pick<PlatformEventRepo, 'employeeEvents'>;
  readonly log: Log;
}

export interface PayrollResult {
  readonly partnerId: string;
  readonly files: string[];
  readonly deductions: number;
  readonly leavers: number;
  readonly archived: number;
}

const CSV_TYPE = 'text/csv; charset=utf-8';
const ZIP_TYPE = 'application/zip';

export async function runPayrollJob(
  deps: PayrollJobDeps,
  request: { cycle: Cycle; now: Date; partnerId?: string },
): Promise<PayrollResult[]> {
  const results: PayrollResult[] = [];
  for (const partner of await partnersOfRun(deps.partners, request.partnerId)) {
    results.push(await payrollOfPartner(deps, partner, request.cycle, jobDay(request.cycle, request.now)));
    deps.log.info('payroll: partner done', { partnerId: partner.partnerId, cycle: request.cycle.id, ...counts(results.at(-1)) });
  }
  return results;
}

const counts = (r?: PayrollResult) => ({ deductions: r?.deductions, leavers: r?.leavers, archived: r?.archived });

async function payrollOfPartner(deps: PayrollJobDeps, partner: Partner, cycle: Cycle, day: number): Promise<PayrollResult> {
  const folder = systemFolder(partner, 'payroll');
  const leaversFolder = systemFolder(partner, 'payroll/leavers');
  const companies = namedCompanies(partner);
  const leavers = new Map<string, string[][]>();
  let deductions = 0;

  // Deduction rows stream straight into the upload; leavers (a few per cycle) are kept to be
  // written once the pass is over.
  async function* deductionRows(taxId: string): AsyncGenerator<string[]> {
    const mine: string[][] = [];
    leavers.set(taxId, mine);
    const joined = joinEmployeeEvents(deps.employees.allOf(partner.partnerId, taxId), deps.events.employeeEvents(partner.partnerId, taxId));
    for await (const item of joined) {
      const due = deductionOf(item, cycle, day);
      if (!due) continue;
      const row = deductionRow(item.employee, due.cents, partner.currency);
      if (due.file === 'leavers') mine.push(row);
      else {
        deductions += 1;
        yield row;
      }
    }
  }
  const csv = (rows: AsyncIterable<string[]> | Iterable<string[]>): Readable => csvStream(DEDUCTION_HEADER, rows, ';');
  const write = (key: string, body: Readable, contentType: string) =>
    writeSystemFile(deps.store, partner, { key, body, contentType, personal: true });

  let files: string[];
  if (partner.entityType === 'single-entity' && companies.length === 1) {
    const { company, fileName } = companies[0]!;
    const main = `${folder}${payrollNames.deductionCsv(fileName, cycle)}`;
    const partial = `${leaversFolder}${payrollNames.leaversCsv(fileName, cycle)}`;
    files = [await write(main, csv(deductionRows(company.taxId)), CSV_TYPE)];
    files.push(await write(partial, csv(leavers.get(company.taxId) ?? []), CSV_TYPE));
  } else {
    const main = `${folder}${payrollNames.deductionZip(cycle)}`;
    const partial = `${leaversFolder}${payrollNames.leaversZip(cycle)}`;
    const entries = (
      name: (company: string, cycle: Cycle) => string,
      rows: (taxId: string) => AsyncIterable<string[]> | Iterable<string[]>,
    ) => companies.map(({ company, fileName }) => ({ name: name(fileName, cycle), open: () => csv(rows(company.taxId)) }));
    files = [await write(main, zipStream(entries(payrollNames.deductionCsv, deductionRows)), ZIP_TYPE)];
    files.push(await write(partial, zipStream(entries(payrollNames.leaversCsv, (taxId) => leavers.get(taxId) ?? [])), ZIP_TYPE));
  }
  const archived = await archiveOtherCycles(deps.store, partner, [folder, leaversFolder], files);
  const leaverCount = [...leavers.values()].reduce((sum, rows) => sum + rows.length, 0);
  return { partnerId: partner.partnerId, files, deductions, leavers: leaverCount, archived };
}

/** Moves payroll files other than `keep` out of the tree, to `archive/payroll/{partner}/…`. */
async function archiveOtherCycles(store: ObjectStore, partner: Partner, folders: string[], keep: string[]): Promise<number> {
  const treePrefix = `${BUCKET_LAYOUT.partners}${partner.partnerId}/`;
  let moved = 0;
  for (const folder of folders) {
    for (const object of (await store.list(folder)).objects) {
      const name = object.key.slice(folder.length);
      if (keep.includes(object.key) || !PAYROLL_FILE_PATTERN.test(name)) continue;
      await store.copy(object.key, `${BUCKET_LAYOUT.payrollArchive}${partner.partnerId}/${object.key.slice(treePrefix.length)}`);
      await store.delete(object.key);
      moved += 1;
    }
  }
  return moved;
}
