import type { ObjectStore } from '../../adapters/object-store.ts';
import { writeSystemFile } from '../files/system-files.ts';
import type { StoredEmployee } from '../../adapters/employee-repo.ts';
import type { PlatformEventRepo } from '../../adapters/platform-event-repo.ts';
import type { Partner } from '../../core/partners/partner.ts';
import type { Log } from '../ingest/pipeline-deps.ts';
import { joinEmployeeEvents, type EmployeeWithEvents } from '../../core/platform-events/stored-event.ts';
import { REPORTS, reportCsvName, reportZipName, type ReportKind, type ReportPeriod } from '../../core/reports/report-period.ts';
import { AdoptionCounter, checkinRow, HEADERS, historyRows, snapshotRows } from '../../core/reports/report-rows.ts';
import { csvStream, zipStream } from './file-streams.ts';
import { namedCompanies, partnersOfRun, systemFolder } from './job-partners.ts';
import { writeWorkforceReport } from './workforce-report.ts';

/**
 * The reports job (SPEC §9.2): per partner, four zips in `reports/` for the 12 months ending on
 * the end date, one CSV per company in each, and the workforce zip (SPEC §19). Every CSV streams from DynamoDB into its zip and the
 * zip into S3. Safe to run twice: the same period writes the same keys. Earlier periods' zips
 * stay, so a partner keeps last month's reports next to this month's.
 */

export interface ReportsJobDeps {
  readonly store: ObjectStore;
  readonly partners: { list(): Promise<Partner[]> };
  readonly employees: { allOf(partnerId: string, companyTaxId: string): AsyncIterable<StoredEmployee> };
  readonly events: Pick<PlatformEventRepo, 'employeeEvents' | 'checkins'>;
  readonly log: Log;
}

export interface ReportsResult {
  readonly partnerId: string;
  readonly files: string[];
}

export async function runReportsJob(deps: ReportsJobDeps, request: { period: ReportPeriod; partnerId?: string }): Promise<ReportsResult[]> {
  const results: ReportsResult[] = [];
  for (const partner of await partnersOfRun(deps.partners, request.partnerId)) {
    const files: string[] = [];
    for (const report of REPORTS) {
      const key = `${systemFolder(partner, 'reports')}${reportZipName(request.period, report)}`;
      const entries = namedCompanies(partner).map(({ company, fileName }) => ({
        name: reportCsvName(fileName, request.period, report),
        open: () => csvStream(HEADERS[report.id], rowsOf(deps, partner.partnerId, company.taxId, report, request.period)),
      }));
      files.push(
        await writeSystemFile(deps.store, partner, { key, body: zipStream(entries), contentType: 'application/zip', personal: true }),
      );
    }
    // SPEC §19: the workforce metrics from the census, same period, for every profile.
    files.push(await writeWorkforceReport(deps, partner, request.period));
    deps.log.info('reports: partner done', {
      partnerId: partner.partnerId,
      start: request.period.start,
      end: request.period.end,
      files: files.length,
    });
    results.push({ partnerId: partner.partnerId, files });
  }
  return results;
}

async function* rowsOf(
  deps: ReportsJobDeps,
  partnerId: string,
  taxId: string,
  report: ReportKind,
  period: ReportPeriod,
): AsyncGenerator<string[]> {
  if (report.id === 'CHECK-INS') {
    const from = `${period.start}T00:00:00.000Z`;
    const to = `${period.end}T23:59:59.999Z`;
    for await (const c of deps.events.checkins(partnerId, taxId, from, to)) yield checkinRow(c);
    return;
  }
  const joined: AsyncIterable<EmployeeWithEvents<StoredEmployee>> = joinEmployeeEvents(
    deps.employees.allOf(partnerId, taxId),
    deps.events.employeeEvents(partnerId, taxId),
  );
  if (report.id === 'ADOPTION-OVER-TIME') {
    const counter = new AdoptionCounter(period);
    for await (const item of joined) counter.add(item);
    yield* counter.rows();
    return;
  }
  const rows = report.id === 'SUBSCRIPTION-HISTORY' ? historyRows : snapshotRows;
  for await (const item of joined) yield* rows(item, period);
}
