import { describe, expect, it } from 'vitest';
import { deductionOf, deductionRow, type PayrollEmployee } from '../../lambdas/core/payroll/deductions.ts';
import { parseCycle } from '../../lambdas/core/payroll/cycle.ts';
import { dayNumber } from '../../lambdas/core/platform-events/days.ts';
import { eventId, parseEventLine, type PlatformEvent } from '../../lambdas/core/platform-events/event-schema.ts';
import type { EmployeeEvent } from '../../lambdas/core/platform-events/stored-event.ts';
import { joinEmployeeEvents } from '../../lambdas/core/platform-events/stored-event.ts';
import { reportCsvName, reportPeriod, reportZipName, REPORTS } from '../../lambdas/core/reports/report-period.ts';
import { AdoptionCounter, historyRows, snapshotRows } from '../../lambdas/core/reports/report-rows.ts';

/** A small history with answers computed by hand (see each expectation). */

let n = 0;
function ev(employeeKey: string, type: EmployeeEvent['type'], at: string, extra: Partial<EmployeeEvent> = {}): EmployeeEvent {
  const family = extra.familyMember ?? false;
  return {
    employeeKey,
    slot: family ? 'family:' : 'self',
    familyMember: family,
    type,
    at: `${at}T12:00:00.000Z`,
    eventId: `e${n++}`,
    ...extra,
  };
}

const ana = {
  employeeKey: 'k1',
  active: true,
  values: {
    name: 'Ana',
    email: 'ana@x.com',
    employeeId: 'E1',
    nationalId: '76425464089',
    payrollEnabled: 'Yes',
    department: 'Ops',
    costCenter: 'CC',
    officeZip: '04571-926',
    payrollId: 'P1',
  },
  effectiveDate: '2025-01-10',
};
const bruno = {
  employeeKey: 'k2',
  active: false,
  values: { name: 'Bruno', email: 'b@x.com', employeeId: 'E2', payrollEnabled: 'Yes' },
  effectiveDate: '2025-01-01',
  terminationDate: '2025-03-01',
};

const anaEvents = [
  ev('k1', 'member.registered', '2025-01-15'),
  ev('k1', 'subscription.started', '2025-02-01', { plan: 'Gold', price: '449.90', currency: 'BRL' }),
  ev('k1', 'subscription.started', '2025-03-01', { familyMember: true, plan: 'Basic', price: '99.90', currency: 'BRL' }),
  ev('k1', 'subscription.upgraded', '2025-03-10', { plan: 'Platinum', price: '599.90', currency: 'BRL' }),
  ev('k1', 'subscription.paused', '2025-04-01'),
  ev('k1', 'subscription.resumed', '2025-04-15'),
  ev('k1', 'subscription.canceled', '2025-05-01'),
  ev('k1', 'subscription.started', '2025-05-20', { plan: 'Basic', price: '99.9', currency: 'BRL' }),
];
const brunoEvents = [
  ev('k2', 'member.registered', '2025-01-05'),
  ev('k2', 'subscription.started', '2025-01-10', { plan: 'Gold', price: '449.90', currency: 'BRL' }),
];

