import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readRecordedEmails } from '../../lambdas/adapters/recording-mailer.ts';
import { runCli } from '../../cli/main.ts';
import { startHarness, type Harness, type SftpSession } from '../support/local-harness.ts';
import { ACME, csvOf, eligibleList, errorReport, GLOBEX, person, putAndSettle } from './eligibility-support.ts';

/** SPEC §6 through the SFTP contract: full files for each entity type, round trips, rejections. */

describe('eligibility full files through SFTP', () => {
  let harness: Harness;
  let multi: SftpSession;
  let channel: SftpSession;

  beforeAll(async () => {
    harness = await startHarness();
    const m = await harness.addPartner('multi', 'multi-entity', {
      companies: [
        { taxId: ACME, name: 'Acme' },
        { taxId: GLOBEX, name: 'Globex' },
      ],
    });
    const c = await harness.addPartner('channel', 'channel-partner', {
      companies: [
        { taxId: ACME, name: 'Acme' },
        { taxId: GLOBEX, name: 'Globex' },
      ],
    });
    multi = await m.connect();
    channel = await c.connect();
  });
  afterAll(async () => harness?.stop());

  it('applies a multi-entity full file and writes the eligible list sorted by company then name', async () => {
    // Formula-like cells come back in the list with Excel's protective apostrophe (SPEC §4).
    const rows = [person(3, GLOBEX), person(2), person(1), person(4, GLOBEX, { Department: '+Sales', 'Cost center': '=CC9' })];

    const status = await putAndSettle(multi, '/multientity', 'all', 'base.csv', csvOf(rows));

    expect(status).toMatchObject({ batch_type: 'full_file', processing_status: 'Succeeded' });
    const list = await eligibleList(multi, '/multientity');
    expect(list.rows.map((r) => [r['Company Tax ID'], r.Name])).toEqual(
      [
        [GLOBEX, 'Person 0003'],
        [GLOBEX, 'Person 0004'],
        [ACME, 'Person 0001'],
        [ACME, 'Person 0002'],
      ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    );
    expect(Object.keys(list.rows[0] ?? {})).toEqual([
      'Company Tax ID',
      'Name',
      'Email',
      'National ID',
      'Employee ID',
      'Department',
      'Payroll ID',
      'Cost center',
      'Office zip code',
      'Payroll Enabled',
    ]);
    expect(await harness.pipeline.employees.activeOf('multi', ACME)).toHaveLength(2);
    expect(list.rows.find((r) => r.Name === 'Person 0004')).toMatchObject({ Department: "'+Sales", 'Cost center': "'=CC9" });
  });

  it('takes its own eligible list back as a full file with zero employee writes', async () => {
    const before = await eligibleList(multi, '/multientity');
    const writes = harness.pipeline.employees.writes;

    const status = await putAndSettle(multi, '/multientity', 'all', 'roundtrip.csv', before.text);

    expect(status.processing_status).toBe('Succeeded');
    expect(harness.pipeline.employees.writes - writes).toBe(0);
    expect((await eligibleList(multi, '/multientity')).rows).toEqual(before.rows);
  });

  it('rejects a multi-entity file with an invalid email, reports the line and emails the admins', async () => {
    const writes = harness.pipeline.employees.writes;
    const rows = [person(1), person(2, ACME, { Email: 'dacus@modigliani@com' })];

    const status = await putAndSettle(multi, '/multientity', 'all', 'bad-email.csv', csvOf(rows));

    expect(status.processing_status).toBe('Rejected');
    const report = await errorReport(multi, '/multientity', status);
    expect(report).toContainEqual(
      expect.objectContaining({ 'Error Source': 'Input error', 'Line ID': '2', 'Field Name': 'Email', 'Error Type': 'Invalid' }),
    );
    expect(harness.pipeline.employees.writes - writes).toBe(0);
    const emails = await readRecordedEmails(harness.pipeline.deps.store);
    const mail = emails.find((e) => e.subject.includes(status.filename));
    expect(mail?.to).toEqual(['hr@multi.example']);
    expect(mail?.body).toContain('Rejected');
    expect(mail?.body).toContain(`/multientity/employees/upload/error-details/${status.filename}`);
  });

  it('refuses a full file that would remove more than the wipe threshold of a company', async () => {
    const base = Array.from({ length: 20 }, (_, i) => person(100 + i));
    await putAndSettle(multi, '/multientity', 'all', 'wipe-base.csv', csvOf(base));

    const status = await putAndSettle(multi, '/multientity', 'all', 'wipe.csv', csvOf(base.slice(0, 12)));

    expect(status.processing_status).toBe('Rejected');
    const report = await errorReport(multi, '/multientity', status);
    expect(report).toContainEqual(
      expect.objectContaining({ 'Company Tax ID': ACME, 'Error Source': 'Client error', 'Error Type': 'Database wipe' }),
    );
    expect(await harness.pipeline.employees.activeOf('multi', ACME)).toHaveLength(20);
  });

  it('applies a channel partner file per company, skipping rejected rows and unauthorized companies', async () => {
    await putAndSettle(channel, '/channelpartner', 'all', 'cp-base.csv', csvOf([person(1), person(2), person(3, GLOBEX)]));
    const rows = [
      person(1, ACME, { Department: 'Finance' }),
      person(2, ACME, { 'Office zip code': 'not-a-cep' }), // rejected row: person 2 must be kept, not removed
      person(5, ACME),
      person(6, '11222333000181'), // a company this partner does not manage
    ];

    const status = await putAndSettle(channel, '/channelpartner', 'all', 'cp.csv', csvOf(rows));

    expect(status.processing_status).toBe('Succeeded with errors');
    const active = await harness.pipeline.employees.activeOf('channel', ACME);
    expect(active.map((e) => e.values.name).sort()).toEqual(['Person 0001', 'Person 0002', 'Person 0005']);
    expect(active.find((e) => e.values.name === 'Person 0001')?.values.department).toBe('Finance');
    expect(await harness.pipeline.employees.activeOf('channel', GLOBEX)).toHaveLength(1);
    const report = await errorReport(channel, '/channelpartner', status);
    expect(report).toContainEqual(expect.objectContaining({ 'Line ID': '2', 'Error Source': 'Input error' }));
    expect(report).toContainEqual(expect.objectContaining({ 'Error Source': 'Client error', 'Error Type': 'Unauthorized' }));
  });

  it('previews a dry run without applying anything', async () => {
    const writes = harness.pipeline.employees.writes;
    const before = await eligibleList(multi, '/multientity');

    const rows = [person(3, GLOBEX), person(4, GLOBEX, { Department: 'Legal' }), person(901, GLOBEX)];

    const status = await putAndSettle(multi, '/multientity', 'dry-run', 'preview.csv', csvOf(rows));

    expect(status).toMatchObject({ batch_type: 'dry_run', processing_status: 'Validated' });
    const report = await errorReport(multi, '/multientity', status);
    const summary = report.find((r) => r['Company Tax ID'] === GLOBEX && r['Error Description']?.startsWith('Preview'));
    expect(summary?.['Error Description']).toMatch(/1 to add, 1 to update, 0 to reactivate, 0 to remove/);
    expect(harness.pipeline.employees.writes - writes).toBe(0);
    expect((await eligibleList(multi, '/multientity')).name).toBe(before.name);
  });

  it('rewrites every eligible list on demand with job eligible-lists, keeping only the latest', async () => {
    const before = await eligibleList(multi, '/multientity');
    await new Promise((r) => setTimeout(r, 1100)); // a later second, so a new list name
    const out: string[] = [];
    const saved = { prefix: process.env.BX_LOCAL_PREFIX, endpoint: process.env.AWS_ENDPOINT_URL };
    process.env.BX_LOCAL_PREFIX = harness.prefix;
    process.env.AWS_ENDPOINT_URL = inject('awsEndpoint');
    try {
      const code = await runCli(['job', 'eligible-lists'], {
        stdout: { write: (t: string) => out.push(t) },
        stderr: { write: (t: string) => out.push(t) },
      });
      expect(code).toBe(0);
    } finally {
      process.env.BX_LOCAL_PREFIX = saved.prefix;
      if (saved.endpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved.endpoint;
    }

    expect(out.join('')).toMatch(/wrote 2 eligible lists/);
    const after = await eligibleList(multi, '/multientity');
    expect(after.name).not.toBe(before.name);
    expect(after.rows).toEqual(before.rows);
  });
});
