import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordedEmails, type SentEmail } from '../../lambdas/adapters/recording-mailer.ts';
import { parseSmallCsv, startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { ACME, csvOf, GLOBEX, person, putAndSettle } from './eligibility-support.ts';
import {
  beneficiaries,
  CREDIT_HEADER,
  creditCsv,
  flexbenErrors,
  historyRows,
  nextMonth,
  putCredits,
  REMOVAL_HEADER,
} from './flexben-support.ts';

/** SPEC §7 through the SFTP contract: credit files, history, error reports, list, emails, cancellations. */

const ROOT = '/multientity';
const { month, year } = nextMonth();
const DATE_FORMAT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6} \+0000 UTC$/;

async function emailAbout(fileName: string, to: string): Promise<SentEmail | undefined> {
  const emails = await readRecordedEmails(harness.pipeline.deps.store);
  return emails.find((e) => e.subject.includes(fileName) && e.to.includes(to));
}

let harness: Harness;

describe('flexible benefits through SFTP', () => {
  let multi: SftpSession;

  beforeAll(async () => {
    harness = await startHarness();
    const m = await harness.addPartner('fbmulti', 'multi-entity', {
      companies: [
        { taxId: ACME, name: 'Acme' },
        { taxId: GLOBEX, name: 'Globex' },
      ],
    });
    multi = await m.connect();
    const base = [person(1), person(2), person(5), person(3, GLOBEX), person(4, GLOBEX)];
    expect((await putAndSettle(multi, ROOT, 'all', 'fb-base.csv', csvOf(base))).processing_status).toBe('Succeeded');
  });
  afterAll(async () => harness?.stop());

  it('credits the valid rows of a mixed file and reports each bad row on its line, then emails the admins', async () => {
    const rows = [
      [ACME, 'p1@example.com', '', '', '100', month, year],
      [GLOBEX, '', '', 'E3', '50.5', month, year],
      [ACME, 'p2@example.com', '', '', '10,50', month, year], // comma decimal
      [ACME, 'p999@example.com', '', '', '10', month, year], // not eligible
      [ACME, 'p5@example.com', '', '', '10', '1', '2020'], // a past month
      ['11222333000181', 'p1@example.com', '', '', '10', month, year], // not this partner's company
      [ACME, '', '', '', '10', month, year], // nobody named
      [ACME, '', '', 'E1', '20', month, year], // person 1 again
      [GLOBEX, '', '', 'E4', '10.505', month, year], // three decimals
    ];

    const row = await putCredits(multi, ROOT, 'add-or-update', 'credits mixed #1.csv', creditCsv(CREDIT_HEADER, rows));

    expect(row).toMatchObject({ Type: 'ADD', Method: 'SFTP', Status: 'SUCCEEDED', Author: 'fbmulti', '# Errors': '7' });
    expect(row['File name']).toMatch(/^\d+-credits mixed #1\.csv$/);
    expect(row['Upload date + time']).toMatch(DATE_FORMAT);
    const report = await flexbenErrors(multi, ROOT, row);
    expect(Object.keys(report[0] ?? {})).toEqual(['Company Tax ID', 'Line', 'Field name', 'Error Type', 'Error report']);
    expect(report.map((r) => [r.Line, r['Field name'], r['Error Type']])).toEqual([
      ['3', 'Amount', 'Invalid'],
      ['4', 'Email', 'Unknown'],
      ['5', 'Last Credited Month', 'Invalid'],
      ['6', 'Company Tax ID', 'Unauthorized'],
      ['7', '', 'Missing'],
      ['8', 'Employee ID', 'Duplicated'],
      ['9', 'Amount', 'Invalid'],
    ]);
    expect(report[0]?.['Error report']).toMatch(/comma as the decimal separator/);
    expect(report[1]?.['Error report']).toMatch(/^Unknown employee: make sure they are eligible/);
    expect(await beneficiaries(multi, ROOT)).toEqual([
      {
        'Company Tax ID': GLOBEX,
        Email: 'p3@example.com',
        'National ID': expect.stringMatching(/^\d{11}$/),
        'Employee ID': 'E3',
        Amount: '50.50',
        'Last Credited Month': month,
        'Last Credited Year': year,
      },
      {
        'Company Tax ID': ACME,
        Email: 'p1@example.com',
        'National ID': expect.stringMatching(/^\d{11}$/),
        'Employee ID': 'E1',
        Amount: '100.00',
        'Last Credited Month': month,
        'Last Credited Year': year,
      },
    ]);

    const mail = await waitFor(
      () => emailAbout(row['File name'], 'hr@fbmulti.example'),
      (m) => m !== undefined,
    );
    expect(mail?.subject).toContain('SUCCEEDED');
    expect(mail?.body).toContain('Status: SUCCEEDED');
    expect(mail?.body).toContain('Rows read: 9');
    expect(mail?.body).toContain('Rows applied: 2');
    expect(mail?.body).toContain('Rows rejected: 7');
    expect(mail?.body).toContain('comma as the decimal separator');
    expect(mail?.body).toContain(`/multientity/flexben/download/errors/${row['File name']}`);
  });

  it('rejects a file with no valid row, changes nothing and emails the admins', async () => {
    const before = await beneficiaries(multi, ROOT);
    const rows = [
      [ACME, 'p999@example.com', '', '', '10', month, year],
      [ACME, 'p2@example.com', '', '', '1.000,00', month, year],
    ];

    const row = await putCredits(multi, ROOT, 'add-or-update', 'all-bad.csv', creditCsv(CREDIT_HEADER, rows));

    expect(row).toMatchObject({ Type: 'ADD', Status: 'REJECTED', '# Errors': '2' });
    expect(await beneficiaries(multi, ROOT)).toEqual(before);
    const mail = await waitFor(
      () => emailAbout(row['File name'], 'hr@fbmulti.example'),
      (m) => m !== undefined,
    );
    expect(mail?.body).toContain('Status: REJECTED');
    expect(mail?.body).toContain('Rows applied: 0');
  });

  it('rejects a file whose header it does not recognise as a whole, naming the column', async () => {
    const row = await putCredits(
      multi,
      ROOT,
      'add-or-update',
      'bad-header.csv',
      'Company Tax ID;Email;Valor;Last Credited Month;Last Credited Year\r\n',
    );

    expect(row).toMatchObject({ Status: 'REJECTED', '# Errors': '1' });
    const [error] = await flexbenErrors(multi, ROOT, row);
    expect(error).toMatchObject({ Line: '', 'Field name': 'Valor', 'Error Type': 'Unrecognized header' });
    expect(error?.['Error report']).toMatch(/"Valor".*Amount/);
  });

  it('overwrites an existing credit, and a repeated S3 event applies nothing again', async () => {
    const row = await putCredits(
      multi,
      ROOT,
      'add-or-update',
      'update.csv',
      creditCsv(CREDIT_HEADER, [[ACME, '', '', 'E1', '120', month, year]]),
    );

    expect(row).toMatchObject({ Status: 'SUCCEEDED', '# Errors': '0' });
    const list = await beneficiaries(multi, ROOT);
    expect(list.map((r) => [r['Employee ID'], r.Amount])).toEqual([
      ['E3', '50.50'],
      ['E1', '120.00'],
    ]);
    expect(await emailAbout(row['File name'], 'hr@fbmulti.example')).toBeUndefined();

    // The same object's notification delivered again, as S3 may do.
    const writes = harness.pipeline.credits.writes;
    const [upload] = (await harness.pipeline.deps.uploads.recent('fbmulti', 'flexben', 50)).filter((u) => u.name === 'update.csv');
    const key = upload?.originalKey ?? '';
    const body = JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          eventTime: new Date().toISOString(),
          s3: {
            bucket: { name: harness.pipeline.resources.bucket },
            object: { key: encodeURIComponent(key).replace(/%20/g, '+'), size: 10 },
          },
        },
      ],
    });
    await harness.pipeline.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: harness.pipeline.resources.queueUrls.ingest, MessageBody: body }),
    );
    await harness.quiet();

    expect(harness.pipeline.credits.writes).toBe(writes);
    expect((await historyRows(multi, ROOT)).filter((r) => r['File name'].endsWith('-update.csv'))).toHaveLength(1);
  });

  it('removes a credit and reports a removal for someone without one as Unknown', async () => {
    const rows = [
      [GLOBEX, '', '', 'E3'],
      [ACME, 'p2@example.com', '', ''],
    ];

    const row = await putCredits(multi, ROOT, 'removal', 'removal.csv', creditCsv(REMOVAL_HEADER, rows));

    expect(row).toMatchObject({ Type: 'CANCEL', Method: 'SFTP', Status: 'SUCCEEDED', '# Errors': '1' });
    expect((await flexbenErrors(multi, ROOT, row)).map((r) => [r.Line, r['Error Type']])).toEqual([['2', 'Unknown']]);
    expect((await beneficiaries(multi, ROOT)).map((r) => r['Employee ID'])).toEqual(['E1']);
  });

  it('cancels the credit of an employee eligibility removes (ELIGIBILITY_LOSS, by system)', async () => {
    await putCredits(
      multi,
      ROOT,
      'add-or-update',
      'more.csv',
      creditCsv(CREDIT_HEADER, [
        [ACME, '', '', 'E2', '30', month, year],
        [GLOBEX, '', '', 'E4', '40', month, year],
      ]),
    );
    expect((await beneficiaries(multi, ROOT)).map((r) => r['Employee ID'])).toEqual(['E4', 'E1', 'E2']);

    const status = await putAndSettle(multi, ROOT, 'all', 'loss.csv', csvOf([person(1), person(5), person(3, GLOBEX), person(4, GLOBEX)]));

    expect(status.processing_status).toBe('Succeeded');
    const [top] = await historyRows(multi, ROOT);
    expect(top).toMatchObject({
      'File name': status.filename,
      Type: 'CANCEL',
      Method: 'ELIGIBILITY_LOSS',
      Status: 'CANCELED',
      Author: 'system',
      '# Errors': '0',
    });
    expect((await beneficiaries(multi, ROOT)).map((r) => r['Employee ID'])).toEqual(['E4', 'E1']);
  });

  it('cancels the credit of an employee moved to another company of the partner (RELOCATION)', async () => {
    const status = await putAndSettle(multi, ROOT, 'all', 'move.csv', csvOf([person(1), person(5), person(4), person(3, GLOBEX)]));

    expect(status.processing_status).toBe('Succeeded');
    const history = await historyRows(multi, ROOT);
    expect(history[0]).toMatchObject({
      'File name': status.filename,
      Type: 'CANCEL',
      Method: 'RELOCATION',
      Status: 'CANCELED',
      Author: 'system',
    });
    expect(history.filter((r) => r.Method === 'ELIGIBILITY_LOSS')).toHaveLength(1);
    expect((await beneficiaries(multi, ROOT)).map((r) => r['Employee ID'])).toEqual(['E1']);
    // Newest first: every row is no newer than the one above it.
    const times = history.map((r) => r['Upload date + time']);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('refuses a flexben file of a single-entity partner, put there by another path, with a clear reason', async () => {
    const solo = await harness.addPartner('fbsolo', 'single-entity');
    const session = await solo.connect();
    await expect(session.put('/flexben/upload/add-or-update/x.csv', 'a')).rejects.toThrow();

    const key = 'partners/fbsolo/flexben/upload/add-or-update/credits.csv';
    await harness.putAnnounced(key, creditCsv(CREDIT_HEADER, [[ACME, 'p1@example.com', '', '', '10', month, year]]), {
      'user-agent-id': 'fbsolo@local',
    });
    const rows = await waitFor(
      async () => parseSmallCsv((await session.get('/employees/upload/status.csv')).toString('utf8')),
      (found) => found.some((r) => r.filename?.endsWith('-credits.csv') && r.processing_status === 'Rejected'),
    );

    const row = rows.find((r) => r.filename?.endsWith('-credits.csv'));
    const report = parseSmallCsv((await session.get(`/employees/upload/error-details/${row?.filename}`)).toString('utf8'));
    expect(report[0]?.['Error Description']).toMatch(/flexben\/upload\/add-or-update\/ folder is not available to single-entity accounts/);
  });
});

