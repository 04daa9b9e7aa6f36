import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessors } from '../../lambdas/app/flows/registry.ts';
import type { ProcessorRegistry, UploadContext } from '../../lambdas/app/flows/upload-processor.ts';
import { startHarness, type Harness, type SftpSession } from '../support/local-harness.ts';
import { unzipText } from '../support/unzip.ts';
import { csvLines } from './profiles-support.ts';
import { ACME, csvOf, GLOBEX, person, putAndSettle } from './eligibility-support.ts';
import { cli, records } from './jobs-support.ts';
import { storedHistories } from './workforce-support.ts';

/**
 * SPEC §19 end to end: a multi-entity partner sends a year of monthly census files over SFTP,
 * the reports job runs from the CLI, and the WORKFORCE zip read back over SFTP holds, for every
 * company and month, the figures this test computes on its own from the files it sent.
 *
 * An upload's effective and termination dates are the day it was received. S3 (moto) stamps real
 * time, so the flows here see a simulated day instead: the processors are the real ones, wrapped
 * to hand them the upload (and `now`) as if received on `clock.day` (as other tests wrap them to
 * inject failures). Everything else — SFTP, S3 events, queues, handlers, DynamoDB — is real.
 */

const INITECH = '01916628000102';
const clock = { day: '2024-01-15' };

function simulatedDays(deps: Parameters<typeof createProcessors>[0]): ProcessorRegistry {
  const real = createProcessors(deps);
  return Object.fromEntries(
    Object.entries(real).map(([key, processor]) => [
      key,
      processor && {
        process: (context: UploadContext) => {
          const at = new Date(`${clock.day}T10:00:00.000Z`);
          return processor.process({ ...context, now: at, upload: { ...context.upload, receivedAt: at.toISOString() } });
        },
      },
    ]),
  );
}

// ---------- the census the partner sends: a deterministic year of changes ----------

interface Member {
  readonly n: number;
  readonly company: string;
  readonly department: string;
}

/** Upload days: the 1st, the last day (29 February included), mid-month; about one a month. */
const DAYS = [
  '2024-01-15',
  '2024-02-01',
  '2024-02-29',
  '2024-03-31',
  '2024-04-01',
  '2024-05-10',
  '2024-06-30',
  '2024-07-01',
  '2024-08-20',
  '2024-09-01',
  '2024-10-31',
  '2024-11-15',
  '2024-12-01',
  '2025-01-31',
];
const DEPARTMENTS = ['Ops', 'Sales', ''];

/** Who is in the file of upload `u`: a fixed pseudo-random pattern of joins, leaves, returns, moves. */
function censusOf(u: number): Member[] {
  const members: Member[] = [];
  for (let n = 1; n <= 70; n++) {
    const seed = (n * 7919 + 13) % 101;
    const joins = seed % 12; // upload index at which they first appear
    const leavesAt = n % 4 < 2 ? joins + 1 + (seed % 6) : Infinity;
    const returnsAt = n % 4 === 1 ? leavesAt + 2 : Infinity;
    const present = u >= joins && (u < leavesAt || u >= returnsAt);
    if (!present) continue;
    // A few move between the two companies (removed in one, added in the other) and back.
    const moved = n % 10 === 3 && u >= 5 && u < 9;
    const company = (n % 3 === 0) !== moved ? GLOBEX : ACME;
    const department = DEPARTMENTS[(n + (u >= 6 && n % 5 === 1 ? 1 : 0)) % 3] as string;
    members.push({ n, company, department });
  }
  return members;
}

const censusFile = (members: Member[]): string => csvOf(members.map((m) => person(m.n, m.company, { Department: m.department })));

// ---------- the figures, computed here from the files sent, day by day ----------

interface History {
  periods: { from: string; to?: string }[];
  departments: { from: string; name: string }[];
}

