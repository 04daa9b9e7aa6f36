import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type SftpSession } from '../support/local-harness.ts';
import { csvOf, person, putAndSettle } from './eligibility-support.ts';
import { beneficiaries, CREDIT_HEADER, creditCsv, historyRows, nextMonth, putCredits } from './flexben-support.ts';
import { waitForStatus } from './profiles-support.ts';

/**
 * SPEC §10 with §7.5: removals held for approval keep their credits until approved; the approval
 * cancels them (ELIGIBILITY_LOSS, by system), a decline keeps them.
 */

const ROOT = '/multientity';

describe('credits of people whose removal waits for approval', () => {
  let harness: Harness;
  let multi: SftpSession;
  const { month, year } = nextMonth();

  beforeAll(async () => {
    harness = await startHarness();
    multi = await (await harness.addPartner('held', 'multi-entity', { approval: 'required' })).connect();
    await putAndSettle(multi, ROOT, 'all', 'start.csv', csvOf([person(1), person(2), person(3), person(4)]));
    await putCredits(
      multi,
      ROOT,
      'add-or-update',
      'credits.csv',
      creditCsv(CREDIT_HEADER, [
        ['37211173000169', '', '', 'E2', '30', month, year],
        ['37211173000169', '', '', 'E3', '40', month, year],
      ]),
    );
  });
  afterAll(async () => harness?.stop());

  it('keeps the credit while the removal waits, and cancels it once approved', async () => {
    const held = await putAndSettle(multi, ROOT, 'all', 'without-2.csv', csvOf([person(1), person(3), person(4)]));

    expect(held.processing_status).toBe('Approval_Requested');
    expect((await beneficiaries(multi, ROOT)).map((r) => r['Employee ID']).sort()).toEqual(['E2', 'E3']);

    await putAndSettle(multi, ROOT, 'approvals', `APPROVE-${held.filename}`, 'yes');

    await waitForStatus(multi, held.filename, 'Succeeded', ROOT);
    expect((await beneficiaries(multi, ROOT)).map((r) => r['Employee ID'])).toEqual(['E3']);
    const [top] = await historyRows(multi, ROOT);
    expect(top).toMatchObject({
      'File name': held.filename,
      Type: 'CANCEL',
      Method: 'ELIGIBILITY_LOSS',
      Status: 'CANCELED',
      Author: 'system',
    });
  });

  it('keeps the credit when the removal is declined', async () => {
    const held = await putAndSettle(multi, ROOT, 'all', 'without-3.csv', csvOf([person(1), person(4)]));
    expect(held.processing_status).toBe('Approval_Requested');

    await putAndSettle(multi, ROOT, 'approvals', `DECLINE-${held.filename}`, '');

    await waitForStatus(multi, held.filename, 'Deleted', ROOT);
    expect((await beneficiaries(multi, ROOT)).map((r) => r['Employee ID'])).toEqual(['E3']);
    expect((await harness.pipeline.employees.activeOf('held', '37211173000169')).map((e) => e.values.employeeId).sort()).toEqual([
      'E1',
      'E3',
      'E4',
    ]);
  });
});
