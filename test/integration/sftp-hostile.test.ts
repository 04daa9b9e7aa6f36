import { createHash } from 'node:crypto';
import type { SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, get, names, put, startSftpFixture, STATUS, statusOf, type SftpFixture } from './sftp-fixture.ts';

/**
 * Hostile use of the SFTP server (SPEC §3, §13 security): every spelling of a path out of the
 * partner's tree, symbolic links, writes outside upload folders, and many sessions of two
 * partners at once. Nothing reaches another partner's keys, and nothing outside upload folders
 * changes.
 */

const SECRET = 'partners/globex/employees/download/1_Eligible-list.csv';
const ALL = '/multientity/employees/upload/all';

/** Ways to spell "globex's eligible list" from acme's session. */
const TRAVERSALS = [
  '/../globex/employees/download/1_Eligible-list.csv',
  '../globex/employees/download/1_Eligible-list.csv',
  '/multientity/../../globex/employees/download/1_Eligible-list.csv',
  `${ALL}/../../../../../globex/employees/download/1_Eligible-list.csv`,
  '//..//globex//employees/download/1_Eligible-list.csv',
  '/./.././globex/employees/download/./1_Eligible-list.csv',
  '/../../../../../../../../partners/globex/employees/download/1_Eligible-list.csv',
  '/partners/globex/employees/download/1_Eligible-list.csv',
  'globex/employees/download/1_Eligible-list.csv',
  '..\\globex\\employees\\download\\1_Eligible-list.csv',
  '%2e%2e/globex/employees/download/1_Eligible-list.csv',
  '..%2fglobex%2femployees%2fdownload%2f1_Eligible-list.csv',
  '/\u0000/../../globex/employees/download/1_Eligible-list.csv',
];

describe('local SFTP server: hostile sessions', () => {
  let fx: SftpFixture;
  let acme: SFTPWrapper;
  let globexBefore: string[];

  beforeAll(async () => {
    fx = await startSftpFixture();
    acme = await fx.connect('acme', fx.acme.privateKey);
    await fx.store.put(SECRET, 'secret');
    globexBefore = await fx.keys('partners/globex/');
  });

  afterAll(async () => {
    await fx?.close();
  });

  it.each(TRAVERSALS)('reads, lists, stats and writes nothing of another partner through %j', async (path) => {
    // Act
    const read = await statusOf(get(acme, path));
    const stat = await statusOf(call((cb) => acme.stat(path, cb)));
    const listed = await names(acme, path.slice(0, path.lastIndexOf('/') + 1) || path).catch(() => []);
    const write = await statusOf(put(acme, path, 'planted'));
    const rename = await statusOf(call((cb) => acme.rename(path, `${ALL}/stolen.csv`, cb)));
    const remove = await statusOf(call((cb) => acme.unlink(path, cb)));
    // Assess
    expect(read).not.toBe('ok');
    expect(stat).not.toBe('ok');
    expect(listed).not.toContain('1_Eligible-list.csv'); // a listing that succeeds is one of acme's own folders
    expect(write).not.toBe('ok');
    expect(rename).not.toBe('ok');
    expect(remove).not.toBe('ok');
    expect(await fx.keys('partners/globex/')).toEqual(globexBefore);
    expect((await fx.body(SECRET)).toString()).toBe('secret');
    expect(await fx.keys('partners/acme/multientity/employees/upload/all/stolen')).toEqual([]);
  });

  it('lists nothing of globex from any root spelling', async () => {
    // Act
    const listings = await Promise.all(['/..', '/../..', '//', '/./', '..', '../../partners'].map((p) => names(acme, p).catch(() => [])));
    // Assess
    for (const listing of listings) expect(listing).not.toContain('globex');
    expect(listings[0]).toEqual(['multientity']);
  });

  it('refuses symbolic links: creating one and reading one', async () => {
    // Act
    const link = await statusOf(call((cb) => acme.symlink('/../globex/employees/download/1_Eligible-list.csv', `${ALL}/link.csv`, cb)));
    const readlink = await statusOf(call((cb) => acme.readlink(`${ALL}/link.csv`, cb)));
    // Assess
    expect(link).toBe(STATUS.OP_UNSUPPORTED);
    expect(readlink).toBe(STATUS.OP_UNSUPPORTED);
    expect(await fx.keys('partners/acme/multientity/employees/upload/all/link')).toEqual([]);
  });

  it('changes nothing outside upload folders: rename into downloads, remove status or payroll, mkdir at the root', async () => {
    // Prepare
    await put(acme, `${ALL}/mine.csv`, 'mine');
    await fx.store.put('partners/acme/multientity/employees/upload/status.csv', 'status');
    await fx.store.put('partners/acme/multientity/payroll/p.csv', 'payroll');
    const before = await fx.keys('partners/acme/');
    // Act
    const outcomes = await Promise.all([
      statusOf(call((cb) => acme.rename(`${ALL}/mine.csv`, '/multientity/employees/download/mine.csv', cb))),
      statusOf(call((cb) => acme.rename('/multientity/employees/upload/status.csv', `${ALL}/status.csv`, cb))),
      statusOf(call((cb) => acme.unlink('/multientity/employees/upload/status.csv', cb))),
      statusOf(call((cb) => acme.unlink('/multientity/payroll/p.csv', cb))),
      statusOf(call((cb) => acme.mkdir('/multientity/mine', cb))),
      statusOf(call((cb) => acme.rmdir('/multientity/payroll', cb))),
      statusOf(put(acme, '/multientity/employees/upload/error-details/fake.csv', 'x')),
    ]);
    // Assess
    expect(outcomes).toEqual(Array(7).fill(STATUS.PERMISSION_DENIED));
    expect(await fx.keys('partners/acme/')).toEqual(before);
  });

  it('keeps 20 concurrent sessions of two partners apart', async () => {
    // Prepare
    const sessions = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0 ? fx.connect('acme', fx.acme.privateKey) : fx.connect('globex', fx.globex.privateKey),
      ),
    );
    // Act: every session uploads its own file, lists its folder and reads its own file back.
    const results = await Promise.all(
      sessions.map(async (sftp, i) => {
        const folder = i % 2 === 0 ? ALL : '/employees/upload/all';
        const body = `session ${i}\n`.repeat(1000);
        await put(sftp, `${folder}/s${i}.csv`, body);
        const listed = await names(sftp, folder);
        const back = (await get(sftp, `${folder}/s${i}.csv`)).toString();
        const root = await names(sftp, '/');
        return { i, listed, ok: back === body, root };
      }),
    );
    // Assess
    for (const { i, listed, ok, root } of results) {
      expect(ok).toBe(true);
      const own = i % 2 === 0 ? 0 : 1;
      expect(listed.filter((n) => /^s\d+\.csv$/.test(n)).every((n) => Number(n.slice(1, -4)) % 2 === own)).toBe(true);
      expect(root).toEqual(own === 0 ? ['multientity'] : ['employees', 'payroll', 'reports']);
    }
    const digest = (s: string) => createHash('sha256').update(s).digest('hex');
    for (let i = 0; i < 20; i++) {
      const key =
        i % 2 === 0 ? `partners/acme/multientity/employees/upload/all/s${i}.csv` : `partners/globex/employees/upload/all/s${i}.csv`;
      expect(digest((await fx.body(key)).toString())).toBe(digest(`session ${i}\n`.repeat(1000)));
    }
  });
});
