import type { SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, get, names, put, startSftpFixture, STATUS, statusOf, type SftpFixture } from './sftp-fixture.ts';

/** What a partner may write, and that nothing it types reaches another partner's tree. */

const ACME = 'partners/acme/';

describe('local SFTP server: permissions and isolation', () => {
  let fx: SftpFixture;
  let acme: SFTPWrapper;

  beforeAll(async () => {
    fx = await startSftpFixture();
    acme = await fx.connect('acme', fx.acme.privateKey);
  });

  afterAll(async () => {
    await fx?.close();
  });

  describe('write permissions', () => {
    it.each([
      '/multientity/employees/upload/status.csv',
      '/multientity/employees/download/x.csv',
      '/x.csv',
      '/multientity/employees/upload/new/x.csv', // single-entity only
      '/employees/upload/all/x.csv', // globex's layout, not acme's
    ])('refuses a put to %s and creates nothing', async (path) => {
      // Prepare
      const before = await fx.keys(ACME);
      // Act
      const status = await statusOf(put(acme, path, 'nope'));
      // Assess
      expect(status).toBe(STATUS.PERMISSION_DENIED);
      expect(await fx.keys(ACME)).toEqual(before);
      expect(fx.logs).toContain(`sftp acme put ${JSON.stringify(path)} refused: permission denied`);
    });
  });

  describe('isolation', () => {
    it("never shows another partner's files, whatever the path", async () => {
      // Prepare
      await fx.store.put('partners/globex/employees/download/1_Eligible-list.csv', 'secret');
      // Act
      const listings = await Promise.all(
        ['/../globex', '../../globex/employees', '/../../partners/globex'].map((p) => statusOf(names(acme, p))),
      );
      const read = await statusOf(get(acme, '/../globex/employees/download/1_Eligible-list.csv'));
      const up = await call<string>((cb) => acme.realpath('/..', cb));
      const upUp = await call<string>((cb) => acme.realpath('../../..', cb));
      // Assess
      expect(listings).toEqual([STATUS.NO_SUCH_FILE, STATUS.NO_SUCH_FILE, STATUS.NO_SUCH_FILE]);
      expect(read).toBe(STATUS.NO_SUCH_FILE);
      expect([up, upUp]).toEqual(['/', '/']);
    });

    it('lets globex see only its own single-entity tree, and not reach into acme', async () => {
      // Prepare
      await put(acme, '/multientity/employees/upload/all/mine.csv', 'acme only');
      const globex = await fx.connect('globex', fx.globex.privateKey);
      const acmeKeysBefore = await fx.keys(ACME);
      // Act
      const root = await names(globex, '/');
      const own = await get(globex, '/employees/download/1_Eligible-list.csv');
      const peeks = await Promise.all(
        ['/../acme/multientity/employees/upload/all/mine.csv', '/multientity/employees/upload/all/mine.csv'].map((p) =>
          statusOf(get(globex, p)),
        ),
      );
      const plant = await statusOf(put(globex, '/../acme/multientity/employees/upload/all/x.csv', 'x'));
      // Assess
      expect(root).toEqual(['employees', 'payroll', 'reports']);
      expect(own.toString()).toBe('secret');
      expect(peeks).toEqual([STATUS.NO_SUCH_FILE, STATUS.NO_SUCH_FILE]);
      expect(plant).toBe(STATUS.PERMISSION_DENIED);
      expect(await fx.keys(ACME)).toEqual(acmeKeysBefore);
      expect(await fx.keys('partners/globex/acme')).toEqual([]);
    });
  });
});