/** Per company, per Employee ID: the eligibility the uploads imply (SPEC §6.3: a full file replaces each company in it). */
function historiesFromFiles(): Map<string, Map<number, History>> {
  const byCompany = new Map<string, Map<number, History>>([
    [ACME, new Map()],
    [GLOBEX, new Map()],
    [INITECH, new Map()],
  ]);
  DAYS.forEach((day, u) => {
    const census = censusOf(u);
    for (const [company, records] of byCompany) {
      const rows = census.filter((m) => m.company === company);
      if (rows.length === 0) continue; // a company not in the file is left untouched
      const inFile = new Set(rows.map((m) => m.n));
      for (const m of rows) {
        const r = records.get(m.n) ?? { periods: [], departments: [] };
        records.set(m.n, r);
        const open = r.periods.at(-1);
        if (!open || open.to !== undefined) r.periods.push({ from: day });
        if (r.departments.at(-1)?.name !== m.department) r.departments.push({ from: day, name: m.department });
      }
      for (const [n, r] of records) {
        const open = r.periods.at(-1);
        if (open && open.to === undefined && !inFile.has(n)) open.to = day;
      }
    }
  });
  return byCompany;
}

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const lastDayOf = (month: string): string => addDays(`${addMonths(month, 1)}-01`, -1);
function addMonths(month: string, k: number): string {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + k;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}
const eligibleOn = (r: History, day: string): boolean => r.periods.some((p) => p.from <= day && (p.to === undefined || day < p.to));
const inMonth = (date: string | undefined, month: string): boolean => date !== undefined && date.slice(0, 7) === month;
const oneDecimal = (part: number, whole: number): string => (whole === 0 ? '' : (Math.round((part / whole) * 1000 + 1e-9) / 10).toFixed(1));

/** The department a record counts in for a month: on its last day, or on the last eligible day before it. */
function departmentIn(r: History, month: string): string {
  let day = '';
  for (const p of r.periods) {
    if (p.from > lastDayOf(month)) continue;
    const lastEligible = p.to === undefined || p.to > lastDayOf(month) ? lastDayOf(month) : addDays(p.to, -1);
    if (lastEligible > day) day = lastEligible;
  }
  const name = [...r.departments].reverse().find((d) => d.from <= day)?.name ?? r.departments[0]?.name ?? '';
  return name === '' ? '(none)' : name;
}

function expectedRow(records: History[], month: string): string[] {
  const opening = addDays(`${month}-01`, -1);
  const closing = lastDayOf(month);
  const windowOpening = addDays(`${addMonths(month, -11)}-01`, -1);
  const start = records.filter((r) => eligibleOn(r, opening)).length;
  const end = records.filter((r) => eligibleOn(r, closing)).length;
  const hires = records.filter((r) => inMonth(r.periods[0]?.from, month)).length;
  const leavers = records.flatMap((r) => r.periods).filter((p) => inMonth(p.to, month)).length;
  const cohort = records.filter((r) => eligibleOn(r, windowOpening));
  const retained = cohort.filter((r) => eligibleOn(r, closing)).length;
  const average = (start + end) / 2;
  return [
    String(start),
    String(hires),
    String(leavers),
    String(end),
    String(average),
    oneDecimal(leavers, average),
    cohort.length === 0 ? '' : oneDecimal(retained, cohort.length),
  ];
}

const touches = (r: History, month: string): boolean =>
  eligibleOn(r, addDays(`${month}-01`, -1)) ||
  eligibleOn(r, lastDayOf(month)) ||
  r.periods.some((p) => inMonth(p.from, month) || inMonth(p.to, month)) ||
  eligibleOn(r, addDays(`${addMonths(month, -11)}-01`, -1));

// ---------- the test ----------

