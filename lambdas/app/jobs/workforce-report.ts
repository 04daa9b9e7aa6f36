import { Readable } from 'node:stream';
import type { ObjectStore } from '../../adapters/object-store.ts';
import { writeSystemFile } from '../files/system-files.ts';
import type { StoredEmployee } from '../../adapters/employee-repo.ts';
import type { Partner } from '../../core/partners/partner.ts';
import type { ReportPeriod } from '../../core/reports/report-period.ts';
import { renderChart } from '../../core/workforce/chart.ts';
import { DEPARTMENT_COLUMNS, departmentRow, headerOf, MONTHLY_COLUMNS, monthlyRow } from '../../core/workforce/columns.ts';
import { departmentOf, readHistory } from '../../core/workforce/history.ts';
import { WorkforceCounter } from '../../core/workforce/metrics.ts';
import { reportMonths } from '../../core/workforce/months.ts';
import { csvStream, zipStream, type ZipEntry } from './file-streams.ts';
import { namedCompanies, systemFolder } from './job-partners.ts';

/**
 * The workforce report (SPEC §19), written by the reports job next to the usage reports:
 * `reports/{start}-{end}_WORKFORCE.zip` with, per company, the monthly CSV, the per-department
 * CSV and the SVG chart. Each company's employees are read once, as the zip reaches its first
 * entry; the three entries share that pass. Only counters per month and department are kept, so
 * memory does not grow with the company.
 */

export interface WorkforceDeps {
  readonly store: ObjectStore;
  readonly employees: { allOf(partnerId: string, companyTaxId: string): AsyncIterable<StoredEmployee> };
}

export function workforceZipName(period: Pick<ReportPeriod, 'start' | 'end'>): string {
  return `${period.start}-${period.end}_WORKFORCE.zip`;
}

export function workforceFileNames(
  company: string,
  period: Pick<ReportPeriod, 'start' | 'end'>,
): { monthly: string; byDepartment: string; chart: string } {
  const stem = `${company}_${period.start}-${period.end}_workforce`;
  return { monthly: `${stem}.csv`, byDepartment: `${stem}-by-department.csv`, chart: `${stem}.svg` };
}

/** Counts one company's workforce over the report's months, one employee at a time. */
export async function countWorkforce(
  employees: AsyncIterable<StoredEmployee>,
  period: Pick<ReportPeriod, 'start' | 'end'>,
): Promise<WorkforceCounter> {
  const counter = new WorkforceCounter(reportMonths(period));
  for await (const e of employees) {
    counter.add(
      readHistory({
        history: e.history,
        effectiveDate: e.effectiveDate,
        terminationDate: e.terminationDate,
        active: e.active,
        department: departmentOf(e.values),
      }),
    );
  }
  return counter;
}

/** Writes the partner's workforce zip for the period; returns its bucket key. */
export async function writeWorkforceReport(deps: WorkforceDeps, partner: Partner, period: ReportPeriod): Promise<string> {
  const key = `${systemFolder(partner, 'reports')}${workforceZipName(period)}`;
  const entries: ZipEntry[] = namedCompanies(partner).flatMap(({ company, fileName }) => {
    let counted: Promise<WorkforceCounter> | undefined;
    const counter = (): Promise<WorkforceCounter> =>
      (counted ??= countWorkforce(deps.employees.allOf(partner.partnerId, company.taxId), period));
    const names = workforceFileNames(fileName, period);
    return [
      {
        name: names.monthly,
        open: () =>
          csvStream(
            headerOf(MONTHLY_COLUMNS),
            later(async () => (await counter()).monthly().map(monthlyRow)),
          ),
      },
      {
        name: names.byDepartment,
        open: () =>
          csvStream(
            headerOf(DEPARTMENT_COLUMNS),
            later(async () => (await counter()).byDepartments().map(departmentRow)),
          ),
      },
      {
        name: names.chart,
        open: () => Readable.from(later(async () => [Buffer.from(await renderChart(company.name, (await counter()).monthly()), 'utf8')])),
      },
    ];
  });
  // Figures per department can point at a person: encrypted like the other report zips (SPEC §16).
  return writeSystemFile(deps.store, partner, { key, body: zipStream(entries), contentType: 'application/zip', personal: true });
}

/** The items of a list computed when the stream is first read. */
async function* later<T>(compute: () => Promise<readonly T[]>): AsyncGenerator<T> {
  yield* await compute();
}
