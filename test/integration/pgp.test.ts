import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Partner } from '../../lambdas/core/partners/partner.ts';
import { PROVIDER_PUBLIC_KEY_FILE } from '../../lambdas/core/partners/pgp-settings.ts';
import { GPG_AVAILABLE, startGpg, type Gpg } from '../support/gpg.ts';
import {
  connectSftp,
  parseSmallCsv,
  startHarness,
  waitFor,
  type Harness,
  type SftpSession,
  type TestPartner,
} from '../support/local-harness.ts';
import { ACME, csvOf, person, type StatusRow } from './eligibility-support.ts';
import { cli } from './jobs-support.ts';
import { requireTool } from '../support/required-tools.ts';
import { OPENSSH_SFTP, sftpBatch, type SftpRun } from '../support/openssh-sftp.ts';

/**
 * SPEC §16 with the real tools: partners' keys made by `gpg`, census files encrypted by `gpg` to
 * the provider key and sent with OpenSSH `sftp`, what we write decrypted by `gpg`. Every refusal
 * is its own case; armored and binary, compressed and not.
 */

const SETTLED = new Set(['Succeeded', 'Succeeded with errors', 'Rejected', 'Validated', 'Deleted', 'Approval_Requested']);
const PARTNER_UID = 'HR Acme <hr@acme.test>';
const STRANGER_UID = 'Someone Else <someone@else.test>';

requireTool(GPG_AVAILABLE, 'gpg', 'gnupg');
requireTool(existsSync(OPENSSH_SFTP), OPENSSH_SFTP, 'openssh-client');

