import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEventFile } from '../../lambdas/app/platform-events/event-loader.ts';
import { startHarness, waitFor, type Harness } from '../support/local-harness.ts';
import { ACME, csvOf, person, putAndSettle } from './eligibility-support.ts';
import { BASIC, cli, event, GOLD, records } from './jobs-support.ts';

/** SPEC §9.1: platform event files dropped in the bucket, loaded through their queue, once. */

describe('platform events loaded from S3', () => {
  let harness: Harness;
  const dir = mkdtempSync(join(tmpdir(), 'bx-events-'));
  const file = join(dir, 'events-2026.jsonl');
  const key = 'internal/platform-events/events-2026.jsonl';

  async function stored(): Promise<Record<string, unknown>[]> {
    const out = await harness.pipeline.clients.dynamo.send(
      new QueryCommand({
        TableName: harness.pipeline.resources.tables.platformEvents,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `acme#${ACME}` },
      }),
    );
    return out.Items ?? [];
  }

  beforeAll(async () => {
    harness = await startHarness();
    const acme = await harness.addPartner('acme', 'multi-entity');
    const session = await acme.connect();
    await putAndSettle(session, '/multientity', 'all', 'base.csv', csvOf([person(1), person(2), person(3)]));
  });
  afterAll(async () => harness?.stop());

  it('stores valid lines, reports bad ones next to the input, and loads a second copy as nothing new', async () => {
    writeFileSync(
      file,
      [
        event('member.registered', 1, ACME),
        '{"type":"member.registered",',
        event('subscription.started', 1, ACME, GOLD),
        event('subscription.started', 9, ACME, GOLD),
        event('subscription.started', 2, '99999999000191', GOLD),
        event('subscription.started', 2, ACME, { ...GOLD, price: '449,90' }),
        '',
        JSON.stringify({
          type: 'checkin',
          at: '2026-03-02T10:00:00Z',
          companyTaxId: '37.211.173/0001-69',
          employee: { email: 'P3@example.com' },
          familyMember: true,
          venue: 'Smart Fit Paulista',
          activity: 'Weight training',
          mode: 'PHYSICAL',
        }),
        event('subscription.started', 2, ACME, { ...BASIC, familyMember: true }),
        event('checkin', 2, ACME, { venue: 'Gym', activity: 'Yoga', mode: 'SWIMMING' }),
      ].join('\n'),
    );

    const first = await cli(harness, 'events', 'load', file);

    expect(first.code).toBe(0);
    expect(first.out).toContain('loaded 4 events, rejected 5 lines');
    const errors = records((await harness.pipeline.deps.store.readText(`${key}.errors.csv`)) ?? '');
    expect(errors.map((e) => e.Line)).toEqual(['2', '4', '5', '6', '10']);
    expect(errors[0]?.Error).toBe('not valid JSON');
    expect(errors[1]?.Error).toMatch(/no eligible employee/);
    expect(errors[2]?.Error).toMatch(/no partner has this company/);
    expect(errors[3]?.Error).toMatch(/^price: /);
    expect(errors[4]?.Error).toMatch(/^mode: /);
    const items = await stored();
    expect(items.map((i) => [String(i.sk).slice(0, 4), i.type ?? 'checkin', i.familyMember])).toEqual(
      expect.arrayContaining([
        ['EMP#', 'member.registered', false],
        ['EMP#', 'subscription.started', false],
        ['EMP#', 'subscription.started', true],
        ['CHK#', 'checkin', true],
      ]),
    );
    expect(items).toHaveLength(4);
    // The check-in named its employee by email in other case and a punctuated tax ID: resolved as SPEC §6.2.
    expect(items.find((i) => String(i.sk).startsWith('CHK#'))).toMatchObject({ employeeId: 'E3', name: 'Person 0003', mode: 'PHYSICAL' });

    // The same file again (a new object version): the same items, no more.
    const second = await cli(harness, 'events', 'load', file);
    expect(second.out).toContain('loaded 4 events, rejected 5 lines');
    expect(await stored()).toEqual(items);

    // The same S3 event delivered again (same version): recognised before anything is read.
    const version = (await harness.pipeline.deps.store.head(key))?.versionId;
    const again = await loadEventFile(
      {
        ...harness.pipeline.deps,
        employees: harness.pipeline.employees,
        events: harness.pipeline.events,
        partners: harness.pipeline.partners,
      },
      key,
      version,
    );
    expect(again.status).toBe('already-loaded');
    expect(await stored()).toEqual(items);
  });

  it('removes a stale error file when a corrected file under the same name loads cleanly', async () => {
    writeFileSync(file, `${event('member.registered', 2, ACME)}\n`);
    const out = await cli(harness, 'events', 'load', file);
    expect(out.out).toContain('loaded 1 event, rejected 0 lines');
    expect(await harness.pipeline.deps.store.head(`${key}.errors.csv`)).toBeUndefined();
  });

  it('generates demo events for the base and loads them', async () => {
    const out = await cli(harness, 'events', 'demo', '--partner', 'acme');
    expect(out.code).toBe(0);
    expect(out.out).toMatch(/generated demo events for 3 employees/);
    expect(out.out).toMatch(/rejected 0 lines/);
    await waitFor(
      () => stored(),
      (items) => items.length > 5,
    );
  });
});
