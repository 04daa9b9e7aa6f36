import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectSftp, startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { cli, keyFiles, sftpBatch, localFile } from '../support/operator-cli.ts';
import { ACME, csvOf, eligibleList, errorReport, GLOBEX, person, putAndSettle } from './eligibility-support.ts';
import { CREDIT_HEADER, creditCsv, historyRows, nextMonth, putCredits } from './flexben-support.ts';

/**
 * SPEC §17 against local mode: `partner update` and `partner user` through the CLI, checked with
 * OpenSSH `sftp` (a new key logs in at once, a removed one is refused at once) and through the
 * files the partner downloads. The runbook (docs/operations.md) uses these same commands.
 */

const ROOT = '/multientity';
let harness: Harness;
const saved = { ...process.env };

beforeAll(async () => {
  harness = await startHarness();
  Object.assign(process.env, { AWS_ENDPOINT_URL: inject('awsEndpoint'), BX_LOCAL_PREFIX: harness.prefix, AWS_REGION: 'us-east-1' });
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await harness?.stop();
});

const port = () => harness.pipeline.sftp.port;
const lsUpload = (user: string, key: string) => sftpBatch(port(), user, key, [`ls ${ROOT}/employees/upload`]);
const session = (user: string, key: string): Promise<SftpSession> => connectSftp(port(), user, readFileSync(key, 'utf8'));