describe('workforce metrics from a year of census files (SPEC §19)', () => {
  let harness: Harness;
  let session: SftpSession;
  const statuses: string[] = [];

  beforeAll(async () => {
    harness = await startHarness({ processors: simulatedDays });
    const partner = await harness.addPartner('wf-multi', 'multi-entity', {
      companies: [
        { taxId: ACME, name: 'Acme' },
        { taxId: GLOBEX, name: 'Globex' },
        { taxId: INITECH, name: 'Initech' },
      ],
      // The pattern sometimes removes more than 10% of a company at once: that is the test's point, not a wipe.
      wipeThreshold: 1,
    });
    session = await partner.connect();
    for (const [u, day] of DAYS.entries()) {
      clock.day = day;
      statuses.push((await putAndSettle(session, '/multientity', 'all', `census-${day}.csv`, censusFile(censusOf(u)))).processing_status);
    }
  }, 240_000);
  afterAll(async () => harness?.stop());

  it('applied every census file', () => {
    expect(statuses).toEqual(DAYS.map(() => 'Succeeded'));
  });

  for (const end of ['2025-02-01', '2025-01-01']) {
    it(`writes a WORKFORCE zip whose figures match the files, month by month (end ${end})`, async () => {
      const start = `${Number(end.slice(0, 4)) - 1}${end.slice(4)}`;
      const run = await cli(harness, 'job', 'reports', '--end', end, '--partner', 'wf-multi');
      expect(run.code).toBe(0);
      const zip = await unzipText(await session.get(`/multientity/reports/${start}-${end}_WORKFORCE.zip`));
      const stem = (company: string) => `${company}_${start}-${end}_workforce`;
      expect([...zip.keys()]).toEqual(
        ['Initech', 'Globex', 'Acme'].flatMap((c) => [`${stem(c)}.csv`, `${stem(c)}-by-department.csv`, `${stem(c)}.svg`]),
      );
      const months = Array.from({ length: 12 }, (_, i) => addMonths(start.slice(0, 7), i));
      const histories = historiesFromFiles();

      for (const [company, taxId] of [
        ['Acme', ACME],
        ['Globex', GLOBEX],
        ['Initech', INITECH],
      ] as const) {
        const all = [...(histories.get(taxId) ?? new Map<number, History>()).values()];
        const monthly = zip.get(`${stem(company)}.csv`) ?? '';
        expect(monthly.split('\r\n')[0]).toBe(
          'Month,Headcount Start,Hires,Leavers,Headcount End,Average Headcount,Turnover %,Retention 12M %',
        );
        expect(records(monthly).map((r) => Object.values(r))).toEqual(months.map((m) => [m, ...expectedRow(all, m)]));
        // Reactivations are not hires: Start + Hires − Leavers falls short of End by exactly them.
        const gap = records(monthly).reduce(
          (sum, r) => sum + Number(r['Headcount End']) - Number(r['Headcount Start']) - Number(r.Hires) + Number(r.Leavers),
          0,
        );
        const reactivations = all.flatMap((h) => h.periods.slice(1)).filter((p) => months.some((m) => inMonth(p.from, m))).length;
        expect(gap).toBe(reactivations);
        if (company !== 'Initech') expect(reactivations).toBeGreaterThan(0);

        const byDepartment = zip.get(`${stem(company)}-by-department.csv`) ?? '';
        expect(byDepartment.split('\r\n')[0]).toBe(
          'Month,Department,Headcount Start,Hires,Leavers,Headcount End,Average Headcount,Turnover %,Retention 12M %',
        );
        const expectedDepartments = months.flatMap((m) => {
          const groups = new Map<string, History[]>();
          for (const r of all.filter((x) => touches(x, m))) groups.set(departmentIn(r, m), [...(groups.get(departmentIn(r, m)) ?? []), r]);
          const names = [...groups.keys()].sort((a, b) => (a === '(none)' ? 1 : b === '(none)' ? -1 : a < b ? -1 : 1));
          return names.map((d) => [m, d, ...expectedRow(groups.get(d) ?? [], m)]);
        });
        expect(records(byDepartment).map((r) => Object.values(r))).toEqual(expectedDepartments);

        const svg = zip.get(`${stem(company)}.svg`) ?? '';
        expect(XMLValidator.validate(svg)).toBe(true);
        const doc = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: { title: string } };
        expect(doc.svg.title).toBe(`${company}: workforce`);
        for (const role of ['role-title', 'role-axis', 'role-legend']) expect(svg).toContain(role);
        expect(svg).toContain('>Month<');
        expect(svg).toContain('>People<');
      }

      // The data really moves: hires, leavers, reactivations and a retention figure all occur.
      const acme = records(zip.get(`${stem('Acme')}.csv`) ?? '');
      expect(acme.some((r) => Number(r.Leavers) > 0)).toBe(true);
      expect(acme.some((r) => Number(r.Hires) > 0)).toBe(true);
      if (end === '2025-02-01') expect(Number(acme.at(-1)?.['Retention 12M %'])).toBeGreaterThan(0);
      if (end === '2025-02-01') expect(Number(acme.at(-1)?.['Retention 12M %'])).toBeLessThan(100);
      // A company with no history: a zero row per month, no department rows.
      expect(records(zip.get(`${stem('Initech')}.csv`) ?? '').map((r) => r['Headcount End'])).toEqual(months.map(() => '0'));
      expect(records(zip.get(`${stem('Initech')}-by-department.csv`) ?? '')).toEqual([]);
    });
  }
});