describe('report rows from a small history', () => {
  const period = reportPeriod('2025-06-30');

  it('names the period and files as SPEC §9.2', () => {
    expect(period.start).toBe('2024-06-30');
    expect(reportZipName(reportPeriod('2025-07-01'), REPORTS[2])).toBe('2024-07-01-2025-07-01_CHECK-INS.zip');
    expect(reportCsvName('Acme', reportPeriod('2025-07-01'), REPORTS[3])).toBe('Acme_2024-07-01-2025-07-01_adoption-over-time-wellhub.csv');
    expect(reportPeriod('2024-02-29').start).toBe('2023-02-28');
  });

  it('labels the subscription history: first, upgrade, pause, resume, cancellation, new', () => {
    const rows = [...historyRows({ employee: ana, events: anaEvents }, period)];
    expect(rows).toEqual([
      ['2025-02-01', 'E1', 'ana@x.com', 'Ana', 'No', 'FIRST_SUBSCRIPTION', 'Gold', '449.90', 'BRL'],
      ['2025-03-10', 'E1', 'ana@x.com', 'Ana', 'No', 'UPGRADE', 'Platinum', '599.90', 'BRL'],
      ['2025-04-01', 'E1', 'ana@x.com', 'Ana', 'No', 'PAUSE', 'Platinum', '599.90', 'BRL'],
      ['2025-04-15', 'E1', 'ana@x.com', 'Ana', 'No', 'RESUME', 'Platinum', '599.90', 'BRL'],
      ['2025-05-01', 'E1', 'ana@x.com', 'Ana', 'No', 'CANCELLATION', 'Platinum', '599.90', 'BRL'],
      ['2025-05-20', 'E1', 'ana@x.com', 'Ana', 'No', 'NEW_SUBSCRIPTION', 'Basic', '99.90', 'BRL'],
      ['2025-03-01', 'E1', 'ana@x.com', 'Ana', 'Yes', 'FIRST_SUBSCRIPTION', 'Basic', '99.90', 'BRL'],
    ]);
    // A period ending before the upgrade sees only the first subscription and the family start.
    expect([...historyRows({ employee: ana, events: anaEvents }, reportPeriod('2025-03-05'))].map((r) => r[5])).toEqual([
      'FIRST_SUBSCRIPTION',
      'FIRST_SUBSCRIPTION',
    ]);
  });

  it('snapshots subscribers as of the end date, paused ones included', () => {
    expect([...snapshotRows({ employee: ana, events: anaEvents }, period)]).toEqual([
      ['E1', 'ana@x.com', 'Ana', 'No', 'Basic', '99.90', 'BRL', '2025-05-20', 'ACTIVE'],
      ['E1', 'ana@x.com', 'Ana', 'Yes', 'Basic', '99.90', 'BRL', '2025-03-01', 'ACTIVE'],
    ]);
    expect([...snapshotRows({ employee: ana, events: anaEvents }, reportPeriod('2025-04-10'))][0]?.slice(4)).toEqual([
      'Platinum',
      '599.90',
      'BRL',
      '2025-02-01',
      'PAUSED',
    ]);
  });

  it('counts adoption per day across an eligibility removal', () => {
    const counter = new AdoptionCounter(period);
    counter.add({ employee: ana, events: anaEvents });
    counter.add({ employee: bruno, events: brunoEvents });
    const byDate = new Map([...counter.rows()].map(([date, ...counts]) => [date, counts.join(' ')]));
    expect(byDate.size).toBe(366);
    // Date → Eligibles Members Subscribers Family Members
    expect(byDate.get('2024-12-31')).toBe('0 0 0 0');
    expect(byDate.get('2025-01-09')).toBe('1 1 0 0'); // Bruno eligible since 01-01, registered 01-05
    expect(byDate.get('2025-01-10')).toBe('2 1 1 0'); // Ana eligible; Bruno subscribes
    expect(byDate.get('2025-01-15')).toBe('2 2 1 0'); // Ana registers
    expect(byDate.get('2025-02-28')).toBe('2 2 2 0'); // Ana subscribed 02-01
    expect(byDate.get('2025-03-01')).toBe('1 1 1 1'); // Bruno removed: out of every column; Ana's family subscribes
    expect(byDate.get('2025-04-01')).toBe('1 1 0 1'); // Ana paused
    expect(byDate.get('2025-04-15')).toBe('1 1 1 1'); // resumed
    expect(byDate.get('2025-05-01')).toBe('1 1 0 1'); // canceled
    expect(byDate.get('2025-05-20')).toBe('1 1 1 1'); // new subscription
    expect(byDate.get('2025-06-30')).toBe('1 1 1 1');
  });
});