describe('PGP per partner with gpg and OpenSSH sftp', () => {
  let harness: Harness;
  let gpg: Gpg;
  let dir: string;
  let providerFpr: string;
  let required: TestPartner;
  let session: SftpSession;
  let n = 0;

  /** Uploads `file` (in `dir`) with OpenSSH sftp as `partner` under `name`. */
  const sftpPut = (partner: TestPartner, file: string, remote: string): Promise<SftpRun> =>
    sftpBatch(
      {
        port: harness.pipeline.sftp.port,
        user: partner.partner.partnerId,
        keyFile: join(dir, `${partner.partner.partnerId}.key`),
        cwd: dir,
      },
      [`put ${file} "${remote}"`],
    );

  async function addPartner(id: string, settings: Partial<Partner>): Promise<TestPartner> {
    const partner = await harness.addPartner(id, 'single-entity', settings);
    await writeFile(join(dir, `${id}.key`), partner.privateKey, { mode: 0o600 });
    return partner;
  }

  /** Writes `content` to a local file, runs `gpg args… -o out in`, returns the out file name. */
  async function encrypted(content: string, args: readonly string[], name = `f${++n}.pgp`): Promise<string> {
    const plain = join(dir, `${name}.plain`);
    await writeFile(plain, content);
    await gpg.exec([...args, '-o', join(dir, name), plain]);
    return name;
  }

  const toProvider = (...extra: string[]) => [...extra, '--recipient', providerFpr, '--encrypt'];

  /** Sends a file over OpenSSH sftp into `all/` and waits for its status row. */
  async function send(partner: TestPartner, file: string, remoteName: string, s: SftpSession): Promise<StatusRow> {
    const put = await sftpPut(partner, file, `/employees/upload/all/${remoteName}`);
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    const rows = await waitFor(
      async () => parseSmallCsv((await s.get('/employees/upload/status.csv')).toString('utf8')) as unknown as StatusRow[],
      (found) => found.some((r) => r.filename.endsWith(`-${remoteName}`) && SETTLED.has(r.processing_status)),
      60_000,
    );
    return rows.find((r) => r.filename.endsWith(`-${remoteName}`)) as StatusRow;
  }

  /** The report of a rejected upload, decrypted with gpg when downloads are encrypted. */
  async function reportOf(s: SftpSession, row: StatusRow, encryptedDownloads: boolean): Promise<Record<string, string>[]> {
    const base = `${row.filename.replace(/\.(pgp|gpg|asc)$/i, '')}${/\.csv$/i.test(row.filename.replace(/\.(pgp|gpg|asc)$/i, '')) ? '' : '.csv'}`;
    const path = `/employees/upload/error-details/${base}${encryptedDownloads ? '.pgp' : ''}`;
    const bytes = await s.get(path);
    const text = encryptedDownloads ? (await gpg.exec(['--decrypt'], bytes)).toString('utf8') : bytes.toString('utf8');
    return parseSmallCsv(text);
  }

  async function activeNames(partnerId: string): Promise<string[]> {
    return (await harness.pipeline.employees.activeOf(partnerId, ACME)).map((e) => e.values.name ?? '').sort();
  }

  beforeAll(async () => {
    harness = await startHarness();
    gpg = await startGpg();
    dir = await mkdtemp(join(tmpdir(), 'bx-pgp-'));
    const provider = await harness.pipeline.deps.providerKey?.get();
    if (!provider) throw new Error('local mode started without a provider key');
    providerFpr = provider.fingerprint;
    await gpg.importKey(provider.publicKey);
    await gpg.generateKey(PARTNER_UID);
    await gpg.generateKey(STRANGER_UID);
    required = await addPartner('pgp-required', {
      pgpPublicKey: await gpg.exportPublic('hr@acme.test'),
      encryptUploads: 'required',
      encryptDownloads: 'on',
    });
    session = await required.connect();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    await gpg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('takes a gpg-encrypted census (binary, compressed) and writes the eligible list only as .pgp, which gpg decrypts', async () => {
    const file = await encrypted(csvOf([person(1), person(2)]), toProvider());

    const row = await send(required, file, 'census.csv.gpg', session);

    expect(row).toMatchObject({ processing_status: 'Succeeded' });
    expect(row.filename).toMatch(/^\d+-census\.csv\.gpg$/); // status.csv shows the name as uploaded
    const downloads = await session.list('/employees/download');
    expect(downloads.filter((f) => f.endsWith('_Eligible-list.csv'))).toEqual([]);
    const [list] = downloads.filter((f) => f.endsWith('_Eligible-list.csv.pgp'));
    expect(list).toBeDefined();
    const plain = (await gpg.exec(['--decrypt'], await session.get(`/employees/download/${list}`))).toString('utf8');
    expect(parseSmallCsv(plain).map((r) => r.Name)).toEqual(['Person 0001', 'Person 0002']);
  });

  it('takes an armored, uncompressed message named .asc', async () => {
    const file = await encrypted(csvOf([person(1), person(2), person(3)]), toProvider('--armor', '--compress-algo', 'none'), 'armored.asc');
    expect((await readFile(join(dir, file), 'utf8')).startsWith('-----BEGIN PGP MESSAGE-----')).toBe(true);

    const row = await send(required, file, 'armored.csv.asc', session);

    expect(row.processing_status).toBe('Succeeded');
    expect(await activeNames('pgp-required')).toEqual(['Person 0001', 'Person 0002', 'Person 0003']);
  });

  it('recognises an OpenPGP message by its bytes whatever its name, and verifies a signature by the partner key', async () => {
    const file = await encrypted(csvOf([person(1), person(2), person(3), person(4)]), toProvider('--local-user', 'hr@acme.test', '--sign'));

    const row = await send(required, file, 'signed-census.csv', session);

    expect(row.processing_status).toBe('Succeeded');
    expect(await activeNames('pgp-required')).toHaveLength(4);
  });

  describe('refusals: Rejected, Upload error / Encryption, nothing applied', () => {
    const cases: { name: string; make: () => Promise<string>; says: RegExp; remote?: string }[] = [
      {
        name: 'plaintext under required',
        make: () => writeFile(join(dir, 'plain.csv'), csvOf([person(9)])).then(() => 'plain.csv'),
        says: /Encryption is required.*provider-public-key\.asc/,
        remote: 'plain.csv',
      },
      {
        name: 'encrypted to another key',
        make: () => encrypted(csvOf([person(9)]), ['--recipient', 'someone@else.test', '--encrypt']),
        says: /encrypted to another key/,
      },
      {
        name: 'encrypted with a password',
        make: () => encrypted(csvOf([person(9)]), ['--passphrase', 'secret', '--symmetric']),
        says: /password/,
      },
      {
        name: 'corrupt: a byte changed (integrity check fails)',
        make: async () => {
          const file = await encrypted(csvOf([person(9), person(10), person(11)]), toProvider('--compress-algo', 'none'));
          const bytes = await readFile(join(dir, file));
          bytes[bytes.length - 60] = (bytes[bytes.length - 60] as number) ^ 0x01;
          await writeFile(join(dir, file), bytes);
          return file;
        },
        says: /integrity check/,
      },
      {
        name: 'truncated',
        make: async () => {
          const file = await encrypted(csvOf([person(9), person(10)]), toProvider());
          const bytes = await readFile(join(dir, file));
          await writeFile(join(dir, file), bytes.subarray(0, bytes.length - 25));
          return file;
        },
        says: /damaged, cut short/,
      },
      {
        name: 'refused algorithm: no integrity protection (RFC 2440 message)',
        make: () => encrypted(csvOf([person(9)]), toProvider('--rfc2440', '--cipher-algo', 'AES')),
        says: /algorithm we refuse/,
      },
      {
        name: 'refused algorithm: SHA-1 signature',
        make: () => encrypted(csvOf([person(9)]), toProvider('--local-user', 'hr@acme.test', '--digest-algo', 'SHA1', '--sign')),
        says: /algorithm we refuse/,
      },
      {
        name: "signature by a key other than the partner's",
        make: () => encrypted(csvOf([person(9)]), toProvider('--local-user', 'someone@else.test', '--sign')),
        says: /signed with a key other than the one you registered/,
      },
    ];

    for (const [i, c] of cases.entries()) {
      it(c.name, async () => {
        const before = await activeNames('pgp-required');
        const file = await c.make();

        const row = await send(required, file, c.remote ?? `refused-${i}.csv.pgp`, session);

        expect(row.processing_status).toBe('Rejected');
        const report = await reportOf(session, row, true);
        expect(report[0]).toMatchObject({ 'Error Source': 'Upload error', 'Error Type': 'Encryption' });
        expect(report[0]?.['Error Description']).toMatch(c.says);
        expect(await activeNames('pgp-required')).toEqual(before);
      });
    }

    it('uploads show says the report is encrypted to the partner, instead of parsing its ciphertext', async () => {
      await writeFile(join(dir, 'plain-for-show.csv'), csvOf([person(9)]));
      const row = await send(required, 'plain-for-show.csv', 'plain-for-show.csv', session);
      expect(row.processing_status).toBe('Rejected');

      const shown = await cli(harness, 'uploads', 'show', 'pgp-required', row.filename);
      const json = await cli(harness, 'uploads', 'show', 'pgp-required', row.filename, '--json');

      expect(shown.code).toBe(0);
      expect(shown.out).toContain("errors: 1 in the report, which is encrypted to the partner's key");
      expect(shown.out).toMatch(/errorReport: \/employees\/upload\/error-details\/.*\.pgp/);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.out)).toMatchObject({ errorReportEncrypted: true, errorsInReport: 1, errors: [] });
    });

    it('an encrypted file when encryption is not set up', async () => {
      const off = await addPartner('pgp-off', {});
      const s = await off.connect();
      const file = await encrypted(csvOf([person(1)]), toProvider());

      const row = await send(off, file, 'census.csv.pgp', s);

      expect(row.processing_status).toBe('Rejected');
      const [line] = await reportOf(s, row, false);
      expect(line).toMatchObject({ 'Error Type': 'Encryption' });
      expect(line?.['Error Description']).toMatch(/encryption is not set up/);
      expect(await activeNames('pgp-off')).toEqual([]);
    });
  });

  it('under optional takes plain and encrypted files, names the reports after the file inside, and writes plain downloads', async () => {
    const optional = await addPartner('pgp-optional', { encryptUploads: 'optional' });
    const s = await optional.connect();
    await writeFile(join(dir, 'opt.csv'), csvOf([person(1)]));
    expect((await send(optional, 'opt.csv', 'opt.csv', s)).processing_status).toBe('Succeeded');
    const bad = await encrypted(csvOf([person(1), person(2, ACME, { Email: 'not-an-email' })]), toProvider());

    const row = await send(optional, bad, 'with-errors.csv.pgp', s);

    expect(row.filename).toMatch(/-with-errors\.csv\.pgp$/);
    const reports = await s.list('/employees/upload/error-details');
    expect(reports).toContain(row.filename.replace(/\.pgp$/, ''));
    const [line] = await reportOf(s, row, false);
    expect(line).toMatchObject({ 'Error Source': 'Input error', 'Field Name': 'Email' });
    expect((await s.list('/employees/download')).some((f) => f.endsWith('_Eligible-list.csv'))).toBe(true);
  });

  it('switching downloads off takes effect with the next file and leaves no .pgp copy behind', async () => {
    const switching = await addPartner('pgp-switch', {
      pgpPublicKey: await gpg.exportPublic('hr@acme.test'),
      encryptUploads: 'optional',
      encryptDownloads: 'on',
    });
    const s = await switching.connect();
    await writeFile(join(dir, 'sw1.csv'), csvOf([person(1)]));
    await send(switching, 'sw1.csv', 'sw1.csv', s);
    expect((await s.list('/employees/download')).filter((f) => f.includes('Eligible-list'))).toEqual([
      expect.stringMatching(/\.csv\.pgp$/),
    ]);
    // A settings change as `partner update` makes it: the stored item rewritten.
    await harness.pipeline.clients.dynamo.send(
      new PutCommand({ TableName: harness.pipeline.partners.tableName, Item: { ...switching.partner, encryptDownloads: 'off' } }),
    );

    await writeFile(join(dir, 'sw2.csv'), csvOf([person(1), person(2)]));
    await send(switching, 'sw2.csv', 'sw2.csv', s);

    const lists = (await s.list('/employees/download')).filter((f) => f.includes('Eligible-list'));
    expect(lists).toEqual([expect.stringMatching(/_Eligible-list\.csv$/)]);
  });

  describe('the CLI', () => {
    it('pgp init is idempotent and pgp public-key prints the key local mode created', async () => {
      const provider = await harness.pipeline.deps.providerKey?.get();

      const init = await cli(harness, 'pgp', 'init');
      const printed = await cli(harness, 'pgp', 'public-key');

      expect(init.code).toBe(0);
      expect(init.out).toContain(`kept the existing provider PGP key ${provider?.fingerprint}`);
      expect(printed.code).toBe(0);
      expect(printed.out.trim()).toBe(provider?.publicKey.trim());
    });

    it('partner add takes the PGP settings, writes our public key into the tree and partner show summarises them', async () => {
      const keyFile = join(dir, 'partner.asc');
      await writeFile(keyFile, await gpg.exportPublic('hr@acme.test'));
      const sshKey = join(dir, 'cli.pub');
      await writeFile(sshKey, required.partner.sshPublicKeys[0] as string);

      const added = await cli(
        harness,
        'partner',
        'add',
        'pgp-cli',
        '--entity-type',
        'single-entity',
        '--company',
        ACME,
        '--admin-email',
        'hr@acme.test',
        '--ssh-key',
        sshKey,
        '--pgp-key',
        keyFile,
        '--encrypt-uploads',
        'required',
        '--encrypt-downloads',
        'on',
      );
      const shown = await cli(harness, 'partner', 'show', 'pgp-cli');

      expect(added.out).toMatch(/added partner pgp-cli/);
      expect(added.code).toBe(0);
      const partner = JSON.parse(shown.out) as Record<string, unknown>;
      expect(partner).toMatchObject({
        encryptUploads: 'required',
        encryptDownloads: 'on',
        pgpPublicKey: { fingerprint: await gpg.fingerprint('hr@acme.test'), userIds: [PARTNER_UID] },
      });
      const sftp = await connectSftp(harness.pipeline.sftp.port, 'pgp-cli', required.privateKey);
      const published = (await sftp.get(`/${PROVIDER_PUBLIC_KEY_FILE}`)).toString('utf8');
      sftp.end();
      expect(published.trim()).toBe((await harness.pipeline.deps.providerKey?.get())?.publicKey.trim());
    });

    it('partner update sets the PGP settings live, records them and gives the partner our public key', async () => {
      const keyFile = join(dir, 'update.asc');
      await writeFile(keyFile, await gpg.exportPublic('hr@acme.test'));
      const sshKey = join(dir, 'update.pub');
      await writeFile(sshKey, required.partner.sshPublicKeys[0] as string);
      await cli(
        harness,
        'partner',
        'add',
        'pgp-upd',
        '--entity-type',
        'single-entity',
        '--company',
        ACME,
        '--admin-email',
        'hr@acme.test',
        '--ssh-key',
        sshKey,
      );

      const updated = await cli(
        harness,
        'partner',
        'update',
        'pgp-upd',
        '--pgp-key',
        keyFile,
        '--encrypt-uploads',
        'optional',
        '--encrypt-downloads',
        'on',
      );
      const refused = await cli(harness, 'partner', 'update', 'pgp-upd', '--pgp-key', 'none');
      const shown = JSON.parse((await cli(harness, 'partner', 'show', 'pgp-upd')).out) as Record<string, unknown>;

      expect(updated.code).toBe(0);
      expect(updated.out).toContain('PGP public key set');
      expect(updated.out).toContain('encrypt uploads: off -> optional');
      expect(updated.out).toContain('encrypt downloads: off -> on');
      expect(refused.code).toBe(2);
      expect(refused.out).toMatch(/--pgp-key none is refused while downloads are encrypted/);
      expect(shown).toMatchObject({
        encryptUploads: 'optional',
        encryptDownloads: 'on',
        pgpPublicKey: { fingerprint: await gpg.fingerprint('hr@acme.test') },
      });
      expect(JSON.stringify(shown.changes)).toContain('encrypt downloads: off -> on');
      const sftp = await connectSftp(harness.pipeline.sftp.port, 'pgp-upd', required.privateKey);
      const published = (await sftp.get(`/${PROVIDER_PUBLIC_KEY_FILE}`)).toString('utf8');
      sftp.end();
      expect(published.trim()).toBe((await harness.pipeline.deps.providerKey?.get())?.publicKey.trim());
    });

    it('partner add refuses bad keys and settings with a one-line reason', async () => {
      await gpg.exec([
        '--faked-system-time',
        '20200101T000000!',
        '--quick-generate-key',
        'Old <old@acme.test>',
        'default',
        'default',
        '1y',
      ]);
      await gpg.generateKey('Signer <signer@acme.test>', { signOnly: true });
      const files = {
        private: join(dir, 'private.asc'),
        expired: join(dir, 'expired.asc'),
        signOnly: join(dir, 'sign-only.asc'),
        malformed: join(dir, 'malformed.asc'),
        good: join(dir, 'good.asc'),
      };
      await writeFile(files.private, await gpg.exportSecret('hr@acme.test'));
      await writeFile(files.expired, await gpg.exportPublic('old@acme.test'));
      await writeFile(files.signOnly, await gpg.exportPublic('signer@acme.test'));
      await writeFile(files.malformed, '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n');
      await writeFile(files.good, await gpg.exportPublic('hr@acme.test'));
      const sshKey = join(dir, 'cli.pub');
      const add = (id: string, ...extra: string[]) =>
        cli(
          harness,
          'partner',
          'add',
          id,
          '--entity-type',
          'single-entity',
          '--company',
          ACME,
          '--admin-email',
          'hr@acme.test',
          '--ssh-key',
          sshKey,
          ...extra,
        );

      const results = {
        private: await add('bad-1', '--pgp-key', files.private),
        expired: await add('bad-2', '--pgp-key', files.expired),
        signOnly: await add('bad-3', '--pgp-key', files.signOnly),
        malformed: await add('bad-4', '--pgp-key', files.malformed),
        noKey: await add('bad-5', '--encrypt-downloads', 'on'),
        noneWhileOn: await add('bad-6', '--pgp-key', 'none', '--encrypt-downloads', 'on'),
        badSetting: await add('bad-7', '--encrypt-uploads', 'always'),
      };

      expect(results.private.out).toMatch(/--pgp-key .*private\.asc: is a private key/);
      expect(results.expired.out).toMatch(/--pgp-key .*expired\.asc: expired on 202[01]-\d\d-\d\d/);
      expect(results.signOnly.out).toMatch(/--pgp-key .*sign-only\.asc: has no valid encryption subkey/);
      expect(results.malformed.out).toMatch(/--pgp-key .*malformed\.asc: is not an OpenPGP public key/);
      expect(results.noKey.out).toMatch(/--encrypt-downloads on needs the partner's public key/);
      expect(results.noneWhileOn.out).toMatch(/--pgp-key none is refused while downloads are encrypted/);
      expect(results.badSetting.out).toMatch(/invalid --encrypt-uploads "always"/);
      for (const result of Object.values(results)) {
        expect(result.code).toBe(2);
        expect(result.out.trim().split('\n')).toHaveLength(1);
      }
      expect(await harness.pipeline.partners.get('bad-1')).toBeUndefined();
    });
  });
});