describe('upwards: a held removal ends eligibility the day it is approved (SPEC §19)', () => {
  let harness: Harness;
  const HEADER = ['employee_id', 'first_name', 'last_name', 'email', 'zip_code', 'department'];
  const member = (n: number) => [`${1000 + n}`, `First${n}`, `Last${n}`, `m${n}@acme.example`, '90292', n === 1 ? 'Ops' : 'Sales'];

  beforeAll(async () => {
    harness = await startHarness({ processors: simulatedDays });
  });
  afterAll(async () => harness?.stop());

  it('counts the leaver in the month of the approval, not of the list', async () => {
    const session = await (
      await harness.addPartner('wf-upwards', 'single-entity', {
        profile: 'upwards',
        country: 'US',
        currency: 'USD',
        companies: [{ taxId: '123456789', name: 'ACME' }],
      })
    ).connect();
    clock.day = '2024-02-10';
    expect(
      (await putAndSettle(session, '', 'all', 'ACME_benefits_access_20240210.csv', csvLines(HEADER, [1, 2, 3].map(member))))
        .processing_status,
    ).toBe('Succeeded');
    clock.day = '2024-03-31';
    const held = await putAndSettle(session, '', 'all', 'ACME_benefits_access_20240331.csv', csvLines(HEADER, [1, 2].map(member)));
    expect(held.processing_status).toBe('Approval_Requested');
    clock.day = '2024-04-02';
    expect((await putAndSettle(session, '', 'approvals', `APPROVE-${held.filename}`, '')).processing_status).toBe('Succeeded');

    expect((await cli(harness, 'job', 'reports', '--end', '2024-06-01', '--partner', 'wf-upwards')).code).toBe(0);
    const zip = await unzipText(await session.get('/reports/2023-06-01-2024-06-01_WORKFORCE.zip'));
    const rows = records(zip.get('ACME_2023-06-01-2024-06-01_workforce.csv') ?? '');
    const row = (m: string) => rows.find((r) => r.Month === m);
    expect(row('2024-03')).toMatchObject({ 'Headcount End': '3', Leavers: '0' });
    expect(row('2024-04')).toMatchObject({ 'Headcount Start': '3', Leavers: '1', 'Headcount End': '2', 'Turnover %': '40.0' });
    const departments = records(zip.get('ACME_2023-06-01-2024-06-01_workforce-by-department.csv') ?? '');
    expect(departments.filter((r) => r.Month === '2024-04').map((r) => [r.Department, r.Leavers, r['Headcount End']])).toEqual([
      ['Ops', '0', '1'],
      ['Sales', '1', '1'],
    ]);
  });
});