describe('payroll deductions from the same history', () => {
  it('charges an active employee their plan plus their family plans on the job date', () => {
    const cycle = parseCycle('2025-03');
    const d = deductionOf({ employee: ana, events: anaEvents }, cycle, cycle.lastDay);
    expect(d).toEqual({ file: 'deduction', cents: 59990 + 9990 });
    expect(deductionRow(ana, 69980, 'BRL')).toEqual(['Ana', 'ana@x.com', '76425464089', 'E1', 'R$ 699,80', 'Ops', 'CC', '04571-926', 'P1']);
    // Paused on the job date: nothing due for the employee, the family plan still is.
    expect(deductionOf({ employee: ana, events: anaEvents }, parseCycle('2025-04'), dayNumber('2025-04-05'))).toEqual({
      file: 'deduction',
      cents: 9990,
    });
  });

  it('prorates a leaver removed on the first day of the cycle', () => {
    const cycle = parseCycle('2025-03');
    // Gold 449.90 × 1 day ÷ 31 = 14.5129 → 14.51
    expect(deductionOf({ employee: bruno, events: brunoEvents }, cycle, cycle.lastDay)).toEqual({ file: 'leavers', cents: 1451 });
    // Removed before the cycle: not a leaver of April.
    expect(deductionOf({ employee: bruno, events: brunoEvents }, parseCycle('2025-04'), dayNumber('2025-04-30'))).toBeUndefined();
  });

  it('skips employees who are not payroll-enabled', () => {
    const cycle = parseCycle('2025-03');
    const off = { ...ana, values: { ...ana.values, payrollEnabled: 'No' } } satisfies PayrollEmployee;
    expect(deductionOf({ employee: off, events: anaEvents }, cycle, cycle.lastDay)).toBeUndefined();
  });

  it('joins employees and events ordered by key', async () => {
    async function* of<T>(items: T[]): AsyncGenerator<T> {
      yield* items;
    }
    const joined = [];
    for await (const j of joinEmployeeEvents(of([ana, bruno, { ...ana, employeeKey: 'k3' }]), of([...anaEvents, ...brunoEvents])))
      joined.push(j);
    expect(joined.map((j) => [j.employee.employeeKey, j.events.length])).toEqual([
      ['k1', 8],
      ['k2', 2],
      ['k3', 0],
    ]);
  });
});

describe('platform event lines', () => {
  it('accepts the SPEC §9.1 examples and gives the same event the same id', () => {
    const line =
      '{"type":"subscription.started","at":"2026-03-02T10:00:00-03:00","companyTaxId":"37211173000169","employee":{"nationalId":"76425464089"},"familyMember":false,"plan":"Gold","price":"449.90","currency":"BRL"}';
    const parsed = parseEventLine(line);
    expect(parsed.ok && parsed.event.at).toBe('2026-03-02T13:00:00.000Z');
    const again = parseEventLine(line);
    expect(parsed.ok && again.ok && parsed.eventId === again.eventId).toBe(true);
    expect(
      parseEventLine(
        '{"type":"checkin","at":"2026-03-02T10:00:00Z","companyTaxId":"1","employee":{"email":"a@b.com"},"familyMember":true,"venue":"Smart Fit","activity":"Yoga","mode":"PHYSICAL"}',
      ).ok,
    ).toBe(true);
    expect(
      eventId({ type: 'member.registered', at: 'x', companyTaxId: '1', employee: { email: 'a' }, familyMember: false } as PlatformEvent),
    ).toHaveLength(22);
  });

  it('says what is wrong with a bad line', () => {
    expect(parseEventLine('{oops')).toEqual({ ok: false, error: 'not valid JSON' });
    const bad = (o: object) => {
      const r = parseEventLine(JSON.stringify(o));
      return r.ok ? '' : r.error;
    };
    const base = { at: '2026-03-02T10:00:00Z', companyTaxId: '1', employee: { email: 'a@b.com' } };
    expect(bad({ ...base, type: 'member.left' })).toMatch(/type/);
    expect(bad({ ...base, type: 'subscription.started', plan: 'Gold', price: '449,90', currency: 'BRL' })).toMatch(/price/);
    expect(bad({ ...base, type: 'checkin', employee: {}, venue: 'v', activity: 'a', mode: 'PHYSICAL' })).toMatch(/employee/);
    expect(bad({ ...base, type: 'checkin', venue: 'v', activity: 'a', mode: 'WALK' })).toMatch(/mode/);
    expect(bad({ ...base, at: 'yesterday', type: 'member.registered' })).toMatch(/at/);
  });
});
