import { describe, expect, it } from 'vitest';
import { reportPeriod } from '../../lambdas/core/reports/report-period.ts';
import { DEPARTMENT_COLUMNS, departmentRow, headerOf, MONTHLY_COLUMNS, monthlyRow } from '../../lambdas/core/workforce/columns.ts';
import { readHistory } from '../../lambdas/core/workforce/history.ts';
import { tenthsOfPercent, WorkforceCounter, type MonthFigures } from '../../lambdas/core/workforce/metrics.ts';
import { reportMonths } from '../../lambdas/core/workforce/months.ts';

/**
 * SPEC §19's definitions on hand-made histories. Entries are as EmployeeRepo writes them:
 * `date+dept` a start, `date=dept` a change, `date-` an end (the termination date).
 */

const YEAR_2025 = reportPeriod('2026-01-01'); // months 2025-01 .. 2025-12

function count(histories: string[][], period = YEAR_2025): WorkforceCounter {
  const counter = new WorkforceCounter(reportMonths(period));
  for (const history of histories) counter.add(readHistory({ history, department: '' }));
  return counter;
}

function month(counter: WorkforceCounter, id: string): MonthFigures {
  const found = counter.monthly().find((m) => m.month === id);
  if (!found) throw new Error(`no month ${id}`);
  return found;
}

const figures = (m: MonthFigures) => [m.headcountStart, m.hires, m.leavers, m.headcountEnd];

