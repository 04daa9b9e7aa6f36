import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { unzipText } from '../support/unzip.ts';
import { ACME, csvOf, GLOBEX, person, putAndSettle } from './eligibility-support.ts';
import { BASIC, cli, event, GOLD, records, today } from './jobs-support.ts';

/**
 * SPEC §8 and §9.2 through the SFTP contract: events loaded from the bucket, the jobs run with the
 * CLI, and the files read back over SFTP and unzipped.
 */

const SOLO = '01916628000102';
const SILVER = { plan: 'Silver', price: '199.90', currency: 'BRL' };
const PLATINUM = { plan: 'Platinum', price: '599.90', currency: 'BRL' };

const now = new Date();
const cycle = today().slice(0, 7);
const cycleId = cycle.replace('-', '');
const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
const DEDUCTION_COLUMNS = [
  'Full Name',
  'Email',
  'National ID',
  'Employee ID',
  'Amount due',
  'Department',
  'Cost center',
  'Office zip code',
  'Payroll ID',
];

describe('payroll and reports jobs', () => {
  let harness: Harness;
  let multi: SftpSession;
  let solo: SftpSession;

  beforeAll(async () => {
    harness = await startHarness();
    const m = await harness.addPartner('multi', 'multi-entity', {
      companies: [
        { taxId: ACME, name: 'Acme' },
        { taxId: GLOBEX, name: 'Globex/Brasil' },
      ],
    });
    const s = await harness.addPartner('solo', 'single-entity', { companies: [{ taxId: SOLO, name: 'Solo Corp' }] });
    multi = await m.connect();
    solo = await s.connect();
    // Even-numbered people are Payroll Enabled: Yes (person()), odd ones No.
    await putAndSettle(
      multi,
      '/multientity',
      'all',
      'base.csv',
      csvOf([person(1), person(2), person(4), person(6, GLOBEX), person(8, GLOBEX)]),
    );
    await putAndSettle(solo, '', 'all', 'solo.csv', csvOf([person(10, SOLO), person(12, SOLO)]));
    const lines = [
      event('member.registered', 2, ACME),
      event('subscription.started', 2, ACME, GOLD),
      event('subscription.started', 2, ACME, { ...BASIC, familyMember: true }),
      event('checkin', 2, ACME, { venue: 'Smart Fit Paulista', activity: 'Yoga', mode: 'PHYSICAL' }),
      event('subscription.started', 1, ACME, GOLD),
      event('subscription.started', 4, ACME, SILVER),
      JSON.stringify({ ...JSON.parse(event('subscription.paused', 4, ACME)), at: `${today()}T00:00:02Z` }),
      event('subscription.started', 6, GLOBEX, PLATINUM),
      event('subscription.started', 8, GLOBEX, GOLD),
      event('subscription.started', 10, SOLO, BASIC),
    ];
    await harness.pipeline.deps.store.put('internal/platform-events/jobs.jsonl', `${lines.join('\n')}\n`);
    await waitFor(
      async () => {
        const head = await harness.pipeline.deps.store.head('internal/platform-events/jobs.jsonl');
        return harness.pipeline.events.marker('internal/platform-events/jobs.jsonl', head?.versionId ?? '');
      },
      (m) => m !== undefined && m.loaded === lines.length,
    );
    // Person 8 leaves Globex today, with a Gold subscription.
    await putAndSettle(multi, '/multientity', 'all', 'leaver.csv', csvOf([person(1), person(2), person(4), person(6, GLOBEX)]));
  });
  afterAll(async () => harness?.stop());

  it('writes a multi-entity zip of per-company CSVs, replaces the previous cycle and archives it', async () => {
    expect((await cli(harness, 'job', 'payroll', '--cycle', previous, '--partner', 'multi')).code).toBe(0);
    const run = await cli(harness, 'job', 'payroll', '--cycle', cycle);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/multi: 2 deductions, 1 leaver, 2 older files archived/);

    expect(await multi.list('/multientity/payroll')).toEqual([`${cycleId}_wellhub_payroll_deduction.zip`, 'leavers']);
    expect(await multi.list('/multientity/payroll/leavers')).toEqual([`${cycleId}_wellhub_partial_payroll_deduction.zip`]);
    const previousId = previous.replace('-', '');
    expect(
      await harness.pipeline.deps.store.head(`archive/payroll/multi/multientity/payroll/${previousId}_wellhub_payroll_deduction.zip`),
    ).toBeDefined();
    expect(
      await harness.pipeline.deps.store.head(
        `archive/payroll/multi/multientity/payroll/leavers/${previousId}_wellhub_partial_payroll_deduction.zip`,
      ),
    ).toBeDefined();

    const zip = await unzipText(await multi.get(`/multientity/payroll/${cycleId}_wellhub_payroll_deduction.zip`));
    expect([...zip.keys()]).toEqual([
      `Globex-Brasil_${cycleId}_wellhub_payroll_deduction.csv`,
      `Acme_${cycleId}_wellhub_payroll_deduction.csv`,
    ]);
    const acme = zip.get(`Acme_${cycleId}_wellhub_payroll_deduction.csv`) ?? '';
    expect(acme.split('\r\n')[0]).toBe(DEDUCTION_COLUMNS.join(';'));
    // Person 2: Gold 449.90 + family Basic 99.90; person 1 is not payroll-enabled; person 4 is paused.
    expect(records(acme, ';')).toEqual([
      {
        'Full Name': 'Person 0002',
        Email: 'p2@example.com',
        'National ID': (person(2)[3] ?? '').replace(/\D/g, ''),
        'Employee ID': 'E2',
        'Amount due': 'R$ 549,80',
        Department: 'Ops',
        'Cost center': 'CC1',
        'Office zip code': '04571-926',
        'Payroll ID': 'P2',
      },
    ]);
    expect(
      records(zip.get(`Globex-Brasil_${cycleId}_wellhub_payroll_deduction.csv`) ?? '', ';').map((r) => [r['Employee ID'], r['Amount due']]),
    ).toEqual([['E6', 'R$ 599,90']]);

    const leavers = await unzipText(await multi.get(`/multientity/payroll/leavers/${cycleId}_wellhub_partial_payroll_deduction.zip`));
    expect(records(leavers.get(`Acme_${cycleId}_wellhub_partial_payroll_deduction.csv`) ?? '', ';')).toEqual([]);
    // Removed today, effective today: one day of Gold, 449.90 ÷ days in the month, half-up.
    const cents = Math.floor((2 * 44990 + daysInMonth) / (2 * daysInMonth));
    const expected = `R$ ${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
    expect(
      records(leavers.get(`Globex-Brasil_${cycleId}_wellhub_partial_payroll_deduction.csv`) ?? '', ';').map((r) => [
        r['Employee ID'],
        r['Amount due'],
      ]),
    ).toEqual([['E8', expected]]);

    // Safe to run twice: the same files, nothing else moved.
    const again = await cli(harness, 'job', 'payroll', '--cycle', cycle, '--partner', 'multi');
    expect(again.out).toMatch(/multi: 2 deductions, 1 leaver, 0 older files archived/);
    expect(await multi.list('/multientity/payroll')).toEqual([`${cycleId}_wellhub_payroll_deduction.zip`, 'leavers']);
  });

  it('writes one CSV and one leavers CSV for a single-entity partner', async () => {
    expect((await cli(harness, 'job', 'payroll', '--cycle', cycle, '--partner', 'solo')).code).toBe(0);
    expect(await solo.list('/payroll')).toEqual([`Solo Corp_${cycleId}_wellhub_payroll_deduction.csv`, 'leavers']);
    const text = (await solo.get(`/payroll/Solo Corp_${cycleId}_wellhub_payroll_deduction.csv`)).toString('utf8');
    expect(records(text, ';').map((r) => [r['Full Name'], r['Amount due']])).toEqual([['Person 0010', 'R$ 99,90']]);
    const leavers = (await solo.get(`/payroll/leavers/Solo Corp_${cycleId}_wellhub_partial_payroll_deduction.csv`)).toString('utf8');
    expect(leavers).toBe(`${DEDUCTION_COLUMNS.join(';')}\r\n`);
  });

  it('refuses an unknown partner with one line', async () => {
    const run = await cli(harness, 'job', 'payroll', '--cycle', cycle, '--partner', 'nobody');
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/no partner "nobody"/);
  });

  it('writes the four report zips (and the workforce zip) for the 12 months ending on the end date', async () => {
    const end = today();
    const start = `${Number(end.slice(0, 4)) - 1}${end.slice(4)}`;
    const run = await cli(harness, 'job', 'reports', '--end', end, '--partner', 'multi');
    expect(run.code).toBe(0);
    const names = ['SUBSCRIPTION-HISTORY', 'SUBSCRIBERS-SNAPSHOT', 'CHECK-INS', 'ADOPTION-OVER-TIME', 'WORKFORCE'];
    expect(await multi.list('/multientity/reports')).toEqual(names.map((n) => `${start}-${end}_${n}.zip`).sort());
    const read = async (report: string) => unzipText(await multi.get(`/multientity/reports/${start}-${end}_${report}.zip`));
    const csvName = (company: string, report: string) => `${company}_${start}-${end}_${report}-wellhub.csv`;

    const history = await read('SUBSCRIPTION-HISTORY');
    expect([...history.keys()]).toEqual([csvName('Globex-Brasil', 'subscription-history'), csvName('Acme', 'subscription-history')]);
    const acmeHistory = history.get(csvName('Acme', 'subscription-history')) ?? '';
    expect(acmeHistory.split('\r\n')[0]).toBe('Date,Employee ID,Email,Full Name,Family Member,Event,Plan,Price,Currency');
    expect(
      records(acmeHistory)
        .map((r) => [r['Employee ID'], r['Family Member'], r.Event, r.Plan, r.Price])
        .sort(),
    ).toEqual([
      ['E1', 'No', 'FIRST_SUBSCRIPTION', 'Gold', '449.90'],
      ['E2', 'No', 'FIRST_SUBSCRIPTION', 'Gold', '449.90'],
      ['E2', 'Yes', 'FIRST_SUBSCRIPTION', 'Basic', '99.90'],
      ['E4', 'No', 'FIRST_SUBSCRIPTION', 'Silver', '199.90'],
      ['E4', 'No', 'PAUSE', 'Silver', '199.90'],
    ]);

    const snapshot = await read('SUBSCRIBERS-SNAPSHOT');
    const acmeSnapshot = snapshot.get(csvName('Acme', 'subscribers-snapshot')) ?? '';
    expect(acmeSnapshot.split('\r\n')[0]).toBe('Employee ID,Email,Full Name,Family Member,Plan,Price,Currency,Subscribed Since,Status');
    expect(
      records(acmeSnapshot)
        .map((r) => [r['Employee ID'], r['Family Member'], r.Status, r['Subscribed Since']])
        .sort(),
    ).toEqual([
      ['E1', 'No', 'ACTIVE', end],
      ['E2', 'No', 'ACTIVE', end],
      ['E2', 'Yes', 'ACTIVE', end],
      ['E4', 'No', 'PAUSED', end],
    ]);

    const checkins = await read('CHECK-INS');
    const acmeCheckins = checkins.get(csvName('Acme', 'check-ins')) ?? '';
    expect(acmeCheckins.split('\r\n')[0]).toBe('Date and Time,Employee ID,Email,Full Name,Family Member,Venue,Activity,Mode');
    expect(records(acmeCheckins)).toEqual([
      {
        'Date and Time': `${end}T00:00:01Z`,
        'Employee ID': 'E2',
        Email: 'p2@example.com',
        'Full Name': 'Person 0002',
        'Family Member': 'No',
        Venue: 'Smart Fit Paulista',
        Activity: 'Yoga',
        Mode: 'PHYSICAL',
      },
    ]);
    expect(records(checkins.get(csvName('Globex-Brasil', 'check-ins')) ?? '')).toEqual([]);

    const adoption = await read('ADOPTION-OVER-TIME');
    const acmeAdoption = records(adoption.get(csvName('Acme', 'adoption-over-time')) ?? '');
    expect(Object.keys(acmeAdoption[0] ?? {})).toEqual(['Date', 'Eligibles', 'Members', 'Subscribers', 'Family Members']);
    expect(acmeAdoption[0]?.Date).toBe(start);
    expect(acmeAdoption.at(-1)).toEqual({ Date: end, Eligibles: '3', Members: '1', Subscribers: '2', 'Family Members': '1' });
    expect(acmeAdoption.at(-2)).toMatchObject({ Eligibles: '0', Subscribers: '0' });
    // Person 8 left Globex today: out of the eligibles and the subscribers.
    const globex = records(adoption.get(csvName('Globex-Brasil', 'adoption-over-time')) ?? '');
    expect(globex.at(-1)).toEqual({ Date: end, Eligibles: '1', Members: '0', Subscribers: '1', 'Family Members': '0' });

    // Safe to run twice: the same five zips.
    expect((await cli(harness, 'job', 'reports', '--end', end, '--partner', 'multi')).code).toBe(0);
    expect(await multi.list('/multientity/reports')).toHaveLength(5);
  });
});
