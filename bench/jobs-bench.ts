import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../lambdas/adapters/object-store.ts';
import type { StoredEmployee } from '../lambdas/adapters/employee-repo.ts';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import { runPayrollJob } from '../lambdas/app/jobs/payroll-job.ts';
import { runReportsJob } from '../lambdas/app/jobs/reports-job.ts';
import { parseCycle } from '../lambdas/core/payroll/cycle.ts';
import { dateOf, dayNumber } from '../lambdas/core/platform-events/days.ts';
import type { CheckinEvent, EmployeeEvent } from '../lambdas/core/platform-events/stored-event.ts';
import { reportPeriod } from '../lambdas/core/reports/report-period.ts';
import { writeWorkforceReport } from '../lambdas/app/jobs/workforce-report.ts';
import { employeesWithHistory } from './workforce-history.ts';

/**
 * `npm run bench:jobs [-- N]`: the payroll and reports jobs for one partner company of N
 * employees (default 1,000,000), in process. Employees and events are generated lazily in key
 * order, as DynamoDB pages would deliver them, and each file streams into a byte counter instead
 * of S3, so the figures are the jobs' own CPU time and memory, not the network's.
 * 35% of employees subscribe (10% of those with a family plan, 10% paused), 2% left this cycle,
 * and there are N check-ins in the year. The workforce zip (SPEC §19) reads N employees with 24
 * months of eligibility history (bench/workforce-history.ts).
 */

const N = Number(process.argv[2] ?? 1_000_000);
const TAX_ID = '37211173000169';
const END = '2026-11-25';
const cycle = parseCycle('2026-11');
const key = (i: number): string => `k${String(i).padStart(9, '0')}`;

function employee(i: number): StoredEmployee {
  const left = i % 50 === 0;
  return {
    employeeKey: key(i),
    companyTaxId: TAX_ID,
    active: !left,
    fingerprint: '',
    identifiers: { employeeId: `E${i}` },
    values: {
      name: `Person ${i}`,
      email: `p${i}@example.com`,
      nationalId: String(10_000_000_000 + i),
      employeeId: `E${i}`,
      department: 'Ops',
      costCenter: 'CC1',
      officeZip: '04571-926',
      payrollId: `P${i}`,
      payrollEnabled: i % 10 < 7 ? 'Yes' : 'No',
    },
    effectiveDate: '2025-01-01',
    ...(left ? { terminationDate: '2026-11-10' } : {}),
  };
}

async function* employees(): AsyncGenerator<StoredEmployee> {
  for (let i = 0; i < N; i++) yield employee(i);
}

async function* employeeEvents(): AsyncGenerator<EmployeeEvent> {
  for (let i = 0; i < N; i++) {
    if (i % 20 >= 7) continue; // 35% subscribe
    const base = { employeeKey: key(i), familyMember: false, slot: 'self' };
    yield { ...base, type: 'member.registered', at: '2025-02-01T10:00:00.000Z', eventId: `r${i}` };
    yield {
      ...base,
      type: 'subscription.started',
      at: '2025-03-01T10:00:00.000Z',
      eventId: `s${i}`,
      plan: 'Gold',
      price: '449.90',
      currency: 'BRL',
    };
    if (i % 10 === 1)
      yield {
        ...base,
        type: 'subscription.upgraded',
        at: '2026-01-01T10:00:00.000Z',
        eventId: `u${i}`,
        plan: 'Platinum',
        price: '599.90',
        currency: 'BRL',
      };
    if (i % 10 === 3) yield { ...base, type: 'subscription.paused', at: '2026-06-01T10:00:00.000Z', eventId: `p${i}` };
    if (i % 10 === 5) {
      yield {
        employeeKey: key(i),
        familyMember: true,
        slot: 'family:',
        type: 'subscription.started',
        at: '2025-04-01T10:00:00.000Z',
        eventId: `f${i}`,
        plan: 'Basic',
        price: '99.90',
        currency: 'BRL',
      };
    }
  }
}

async function* checkins(): AsyncGenerator<CheckinEvent> {
  const first = dayNumber('2025-11-25');
  for (let i = 0; i < N; i++) {
    const e = (i * 7919) % N;
    yield {
      at: `${dateOf(first + Math.floor((i / N) * 365))}T10:00:00.000Z`,
      eventId: `c${i}`,
      employeeKey: key(e),
      familyMember: false,
      venue: 'Smart Fit Paulista',
      activity: 'Weight training',
      mode: 'PHYSICAL',
      employeeId: `E${e}`,
      email: `p${e}@example.com`,
      name: `Person ${e}`,
    };
  }
}

const written = new Map<string, number>();
const store = {
  async putStream(k: string, body: Readable): Promise<void> {
    let bytes = 0;
    await pipeline(
      body,
      new Writable({
        write(chunk: Buffer, _e, cb) {
          bytes += chunk.length;
          cb();
        },
      }),
    );
    written.set(k, bytes);
  },
  async list() {
    return { objects: [], prefixes: [] };
  },
} as unknown as ObjectStore;

function partner(entityType: Partner['entityType']): Partner {
  return {
    partnerId: 'bench',
    entityType,
    profile: 'wellhub',
    companies: [{ taxId: TAX_ID, name: 'Acme' }],
    adminEmails: ['a@b.c'],
    country: 'BR',
    currency: 'BRL',
    wipeThreshold: 0.1,
    customHeaders: [],
    sshPublicKeys: ['k'],
    createdAt: '',
  };
}

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
async function measure<T>(label: string, run: () => Promise<T>): Promise<{ label: string; seconds: number; peakRssMiB: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  peak = process.memoryUsage().rss;
  const start = performance.now();
  await run();
  peak = Math.max(peak, process.memoryUsage().rss);
  const result = { label, seconds: Number(((performance.now() - start) / 1000).toFixed(1)), peakRssMiB: Math.round(peak / 2 ** 20) };
  console.log(`${label}: ${result.seconds} s, peak RSS ${result.peakRssMiB} MiB`);
  return result;
}

const log = { info: () => {}, warn: () => {}, error: () => {} };
const events = { employeeEvents, checkins };
const results = [];
results.push(
  await measure(`payroll, multi-entity zip, ${N} employees`, () =>
    runPayrollJob(
      { store, partners: { list: async () => [partner('multi-entity')] }, employees: { allOf: employees }, events, log },
      { cycle, now: new Date(`${END}T03:00:00Z`) },
    ),
  ),
);
results.push(
  await measure(`reports, 4 usage zips and the workforce zip, ${N} employees and ${N} check-ins`, () =>
    runReportsJob(
      { store, partners: { list: async () => [partner('multi-entity')] }, employees: { allOf: employees }, events, log },
      { period: reportPeriod(END) },
    ),
  ),
);
results.push(
  await measure(`workforce zip (SPEC §19), ${N} employees with 24 months of history`, () =>
    writeWorkforceReport(
      { store, employees: { allOf: (_p: string, taxId: string) => employeesWithHistory(N, taxId, END) } },
      partner('multi-entity'),
      reportPeriod('2026-12-01'),
    ),
  ),
);
clearInterval(sampler);
for (const [k, bytes] of written) console.log(`  ${k}: ${(bytes / 2 ** 20).toFixed(1)} MiB`);
console.log(JSON.stringify({ employees: N, results }));