describe('report months', () => {
  it('has 12 months for an end date on a 1st, through the end month otherwise', () => {
    expect(reportMonths(YEAR_2025).map((m) => m.id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`),
    );
    const mid = reportMonths(reportPeriod('2025-07-15'));
    expect([mid.length, mid[0]?.id, mid.at(-1)?.id]).toEqual([13, '2024-07', '2025-07']);
  });

  it('knows leap years: February 2024 ends on the 29th, and a 29 February end date starts on the 28th', () => {
    const months = reportMonths(reportPeriod('2024-03-01'));
    const feb = months.at(-1)!;
    expect([feb.id, feb.last - feb.first + 1]).toEqual(['2024-02', 29]);
    const leap = reportMonths(reportPeriod('2024-02-29'));
    expect([leap[0]?.id, leap.at(-1)?.id, leap.length]).toEqual(['2023-02', '2024-02', 13]);
  });
});

describe('headcount, hires and leavers', () => {
  it('counts a hire and a leaver in the same month, out of both headcounts', () => {
    const c = count([['2025-03-05+', '2025-03-20-']]);
    expect(figures(month(c, '2025-03'))).toEqual([0, 1, 1, 0]);
    expect(month(c, '2025-03').turnoverTenths).toBeNull(); // average headcount 0: blank
    expect(figures(month(c, '2025-04'))).toEqual([0, 0, 0, 0]);
  });

  it('does not count a reactivation as a hire: Start + Hires − Leavers differs from End by it', () => {
    const c = count([['2025-01-10+', '2025-03-01-', '2025-05-15+']]);
    expect(figures(month(c, '2025-01'))).toEqual([0, 1, 0, 1]);
    expect(figures(month(c, '2025-03'))).toEqual([1, 0, 1, 0]);
    const may = month(c, '2025-05');
    expect(figures(may)).toEqual([0, 0, 0, 1]);
    expect(may.headcountStart + may.hires - may.leavers).toBe(may.headcountEnd - 1);
  });

  it('counts a leaver removed on the first day of a month in that month, and in its opening headcount', () => {
    const c = count([['2024-06-01+', '2025-04-01-']]);
    expect(figures(month(c, '2025-03'))).toEqual([1, 0, 0, 1]);
    expect(figures(month(c, '2025-04'))).toEqual([1, 0, 1, 0]);
    expect(month(c, '2025-04').turnoverTenths).toBe(2000); // 1 / 0.5 × 100
  });

  it('counts a leaver removed on the last day of a month out of its closing headcount', () => {
    const c = count([['2024-06-01+', '2025-04-30-']]);
    expect(figures(month(c, '2025-04'))).toEqual([1, 0, 1, 0]);
    // Removed the day after: still eligible on the 30th, a May leaver.
    const d = count([['2024-06-01+', '2025-05-01-']]);
    expect(figures(month(d, '2025-04'))).toEqual([1, 0, 0, 1]);
    expect(figures(month(d, '2025-05'))).toEqual([1, 0, 1, 0]);
  });

  it('counts a hire added on the first day of a month in that month, not in its opening headcount', () => {
    const c = count([['2025-02-01+']]);
    expect(figures(month(c, '2025-01'))).toEqual([0, 0, 0, 0]);
    expect(figures(month(c, '2025-02'))).toEqual([0, 1, 0, 1]);
    expect(figures(month(c, '2025-03'))).toEqual([1, 0, 0, 1]);
  });

  it('gives a company with no activity a zero row per month, blank percentages and no departments', () => {
    const c = count([['2020-01-01+', '2021-01-01-']]);
    expect(c.monthly()).toHaveLength(12);
    for (const m of c.monthly()) expect([...figures(m), m.turnoverTenths, m.retentionTenths]).toEqual([0, 0, 0, 0, null, null]);
    expect(c.byDepartments()).toEqual([]);
    expect(count([]).monthly().map(monthlyRow)[0]).toEqual(['2025-01', '0', '0', '0', '0', '0', '', '']);
  });

  it('handles 29 February: a removal that day leaves February, a removal on 1 March does not', () => {
    const period = reportPeriod('2024-03-01');
    const c = count(
      [
        ['2023-01-01+', '2024-02-29-'],
        ['2023-01-01+', '2024-03-01-'],
      ],
      period,
    );
    expect(figures(month(c, '2024-02'))).toEqual([2, 0, 1, 1]);
  });

  it('keeps Start + Hires + reactivations − Leavers = End and each Start equal to the month before’s End', () => {
    const histories = [
      ['2024-11-03+', '2025-02-01-'],
      ['2025-01-01+'],
      ['2025-01-31+', '2025-01-31-'],
      ['2025-03-15+', '2025-06-30-', '2025-09-01+'],
      ['2024-01-01+', '2025-12-31-'],
      ['2025-05-01+', '2025-05-02-', '2025-05-03+', '2025-07-01-'],
    ];
    const c = count(histories);
    const rows = c.monthly();
    rows.forEach((m, i) => {
      if (i > 0) expect(m.headcountStart).toBe(rows[i - 1]!.headcountEnd);
    });
    expect(
      month(c, '2025-09').headcountEnd - (month(c, '2025-09').headcountStart + month(c, '2025-09').hires - month(c, '2025-09').leavers),
    ).toBe(1);
    expect(month(c, '2025-05').hires).toBe(1);
    expect(month(c, '2025-05').leavers).toBe(1);
  });

  it('drops a period that starts and ends the same day, and joins a removal and reactivation of the same day', () => {
    expect(readHistory({ history: ['2025-01-31+', '2025-01-31-'], department: '' }).periods).toEqual([]);
    const joined = readHistory({ history: ['2025-01-01+', '2025-03-01-', '2025-03-01+'], department: '' });
    expect(joined.periods).toHaveLength(1);
    expect(figures(month(count([['2025-01-01+', '2025-03-01-', '2025-03-01+']]), '2025-03'))).toEqual([1, 0, 0, 1]);
  });
});

describe('turnover and retention', () => {
  it('computes turnover on the average headcount, one decimal rounded half up', () => {
    // 16 at the start and the end, one leaver replaced by one hire: 1 / 16 × 100 = 6.25 → 6.3.
    const stayers = Array.from({ length: 15 }, () => ['2024-01-01+']);
    const c = count([...stayers, ['2024-01-01+', '2025-06-10-'], ['2025-06-10+']]);
    const june = month(c, '2025-06');
    expect([june.headcountStart, june.headcountEnd, june.leavers, june.averageHalves]).toEqual([16, 16, 1, 32]);
    expect(monthlyRow(june).slice(5)).toEqual(['16', '6.3', '93.8']); // retention 15 / 16 = 93.75 → 93.8
    // 10 → 9: 1 / 9.5 × 100 = 10.526… → 10.5.
    const d = count([...Array.from({ length: 9 }, () => ['2024-01-01+']), ['2024-01-01+', '2025-06-10-']]);
    expect(monthlyRow(month(d, '2025-06')).slice(5)).toEqual(['9.5', '10.5', '90.0']);
    expect([tenthsOfPercent(1, 3), tenthsOfPercent(2, 3), tenthsOfPercent(1, 8)]).toEqual([333, 667, 125]);
  });

  it('measures 12-month retention from those eligible as the window opened, reactivated people included', () => {
    const c = count([
      ['2024-06-01+'], // stays
      ['2024-06-01+', '2025-06-01-'], // leaves
      ['2024-06-01+', '2025-03-01-', '2025-08-01+'], // leaves and comes back: eligible on 31 December
      ['2025-02-01+'], // hired inside the window: not in the cohort
    ]);
    expect(month(c, '2025-12').retentionTenths).toBe(667); // 2 of 3
    // June's window opens on 30 June 2024: the same three, of whom only the first is there on 30 June 2025.
    expect(month(c, '2025-06').retentionTenths).toBe(333);
    // May's window opens on 31 May 2024, before anyone was eligible: blank.
    expect(month(c, '2025-05').retentionTenths).toBeNull();
  });

  it('leaves retention blank while the company’s history starts after the window opens', () => {
    const c = count([['2025-01-01+'], ['2025-01-01+']]);
    expect(c.monthly().map((m) => m.retentionTenths)).toEqual(Array(12).fill(null));
    const later = count([['2024-12-31+'], ['2024-12-31+', '2025-07-01-']]);
    expect(later.monthly().map((m) => m.retentionTenths)).toEqual([...Array(11).fill(null), 500]);
  });
});

describe('departments', () => {
  it('counts each person in the department of the month’s last day, or of their last eligible day', () => {
    const c = count([
      ['2024-01-01+Ops', '2025-04-10=Sales'], // moves in April: Sales from April on
      ['2024-01-01+Ops', '2025-04-10=Sales', '2025-04-20-'], // moves, then leaves in April: a Sales leaver
      ['2024-01-01+', '2025-02-01-'], // blank department
    ]);
    const rows = c.byDepartments();
    const at = (m: string, d: string) => rows.find((r) => r.month === m && r.department === d);
    expect(figures(at('2025-03', 'Ops')!)).toEqual([2, 0, 0, 2]);
    expect(at('2025-04', 'Ops')).toBeUndefined();
    expect(figures(at('2025-04', 'Sales')!)).toEqual([2, 0, 1, 1]);
    expect(figures(at('2025-02', '(none)')!)).toEqual([1, 0, 1, 0]);
    expect(rows.filter((r) => r.month === '2025-02').map((r) => r.department)).toEqual(['Ops', '(none)']);
    expect(headerOf(DEPARTMENT_COLUMNS)).toEqual([
      'Month',
      'Department',
      'Headcount Start',
      'Hires',
      'Leavers',
      'Headcount End',
      'Average Headcount',
      'Turnover %',
      'Retention 12M %',
    ]);
    expect(departmentRow(at('2025-04', 'Sales')!)).toEqual(['2025-04', 'Sales', '2', '0', '1', '1', '1.5', '66.7', '50.0']);
  });

  it('reads a record stored before histories existed from its effective and termination dates', () => {
    const legacy = readHistory({ effectiveDate: '2024-05-01', terminationDate: '2025-05-01', active: false, department: 'Ops' });
    expect(legacy.periods).toHaveLength(1);
    expect(legacy.departments.map((d) => d.name)).toEqual(['Ops']);
    // Changed after the deploy but before the backfill: its history has no start, the effective date gives it.
    const touched = readHistory({ history: ['2025-05-01-'], effectiveDate: '2024-05-01', department: 'Ops' });
    expect(touched.periods).toEqual(legacy.periods);
  });
});

describe('columns', () => {
  it('writes the headers of SPEC §19 and refuses figures that cannot be right', () => {
    expect(headerOf(MONTHLY_COLUMNS)).toEqual([
      'Month',
      'Headcount Start',
      'Hires',
      'Leavers',
      'Headcount End',
      'Average Headcount',
      'Turnover %',
      'Retention 12M %',
    ]);
    const row = {
      month: '2025-01',
      headcountStart: -1,
      hires: 0,
      leavers: 0,
      headcountEnd: 0,
      averageHalves: 0,
      turnoverTenths: null,
      retentionTenths: null,
    };
    expect(() => monthlyRow(row)).toThrow();
    expect(() => monthlyRow({ ...row, headcountStart: 0, month: '2025-13' })).toThrow();
  });
});

describe('history entries written twice', () => {
  it('reads an entry an SDK retry appended twice as one', () => {
    const once = readHistory({ history: ['2025-01-01+Ops', '2025-03-01-', '2025-05-01+Ops', '2025-06-01=Sales'], department: '' });
    const twice = readHistory({
      history: [
        '2025-01-01+Ops',
        '2025-01-01+Ops',
        '2025-03-01-',
        '2025-03-01-',
        '2025-05-01+Ops',
        '2025-05-01+Ops',
        '2025-06-01=Sales',
        '2025-06-01=Sales',
      ],
      department: '',
    });
    expect(twice).toEqual(once);
  });
});
