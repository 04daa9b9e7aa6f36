import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmployeeRepo } from '../../lambdas/adapters/employee-repo.ts';
import { createProcessors } from '../../lambdas/app/flows/registry.ts';
import type { Change } from '../../lambdas/core/eligibility/model.ts';
import { startHarness, type Harness, type SftpSession } from '../support/local-harness.ts';
import { ACME, csvOf, eligibleList, person, putAndSettle } from './eligibility-support.ts';

/** SPEC §6 for single entities: newcomers, leavers, encodings, tax IDs, and a crash mid-apply. */

/** Applies only half of the first plan it sees, then dies, as a Lambda timing out would. */
class CrashingOnceRepo extends EmployeeRepo {
  crashed = false;
  /** Set by a test: the next apply writes everything, then dies before the eligible list. */
  crashAfterAll = false;
  override async apply(partnerId: string, uploadId: string, changes: readonly Change[], date: string, shouldStop?: () => boolean) {
    if (this.crashAfterAll && changes.length > 0) {
      this.crashAfterAll = false;
      await super.apply(partnerId, uploadId, changes, date);
      throw new Error('injected crash after every write');
    }
    if (this.crashed || changes.length < 4) return super.apply(partnerId, uploadId, changes, date, shouldStop);
    this.crashed = true;
    await super.apply(partnerId, uploadId, changes.slice(0, Math.floor(changes.length / 2)), date);
    throw new Error('injected crash after some writes');
  }
}

describe('single-entity eligibility through SFTP', () => {
  let harness: Harness;
  let single: SftpSession;
  let crashing: CrashingOnceRepo;

  beforeAll(async () => {
    harness = await startHarness({
      processors: (deps) => {
        crashing = new CrashingOnceRepo(deps.employees.dynamo, deps.employees.tableName);
        return createProcessors({ ...deps, employees: crashing });
      },
    });
    single = await (await harness.addPartner('solo', 'single-entity')).connect();
  });
  afterAll(async () => harness?.stop());

  it('adds newcomers and removes leavers without touching anyone else', async () => {
    await putAndSettle(single, '', 'all', 'start.csv', csvOf([person(1), person(2), person(3)]));

    const added = await putAndSettle(single, '', 'new', 'newcomers.csv', csvOf([person(4)]));
    const left = await putAndSettle(single, '', 'leavers', 'leavers.csv', csvOf([person(2)]));

    expect(added).toMatchObject({ batch_type: 'newcomers', processing_status: 'Succeeded' });
    expect(left).toMatchObject({ batch_type: 'leavers', processing_status: 'Succeeded' });
    const active = await crashing.activeOf('solo', ACME);
    expect(active.map((e) => e.values.name).sort()).toEqual(['Person 0001', 'Person 0003', 'Person 0004']);
    // Three uploads in a row: about 4 s alone, past a minute once with the whole suite on 2 cores.
  }, 120_000);

  it('reads a Latin-1, semicolon-delimited file with accented names', async () => {
    const rows = [person(1, ACME, { Name: 'José Conceição' }), person(3), person(4)];
    const latin1 = Buffer.from(csvOf(rows, ';'), 'latin1');

    const status = await putAndSettle(single, '', 'all', 'latin1.csv', latin1);

    expect(status.processing_status).toBe('Succeeded');
    const list = await eligibleList(single, '');
    expect(list.rows.map((r) => r.Name)).toContain('José Conceição');
  });

  it('accepts a tax ID whose leading zero a spreadsheet dropped', async () => {
    const zero = await (
      await harness.addPartner('zero', 'single-entity', { companies: [{ taxId: '01916628000102', name: 'Zero' }] })
    ).connect();

    const status = await putAndSettle(zero, '', 'all', 'zero.csv', csvOf([person(1, '1916628000102')]));

    expect(status.processing_status).toBe('Succeeded');
    expect(await crashing.activeOf('zero', '01916628000102')).toHaveLength(1);
  });

  it('finishes an apply that crashed after some writes, ending as a clean run would', async () => {
    const rows = [person(3), person(4), ...Array.from({ length: 8 }, (_, i) => person(200 + i))];

    const status = await putAndSettle(single, '', 'all', 'crash.csv', csvOf(rows));

    expect(crashing.crashed).toBe(true);
    expect(status.processing_status).toBe('Succeeded');
    const active = await crashing.activeOf('solo', ACME);
    expect(active.map((e) => e.values.name).sort()).toEqual(rows.map((r) => r[1]).sort());
    const again = crashing.writes;
    await putAndSettle(single, '', 'all', 'crash-again.csv', csvOf(rows));
    expect(crashing.writes - again).toBe(0);
  });

  it('writes the eligible list on the retry of an apply that died after its last write', async () => {
    const rows = [person(3), person(4), ...Array.from({ length: 8 }, (_, i) => person(200 + i)), person(300)];
    crashing.crashAfterAll = true;

    const status = await putAndSettle(single, '', 'all', 'late-crash.csv', csvOf(rows));

    expect(crashing.crashAfterAll).toBe(false);
    expect(status.processing_status).toBe('Succeeded');
    // The retry found nothing left to change, and still rewrote the list.
    expect((await eligibleList(single, '')).rows.map((r) => r.Name).sort()).toEqual(rows.map((r) => r[1]).sort());
  });
});
