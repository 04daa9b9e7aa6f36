import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, get, names, put, startSftpFixture, STATUS, statusOf, type SftpFixture } from './sftp-fixture.ts';

const ALL = '/multientity/employees/upload/all';
const ACME = 'partners/acme/';

describe('local SFTP server (Transfer Family semantics)', () => {
  let fx: SftpFixture;
  let acme: SFTPWrapper;
  let scratch: string;

  beforeAll(async () => {
    fx = await startSftpFixture();
    acme = await fx.connect('acme', fx.acme.privateKey);
    scratch = await mkdtemp(join(tmpdir(), 'sftp-test-'));
  });

  afterAll(async () => {
    await fx?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  describe('login', () => {
    it('accepts the partner key and shows its logical home as /', async () => {
      // Prepare: acme is connected in beforeAll with its own key.
      // Act
      const root = await names(acme, '/');
      const home = await call<string>((cb) => acme.realpath('.', cb));
      // Assess
      expect(root).toEqual(['multientity']);
      expect(home).toBe('/');
      expect(fx.logs).toContain('sftp acme login');
    });

    it('refuses a wrong key, an unknown user and passwords alike', async () => {
      // Act
      const [wrongKey, unknown, password] = await Promise.allSettled([
        fx.connect('acme', fx.globex.privateKey),
        fx.connect('initech', fx.acme.privateKey),
        fx.connectWithPassword('acme', 'acme'),
      ]);
      // Assess
      for (const attempt of [wrongKey, unknown, password]) {
        expect(attempt.status).toBe('rejected');
        expect(String((attempt as PromiseRejectedResult).reason)).toMatch(/authentication methods failed/);
      }
      expect(fx.logs).toContain('sftp "acme" login refused: no-match');
      expect(fx.logs).toContain('sftp "initech" login refused: unknown user');
      expect(fx.logs).toContain('sftp "acme" login refused: password not accepted');
    });
  });

  describe('put and get', () => {
    it('stores an upload at the partner key with its exact bytes and user-agent-id', async () => {
      // Prepare
      const content = Buffer.from('cpf;name\n123;Ana\n');
      // Act
      await put(acme, `${ALL}/x.csv`, content);
      // Assess
      const key = `${ACME}multientity/employees/upload/all/x.csv`;
      expect(await fx.body(key)).toEqual(content);
      expect((await fx.store.head(key))?.metadata).toEqual({ 'user-agent-id': 'acme@local' });
      expect(fx.logs).toContain(`sftp acme put "${ALL}/x.csv" ${content.length} bytes`);
      expect(fx.logs.join('\n')).not.toContain('123;Ana');
    });

    it('round-trips a ~6 MiB file byte for byte, written in order and read in parallel', async () => {
      // Prepare
      const content = randomBytes(6 * 1024 * 1024 + 12_345);
      const back = join(scratch, 'big.back');
      // Act: a write stream writes in offset order; fastGet keeps many reads in flight.
      await new Promise<void>((resolve, reject) => {
        const stream = acme.createWriteStream(`${ALL}/big.csv`);
        stream.on('error', reject).on('close', () => resolve());
        stream.end(content);
      });
      await call((cb) => acme.fastGet(`${ALL}/big.csv`, back, { concurrency: 16 }, cb));
      // Assess
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      expect(sha(await readFile(back))).toBe(sha(content));
      expect(sha(await fx.body(`${ACME}multientity/employees/upload/all/big.csv`))).toBe(sha(content));
      const stat = await call<{ size: number }>((cb) => acme.stat(`${ALL}/big.csv`, cb));
      expect(stat.size).toBe(content.length);
    });

    it('stores an empty file', async () => {
      // Act
      await put(acme, `${ALL}/empty.csv`, Buffer.alloc(0));
      // Assess
      expect((await fx.store.head(`${ACME}multientity/employees/upload/all/empty.csv`))?.size).toBe(0);
      expect(await get(acme, `${ALL}/empty.csv`)).toEqual(Buffer.alloc(0));
    });

    it('keeps names with spaces, brackets, # and unicode exactly', async () => {
      // Prepare
      const odd = 'INTERNAL [Flexible Benefits x SFTP] Dry-run - PROD #11.csv';
      const unicode = 'Conceição.csv';
      // Act
      await put(acme, `${ALL}/${odd}`, 'a\n');
      await put(acme, `${ALL}/${unicode}`, 'b\n');
      // Assess
      const keys = await fx.keys(`${ACME}multientity/employees/upload/all/`);
      expect(keys).toContain(`${ACME}multientity/employees/upload/all/${odd}`);
      expect(keys).toContain(`${ACME}multientity/employees/upload/all/${unicode}`);
      expect(await names(acme, ALL)).toEqual(expect.arrayContaining([odd, unicode]));
      expect((await get(acme, `${ALL}/${unicode}`)).toString()).toBe('b\n');
    });

    it('serves a download from the version it opened while the file is rewritten', async () => {
      // Prepare: bigger than one 1 MiB read window, so the second read fetches from S3 again.
      const key = `${ACME}multientity/employees/upload/all/rewritten.csv`;
      const before = Buffer.alloc(1536 * 1024, 'a');
      await fx.store.put(key, before);
      const handle = await call<Buffer>((cb) => acme.open(`${ALL}/rewritten.csv`, 'r', cb));
      const read = (position: number, length: number) =>
        new Promise<Buffer>((resolve, reject) => {
          const buffer = Buffer.alloc(length);
          acme.read(handle, buffer, 0, length, position, (err, bytes) => (err ? reject(err) : resolve(buffer.subarray(0, bytes))));
        });
      // Act
      const head = await read(0, 32 * 1024);
      await fx.store.put(key, Buffer.alloc(1600 * 1024, 'b'));
      const tail = await read(1024 * 1024 + 10, 32 * 1024);
      await call((cb) => acme.close(handle, cb));
      await fx.store.delete(key);
      // Assess
      expect(head.equals(before.subarray(0, 32 * 1024))).toBe(true);
      expect(tail.equals(before.subarray(1024 * 1024 + 10, 1024 * 1024 + 10 + 32 * 1024))).toBe(true);
    });
  });

  describe('rename', () => {
    it('turns a .filepart upload into the final name, keeping user-agent-id', async () => {
      // Prepare
      await put(acme, `${ALL}/census.csv.filepart`, 'final bytes\n');
      // Act
      await call((cb) => acme.rename(`${ALL}/census.csv.filepart`, `${ALL}/census.csv`, cb));
      // Assess
      const keys = await fx.keys(`${ACME}multientity/employees/upload/all/census`);
      expect(keys).toEqual([`${ACME}multientity/employees/upload/all/census.csv`]);
      expect((await fx.body(keys[0] as string)).toString()).toBe('final bytes\n');
      expect((await fx.store.head(keys[0] as string))?.metadata['user-agent-id']).toBe('acme@local');
    });

    it('overwrites an existing target, and serves posix-rename@openssh.com too', async () => {
      // Prepare
      await put(acme, `${ALL}/target.csv`, 'old\n');
      await put(acme, `${ALL}/.target.csv`, 'new\n');
      // ssh2 only sends the extension when the server advertises it; ssh2's server does not, so
      // force it to check the EXTENDED handler a client like OpenSSH may still use.
      (acme as unknown as { _extensions: Record<string, string> })._extensions['posix-rename@openssh.com'] = '1';
      // Act
      await call((cb) => acme.ext_openssh_rename(`${ALL}/.target.csv`, `${ALL}/target.csv`, cb));
      // Assess
      expect((await get(acme, `${ALL}/target.csv`)).toString()).toBe('new\n');
      expect(await fx.keys(`${ACME}multientity/employees/upload/all/.target`)).toEqual([]);
    });

    it('refuses renames out of or into places the partner may not write', async () => {
      // Prepare
      await fx.store.put(`${ACME}multientity/employees/download/1_Eligible-list.csv`, 'x');
      // Act
      const out = statusOf(call((cb) => acme.rename('/multientity/employees/download/1_Eligible-list.csv', `${ALL}/l.csv`, cb)));
      await put(acme, `${ALL}/move.csv`, 'm');
      const into = statusOf(call((cb) => acme.rename(`${ALL}/move.csv`, '/multientity/reports/move.csv', cb)));
      // Assess
      expect(await out).toBe(STATUS.PERMISSION_DENIED);
      expect(await into).toBe(STATUS.PERMISSION_DENIED);
      expect(await fx.keys(`${ACME}multientity/reports/move`)).toEqual([]);
    });
  });

  describe('listing and stat', () => {
    it('lists one level with sizes, hiding folder markers', async () => {
      // Act
      const entries = await call<{ filename: string; attrs: { size: number; mode: number } }[]>((cb) =>
        acme.readdir('/multientity/employees/upload', cb),
      );
      // Assess
      const byName = new Map(entries.map((e) => [e.filename, e.attrs]));
      expect([...byName.keys()].sort()).toEqual(['all', 'approvals', 'dry-run', 'error-details']);
      expect((byName.get('all')?.mode ?? 0) & 0o170000).toBe(0o040000);
    });

    it('lists a folder too big for one READDIR reply completely', async () => {
      // Prepare: long names make each reply hold only a few dozen entries.
      const many = Array.from({ length: 240 }, (_, i) => `${String(i).padStart(3, '0')}-${'n'.repeat(180)}.csv`);
      for (let i = 0; i < many.length; i += 40) {
        await Promise.all(many.slice(i, i + 40).map((n) => fx.store.put(`${ACME}multientity/payroll/leavers/${n}`, 'x')));
      }
      // Act
      const listed = await names(acme, '/multientity/payroll/leavers');
      // Assess
      expect(listed).toEqual(many);
    });

    it('stats files, folders and nothing', async () => {
      // Prepare
      await put(acme, `${ALL}/stat.csv`, '12345');
      // Act
      const file = await call<{ size: number; mode: number; mtime: number }>((cb) => acme.stat(`${ALL}/stat.csv`, cb));
      const dir = await call<{ mode: number }>((cb) => acme.lstat('/multientity/payroll', cb));
      const none = await statusOf(call((cb) => acme.stat(`${ALL}/nope.csv`, cb)));
      // Assess
      expect(file.size).toBe(5);
      expect(file.mode & 0o170000).toBe(0o100000);
      expect(Math.abs(file.mtime - Date.now() / 1000)).toBeLessThan(300);
      expect(dir.mode & 0o170000).toBe(0o040000);
      expect(none).toBe(STATUS.NO_SUCH_FILE);
    });
  });

  describe('setstat, rm, mkdir, rmdir', () => {
    it('accepts setstat and fsetstat as no-ops', async () => {
      // Prepare
      await put(acme, `${ALL}/times.csv`, 't');
      const when = new Date('2024-01-02T03:04:05Z');
      // Act
      const setstat = statusOf(call((cb) => acme.utimes(`${ALL}/times.csv`, when, when, cb)));
      const handle = await call<Buffer>((cb) => acme.open(`${ALL}/times.csv`, 'r', cb));
      const fsetstat = statusOf(call((cb) => acme.futimes(handle, when, when, cb)));
      // Assess
      expect(await setstat).toBe('ok');
      expect(await fsetstat).toBe('ok');
      await call((cb) => acme.close(handle, cb));
    });

    it('removes a file in an upload folder but nothing elsewhere', async () => {
      // Prepare
      await put(acme, `${ALL}/gone.csv`, 'g');
      await fx.store.put(`${ACME}multientity/reports/r.zip`, 'r');
      // Act
      await call((cb) => acme.unlink(`${ALL}/gone.csv`, cb));
      const refused = await statusOf(call((cb) => acme.unlink('/multientity/reports/r.zip', cb)));
      // Assess
      expect(await fx.keys(`${ACME}multientity/employees/upload/all/gone`)).toEqual([]);
      expect(refused).toBe(STATUS.PERMISSION_DENIED);
      expect(await fx.keys(`${ACME}multientity/reports/r.zip`)).toHaveLength(1);
    });

    it('creates and removes folders only inside upload folders', async () => {
      // Act
      await call((cb) => acme.mkdir(`${ALL}/batch`, cb));
      const listed = await names(acme, ALL);
      const outside = await statusOf(call((cb) => acme.mkdir('/multientity/mine', cb)));
      const uploadRoot = await statusOf(call((cb) => acme.rmdir(ALL, cb)));
      await call((cb) => acme.rmdir(`${ALL}/batch`, cb));
      // Assess
      expect(listed).toContain('batch');
      expect(outside).toBe(STATUS.PERMISSION_DENIED);
      expect(uploadRoot).toBe(STATUS.PERMISSION_DENIED);
      expect(await fx.keys(`${ACME}multientity/mine`)).toEqual([]);
      expect(await fx.keys(`${ACME}multientity/employees/upload/all/batch`)).toEqual([]);
    });
  });
});