describe('partner update', () => {
  const first = keyFiles('acme-first');
  const second = keyFiles('acme-second');

  it('onboards a partner whose key logs in', async () => {
    const add = await cli(
      'partner',
      'add',
      'acme',
      '--entity-type',
      'multi-entity',
      '--company',
      `${ACME}=Acme`,
      '--company',
      `${GLOBEX}=Globex`,
      '--admin-email',
      'hr@acme.example',
      '--ssh-key',
      first.public,
    );
    expect(add.stderr).toBe('');
    expect((await lsUpload('acme', first.private)).code).toBe(0);
  });

  it('rotates a key: the new key logs in at once, the removed one is refused at once', async () => {
    // Act: add the new key
    const added = await cli('partner', 'update', 'acme', '--add-ssh-key', second.public);
    // Assess
    expect([added.code, added.stderr]).toEqual([0, '']);
    expect(added.stdout).toContain(`SSH key added: ${second.fingerprint}`);
    expect((await lsUpload('acme', second.private)).code).toBe(0);

    // Act: remove the old one
    const removed = await cli('partner', 'update', 'acme', '--remove-ssh-key', first.fingerprint);
    // Assess
    expect(removed.code).toBe(0);
    const refused = await lsUpload('acme', first.private);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Permission denied/);
    expect((await lsUpload('acme', second.private)).code).toBe(0);
  });

  it('refuses to remove the last key or the last admin email, and other bad options, in one line changing nothing', async () => {
    const before = await harness.pipeline.partners.get('acme');
    const cases: [string[], RegExp][] = [
      [['--remove-ssh-key', second.fingerprint], /^error: cannot remove the last SSH key of acme/],
      [['--remove-admin-email', 'hr@acme.example'], /^error: cannot remove the last admin email of acme/],
      [['--remove-ssh-key', 'SHA256:nope'], /^error: --remove-ssh-key SHA256:nope: no key of acme/],
      [['--add-company', '11111111111111'], /^error: invalid --add-company "11111111111111": .* not a valid CNPJ/],
      [['--wipe-threshold', '2'], /^error: invalid --wipe-threshold "2"/],
      [['--approval', 'maybe'], /^error: invalid --approval "maybe"/],
      [['--notify', 'never'], /^error: invalid --notify "never"/],
      [['--encrypt-downloads', 'on'], /^error: --encrypt-downloads on needs the partner's public key/],
      [['--add-admin-email', 'ok@acme.example', '--remove-ssh-key', second.fingerprint], /^error: cannot remove the last SSH key/],
      [[], /^error: nothing to change/],
    ];
    for (const [options, message] of cases) {
      const run = await cli('partner', 'update', 'acme', ...options);
      expect(run.code, options.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(await harness.pipeline.partners.get('acme')).toEqual(before);
  });

  it('changes companies, admins and settings, and records who changed what and when', async () => {
    // Act
    const run = await cli(
      'partner',
      'update',
      'acme',
      '--add-admin-email',
      'ops@acme.example',
      '--remove-admin-email',
      'hr@acme.example',
      '--rename-company',
      `${GLOBEX}=Globex Ltd`,
      '--wipe-threshold',
      '0.5',
      '--notify',
      'all',
      '--approval',
      'required',
      '--actor',
      'alice',
    );
    // Assess
    expect([run.code, run.stderr]).toEqual([0, '']);
    const stored = await harness.pipeline.partners.get('acme');
    expect(stored).toMatchObject({ adminEmails: ['ops@acme.example'], wipeThreshold: 0.5, notify: 'all', approval: 'required' });
    expect(stored?.companies).toEqual([
      { taxId: ACME, name: 'Acme' },
      { taxId: GLOBEX, name: 'Globex Ltd' },
    ]);
    expect((await cli('partner', 'update', 'acme', '--approval', 'profile')).code).toBe(0);
    expect((await harness.pipeline.partners.get('acme'))?.approval).toBeUndefined();

    const shown = JSON.parse((await cli('partner', 'show', 'acme')).stdout) as {
      changes: { at: string; actor: string; command: string; changes: string[] }[];
    };
    expect(shown.changes.map((c) => c.actor)).toEqual([expect.any(String), expect.any(String), 'alice', expect.any(String)]);
    const alice = shown.changes[2];
    expect(alice).toMatchObject({ command: 'partner update', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(alice?.changes).toEqual(
      expect.arrayContaining([
        'admin email added: ops@acme.example',
        'admin email removed: hr@acme.example',
        `company renamed: ${GLOBEX} "Globex" -> "Globex Ltd"`,
        'wipe threshold: 0.1 -> 0.5',
        'notify: rejections -> all',
      ]),
    );
    expect(shown.changes[0]?.changes).toEqual([`SSH key added: ${second.fingerprint}`]);
  });

  it('removes a company with active employees only with --force, then as a full file without them would', async () => {
    // Prepare: two people per company, and a credit for one of Globex's
    const partner = await session('acme', second.private);
    const census = csvOf([person(1, ACME), person(2, ACME), person(3, GLOBEX), person(4, GLOBEX)]);
    expect((await putAndSettle(partner, ROOT, 'all', 'census.csv', census)).processing_status).toBe('Succeeded');
    const { month, year } = nextMonth();
    const credit = await putCredits(
      partner,
      ROOT,
      'add-or-update',
      'credits.csv',
      creditCsv(CREDIT_HEADER, [[GLOBEX, 'p3@example.com', '', '', '50', month, year]]),
    );
    expect(credit.Status).toBe('SUCCEEDED');

    // --notify all (set above): the admins hear of the settled census too, in text and HTML, without personal data
    const mails = await waitFor(
      async () =>
        JSON.parse((await cli('emails', '--partner', 'acme', '--json')).stdout) as { subject: string; body: string; html?: string }[],
      (found) => found.some((m) => m.subject.includes('-census.csv Succeeded')),
      30_000,
    );
    const mail = mails.find((m) => m.subject.includes('-census.csv Succeeded'));
    expect(mail?.body).toContain('Partner: acme');
    expect(mail?.body).toContain('Rows applied: 4');
    expect(mail?.body).toContain(`The status of your uploads is in: ${ROOT}/employees/upload/status.csv`);
    expect(mail?.body).not.toMatch(/p\d@example\.com|Person 000/);
    expect(mail?.html).toMatch(/<!DOCTYPE html><html>.*census\.csv Succeeded/);

    // Act: without --force
    const refused = await cli('partner', 'update', 'acme', '--remove-company', GLOBEX);
    // Assess: nothing changed
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^error: company ${GLOBEX} of acme has 2 active employees: pass --force`));
    expect((await harness.pipeline.partners.get('acme'))?.companies).toHaveLength(2);

    // Act: with --force
    const forced = await cli('partner', 'update', 'acme', '--remove-company', GLOBEX, '--force');
    // Assess
    expect([forced.code, forced.stderr]).toEqual([0, '']);
    expect(forced.stdout).toContain(`company ${GLOBEX}: 2 of 2 active employees removed, 1 credits cancelled`);
    expect((await harness.pipeline.partners.get('acme'))?.companies.map((c) => c.taxId)).toEqual([ACME]);
    const globex = [];
    for await (const e of harness.pipeline.employees.allOf('acme', GLOBEX)) globex.push(e);
    expect(globex.map((e) => [e.active, e.terminationDate])).toEqual([
      [false, expect.any(String)],
      [false, expect.any(String)],
    ]);
    const credits = [...(await harness.pipeline.credits.all('acme')).values()];
    expect(credits.map((c) => c.state)).toEqual(['CANCELED']);
    const history = await historyRows(partner, ROOT);
    expect(history[0]).toMatchObject({ Type: 'CANCEL', Method: 'ELIGIBILITY_LOSS', Status: 'CANCELED', Author: 'system' });
    const list = await eligibleList(partner, ROOT);
    expect(list.rows.map((r) => r['Company Tax ID'])).toEqual([ACME, ACME]);
    partner.end();
  });
});

describe('partner user', () => {
  const own = keyFiles('initech');
  const bob = keyFiles('bob');

  it("adds a user who logs in with its own name and key into the partner's tree", async () => {
    expect(
      (
        await cli(
          'partner',
          'add',
          'initech',
          '--entity-type',
          'multi-entity',
          '--company',
          `${ACME}=Acme`,
          '--company',
          `${GLOBEX}=Globex`,
          '--admin-email',
          'hr@initech.example',
          '--ssh-key',
          own.public,
        )
      ).code,
    ).toBe(0);

    // Act
    const add = await cli('partner', 'user', 'add', 'initech', 'bob', '--ssh-key', bob.public, '--company', ACME, '--actor', 'carol');

    // Assess
    expect([add.code, add.stderr]).toEqual([0, '']);
    expect(add.stdout).toBe(`added user bob to partner initech: 1 SSH key, companies ${ACME}\n`);
    expect((await lsUpload('bob', bob.private)).code).toBe(0);
    expect((await lsUpload('initech', own.private)).code).toBe(0);
    expect((await lsUpload('bob', own.private)).code).not.toBe(0);
    const listed = await cli('partner', 'user', 'list', 'initech');
    expect(listed.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^USER\s+ROLE\s+KEYS\s+COMPANIES$/),
      expect.stringMatching(/^initech\s+partner id\s+1\s+all$/),
      expect.stringMatching(new RegExp(`^bob\\s+user\\s+1\\s+${ACME}$`)),
    ]);
    const json = JSON.parse((await cli('partner', 'user', 'list', 'initech', '--json')).stdout);
    expect(json[1]).toMatchObject({ name: 'bob', keys: [bob.fingerprint], companies: ACME });
  });

  it('keeps login names unique in the environment', async () => {
    for (const name of ['bob', 'acme', 'initech']) {
      const again = await cli('partner', 'user', 'add', 'initech', name, '--ssh-key', bob.public);
      expect(again.code, name).toBe(1);
      expect(again.stderr).toMatch(new RegExp(`^error: the login name ${name} is in use`));
    }
    const partner = await cli(
      'partner',
      'add',
      'bob',
      '--entity-type',
      'single-entity',
      '--company',
      ACME,
      '--admin-email',
      'a@b.example',
      '--ssh-key',
      bob.public,
    );
    expect(partner.code).toBe(1);
    expect(partner.stderr).toMatch(/^error: the login name bob is in use \(a user of initech\)/);
    expect((await cli('partner', 'user', 'add', 'initech', 'eve', '--ssh-key', bob.public, '--company', '12345')).code).toBe(2);
  });

  it('names the user as Author, and rows for companies it may not send are Client error / Unauthorized', async () => {
    // Prepare
    localFile('bob-census.csv', csvOf([person(10, ACME), person(11, GLOBEX)]));
    const { month, year } = nextMonth();
    localFile('bob-credits.csv', creditCsv(CREDIT_HEADER, [[ACME, 'nobody@example.com', '', '', '5', month, year]]));

    // Act
    const put = await sftpBatch(port(), 'bob', bob.private, [
      `put bob-census.csv ${ROOT}/employees/upload/all/`,
      `put bob-credits.csv ${ROOT}/flexben/upload/add-or-update/`,
    ]);

    // Assess
    expect(put.code).toBe(0);
    const partner = await session('initech', own.private);
    const census = await waitFor(
      () => harness.pipeline.deps.uploads.recent('initech', 'employees', 5),
      (u) => u.some((x) => x.name === 'bob-census.csv' && x.status === 'Rejected'),
      60_000,
    );
    expect(census.find((u) => u.name === 'bob-census.csv')?.author).toBe('bob');
    const row = {
      filename: `${census.find((u) => u.name === 'bob-census.csv')?.ts}-bob-census.csv`,
      batch_type: 'full_file',
      processing_status: 'Rejected',
    };
    const report = await errorReport(partner, ROOT, row);
    expect(report).toEqual([
      expect.objectContaining({ 'Company Tax ID': GLOBEX, 'Error Source': 'Client error', 'Error Type': 'Unauthorized' }),
    ]);
    const history = await waitFor(
      () => historyRows(partner, ROOT),
      (rows) => rows.some((r) => r['File name'].endsWith('-bob-credits.csv')),
      60_000,
    );
    expect(history.find((r) => r['File name'].endsWith('-bob-credits.csv'))?.Author).toBe('bob');
    partner.end();
  });

  it('removes a user: refused at its next login, the partner id still logs in', async () => {
    const removed = await cli('partner', 'user', 'remove', 'initech', 'bob');
    expect([removed.code, removed.stdout]).toEqual([0, 'removed user bob from partner initech\n']);
    expect((await lsUpload('bob', bob.private)).code).not.toBe(0);
    expect((await lsUpload('initech', own.private)).code).toBe(0);
    expect((await cli('partner', 'user', 'remove', 'initech', 'initech')).stderr).toMatch(/stays a user/);
    const shown = JSON.parse((await cli('partner', 'show', 'initech')).stdout) as { changes: { actor: string; changes: string[] }[] };
    expect(shown.changes.map((c) => c.changes[0]?.split(':')[0])).toEqual(['user added', 'user removed']);
    expect(shown.changes[0]?.actor).toBe('carol');
  });
});