describe('retrofit, channel partner: the same history without a department column', () => {
  let harness: Harness;
  const HEADER = ['External Id', 'First Name', 'Last Name', 'Email', 'Eligibility Type'];
  const row = (n: number) => [`X-${n}`, `First${n}`, `Last${n}`, `r${n}@globex.example`, 'Employee'];

  beforeAll(async () => {
    harness = await startHarness({ processors: simulatedDays });
  });
  afterAll(async () => harness?.stop());

  it('counts hires and leavers, everyone in (none)', async () => {
    const session = await (
      await harness.addPartner('wf-retro', 'channel-partner', {
        profile: 'retrofit',
        country: 'US',
        currency: 'USD',
        companies: [{ taxId: '987654321', name: 'Globex US' }],
      })
    ).connect();
    clock.day = '2024-02-10';
    expect(
      (await putAndSettle(session, '/channelpartner', 'all', 'eligibility-1.csv', csvLines(HEADER, [1, 2, 3].map(row)))).processing_status,
    ).toBe('Succeeded');
    clock.day = '2024-03-05';
    expect(
      (await putAndSettle(session, '/channelpartner', 'all', 'eligibility-2.csv', csvLines(HEADER, [1, 2, 4].map(row)))).processing_status,
    ).toBe('Succeeded');

    expect((await cli(harness, 'job', 'reports', '--end', '2024-06-01', '--partner', 'wf-retro')).code).toBe(0);
    const zip = await unzipText(await session.get('/channelpartner/reports/2023-06-01-2024-06-01_WORKFORCE.zip'));
    const rows = records(zip.get('Globex US_2023-06-01-2024-06-01_workforce.csv') ?? '');
    expect(
      rows.filter((r) => (r.Month ?? '') >= '2024-02').map((r) => [r.Month, r['Headcount Start'], r.Hires, r.Leavers, r['Headcount End']]),
    ).toEqual([
      ['2024-02', '0', '3', '0', '3'],
      ['2024-03', '3', '1', '1', '3'],
      ['2024-04', '3', '0', '0', '3'],
      ['2024-05', '3', '0', '0', '3'],
    ]);
    const departments = records(zip.get('Globex US_2023-06-01-2024-06-01_workforce-by-department.csv') ?? '');
    expect(new Set(departments.map((r) => r.Department))).toEqual(new Set(['(none)']));
  });
});

describe('the one-time backfill of histories for employees stored before them', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => harness?.stop());

  it('gives legacy records the history their dates stand for, once, and the report counts them', async () => {
    const partner = await harness.addPartner('wf-legacy', 'single-entity', { companies: [{ taxId: ACME, name: 'Acme' }] });
    const session = await partner.connect();
    // Records as the code before histories wrote them: dates, no history.
    const legacy = [
      { sk: 'old-active', active: true, effectiveDate: '2024-01-10', values: { department: 'Ops', employeeId: 'E1', name: 'Person 1' } },
      {
        sk: 'old-leaver',
        active: false,
        effectiveDate: '2024-02-01',
        terminationDate: '2024-06-01',
        values: { department: '', employeeId: 'E2', name: 'Person 2' },
      },
    ];
    for (const item of legacy) {
      await harness.pipeline.clients.dynamo.send(
        new PutCommand({
          TableName: harness.pipeline.resources.tables.employees,
          Item: {
            pk: `wf-legacy#${ACME}`,
            companyTaxId: ACME,
            fingerprint: 'x',
            identifiers: { employeeId: item.values.employeeId },
            ...item,
          },
        }),
      );
    }

    const first = await cli(harness, 'workforce', 'backfill', '--partner', 'wf-legacy');
    expect(first).toEqual({ code: 0, out: 'wf-legacy: 2 histories written, 0 unchanged\n' });
    expect(Object.fromEntries(await storedHistories(harness, 'wf-legacy', ACME))).toEqual({
      'old-active': ['2024-01-10+Ops'],
      'old-leaver': ['2024-02-01+', '2024-06-01-'],
    });
    expect((await cli(harness, 'workforce', 'backfill', '--partner', 'wf-legacy')).out).toBe(
      'wf-legacy: 0 histories written, 2 unchanged\n',
    );
    expect((await cli(harness, 'workforce', 'backfill', '--partner', 'nobody')).code).toBe(1);

    expect((await cli(harness, 'job', 'reports', '--end', '2025-01-01', '--partner', 'wf-legacy')).code).toBe(0);
    const zip = await unzipText(await session.get('/reports/2024-01-01-2025-01-01_WORKFORCE.zip'));
    const rows = records(zip.get('Acme_2024-01-01-2025-01-01_workforce.csv') ?? '');
    expect(rows.slice(0, 6).map((r) => [r.Month, r.Hires, r.Leavers, r['Headcount End']])).toEqual([
      ['2024-01', '1', '0', '1'],
      ['2024-02', '1', '0', '2'],
      ['2024-03', '0', '0', '2'],
      ['2024-04', '0', '0', '2'],
      ['2024-05', '0', '0', '2'],
      ['2024-06', '0', '1', '1'],
    ]);
  });
});