describe('flexben upload history of a channel partner', () => {
  let harness: Harness;
  let channel: SftpSession;

  beforeAll(async () => {
    harness = await startHarness();
    const c = await harness.addPartner('fbcap', 'channel-partner');
    channel = await c.connect();
    await putAndSettle(channel, '/channelpartner', 'all', 'base.csv', csvOf([person(1)]));
  });
  afterAll(async () => harness?.stop());

  it('keeps the 40 newest uploads, newest first', async () => {
    const first = await putCredits(
      channel,
      '/channelpartner',
      'add-or-update',
      'first.csv',
      creditCsv(CREDIT_HEADER, [[ACME, 'p1@example.com', '', '', '5', month, year]]),
    );
    expect(first).toMatchObject({ Status: 'SUCCEEDED', Author: 'fbcap' });
    await new Promise((r) => setTimeout(r, 1100)); // later uploads get a later second

    for (let i = 1; i <= 40; i++)
      await channel.put(`/channelpartner/flexben/upload/removal/r-${String(i).padStart(2, '0')}.csv`, `${REMOVAL_HEADER.join(',')}\r\n`);
    await waitFor(
      () => harness.pipeline.deps.uploads.recent('fbcap', 'flexben', 100),
      (uploads) => uploads.length === 41 && uploads.every((u) => u.status === 'Rejected' || u.status === 'Succeeded'),
      120_000,
    );
    const history = await waitFor(
      () => historyRows(channel, '/channelpartner'),
      (rows) => !rows.some((r) => r['File name'] === first['File name']),
      30_000,
    );

    expect(history).toHaveLength(40);
    expect(history.every((r) => r.Type === 'CANCEL' && r.Status === 'REJECTED' && r['# Errors'] === '1')).toBe(true);
    expect(new Set(history.map((r) => r['File name'].replace(/^\d+-/, ''))).size).toBe(40);
    const times = history.map((r) => r['Upload date + time']);
    expect([...times].sort().reverse()).toEqual(times);
    expect(times.every((t) => t > first['Upload date + time'])).toBe(true);
  }, 240_000); // 41 uploads one after another: give a loaded machine room
});
