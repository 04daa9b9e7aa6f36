import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessors } from '../../lambdas/app/flows/registry.ts';
import type { UploadProcessor } from '../../lambdas/app/flows/upload-processor.ts';
import { startHarness, type Harness, type SftpSession } from '../support/local-harness.ts';
import { ACME, csvOf, person, putAndSettle } from './eligibility-support.ts';
import { beneficiaries, CREDIT_HEADER, creditCsv, historyRows, nextMonth, putCredits, REMOVAL_HEADER } from './flexben-support.ts';

/**
 * SPEC §13 reliability for credits: a removal that crashes after its writes is finished by the
 * retry as if nothing had happened, a credit file too big for one invocation continues in the
 * next writing only what is left, and an eligibility apply split over several invocations
 * cancels each credit once and records one history row.
 */

const ROOT = '/multientity';
const { month, year } = nextMonth();
const continuations = (logs: readonly string[]): number =>
  logs.filter((l) => l.startsWith('upload continues in another invocation')).length;

describe('flexben reliability', () => {
  let harness: Harness;
  let session: SftpSession;
  let crashes = 0;

  beforeAll(async () => {
    harness = await startHarness({
      invocationMs: 1, // every eligibility apply stops after one write unit per writer
      processors: (deps) => {
        const real = createProcessors(deps);
        const removal = real['flexben/removal'] as UploadProcessor;
        return {
          ...real,
          'flexben/removal': {
            async process(context) {
              const outcome = await removal.process(context);
              if (context.upload.name === 'crash.csv' && crashes++ === 0) throw new Error('crashed after writing, before settling');
              return outcome;
            },
          },
        };
      },
    });
    const partner = await harness.addPartner('fbsafe', 'multi-entity', { wipeThreshold: 1 });
    session = await partner.connect();
    const people = Array.from({ length: 40 }, (_, i) => person(i + 1));
    await putAndSettle(session, ROOT, 'all', 'base.csv', csvOf(people));
    const credits = Array.from({ length: 6 }, (_, i) => [ACME, '', '', `E${i + 1}`, `${i + 1}0`, month, year]);
    expect((await putCredits(session, ROOT, 'add-or-update', 'grant.csv', creditCsv(CREDIT_HEADER, credits)))['# Errors']).toBe('0');
  });
  afterAll(async () => harness?.stop());

  it('finishes a removal that crashed after its writes without calling its own removals unknown', async () => {
    const row = await putCredits(session, ROOT, 'removal', 'crash.csv', creditCsv(REMOVAL_HEADER, [[ACME, '', '', 'E6']]));

    expect(crashes).toBe(2);
    expect(row).toMatchObject({ Type: 'CANCEL', Status: 'SUCCEEDED', '# Errors': '0' });
    expect((await beneficiaries(session, ROOT)).map((r) => r['Employee ID'])).toEqual(['E1', 'E2', 'E3', 'E4', 'E5']);
  });

  it('spreads a big credit file over several invocations, writing each credit once', async () => {
    const big = await (await harness.addPartner('fbbig', 'multi-entity')).connect();
    const people = Array.from({ length: 250 }, (_, i) => person(i + 1));
    await putAndSettle(big, ROOT, 'all', 'base.csv', csvOf(people));
    const before = { writes: harness.pipeline.credits.writes, continuations: continuations(harness.logs) };
    const rows = people.map((_, i) => [ACME, '', '', `E${i + 1}`, '25', month, year]);

    const row = await putCredits(big, ROOT, 'add-or-update', 'big.csv', creditCsv(CREDIT_HEADER, rows));

    expect(row).toMatchObject({ Type: 'ADD', Status: 'SUCCEEDED', '# Errors': '0' });
    // Every writer stops after one batch here: 100 credits per invocation, so 3 invocations.
    expect(continuations(harness.logs) - before.continuations).toBe(2);
    expect(harness.pipeline.credits.writes - before.writes).toBe(250);
    expect(await beneficiaries(big, ROOT)).toHaveLength(250);
    big.end();
  });

  it('cancels each credit once when an eligibility removal spans invocations, with one history row', async () => {
    const before = { writes: harness.pipeline.credits.writes, continuations: continuations(harness.logs) };
    // Persons 1..20 leave; 1..5 hold credits.
    const stays = Array.from({ length: 20 }, (_, i) => person(i + 21));

    const status = await putAndSettle(session, ROOT, 'all', 'leavers.csv', csvOf(stays));

    expect(status.processing_status).toBe('Succeeded');
    expect(continuations(harness.logs)).toBeGreaterThan(before.continuations);
    expect(harness.pipeline.credits.writes - before.writes).toBe(5);
    const history = await historyRows(session, ROOT);
    expect(history.filter((r) => r.Method === 'ELIGIBILITY_LOSS')).toEqual([
      expect.objectContaining({ 'File name': status.filename, Type: 'CANCEL', Status: 'CANCELED', Author: 'system' }),
    ]);
    expect(await beneficiaries(session, ROOT)).toEqual([]);
  });
});
