import { describe, expect, it } from 'vitest';
import { pendingListName, pendingListPath } from '../../lambdas/core/uploads/approvals.ts';
import {
  downloadName,
  encryptionError,
  hasEncryptedName,
  hasEncryptionSettings,
  plainName,
  sniffOpenPgp,
} from '../../lambdas/core/partners/pgp-settings.ts';
import { errorReportName } from '../../lambdas/core/uploads/upload.ts';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('PGP settings, names and recognition (SPEC §16)', () => {
  it('recognises encrypted names and drops the suffix for the files written for them', () => {
    expect(['x.csv.pgp', 'x.CSV.GPG', 'x.asc'].map(hasEncryptedName)).toEqual([true, true, true]);
    expect(hasEncryptedName('x.csv')).toBe(false);
    expect(plainName('census.csv.pgp')).toBe('census.csv');
    expect(errorReportName({ ts: 5, name: 'x.csv.pgp' })).toBe('5-x.csv');
    expect(errorReportName({ ts: 5, name: 'x.gpg' })).toBe('5-x.csv');
    expect(pendingListName({ ts: 5, name: 'x.csv.asc' })).toBe('5-x.csv-pending.csv');
  });

  it('adds .pgp to personal-data files only when downloads are on and a key is set', () => {
    expect(downloadName({ encryptDownloads: 'on', pgpPublicKey: 'k' }, 'a.csv')).toBe('a.csv.pgp');
    expect(downloadName({ encryptDownloads: 'off', pgpPublicKey: 'k' }, 'a.csv')).toBe('a.csv');
    expect(downloadName({ encryptDownloads: 'on' }, 'a.csv')).toBe('a.csv');
    expect(pendingListPath({ entityType: 'multi-entity', encryptDownloads: 'on', pgpPublicKey: 'k' }, { ts: 1, name: 'f.csv' })).toBe(
      '/multientity/employees/upload/approvals/1-f.csv-pending.csv.pgp',
    );
  });

  it('tells which partners have encryption settings, unset meaning off', () => {
    expect(hasEncryptionSettings({})).toBe(false);
    expect(hasEncryptionSettings({ encryptUploads: 'off', encryptDownloads: 'off' })).toBe(false);
    expect(hasEncryptionSettings({ encryptUploads: 'optional' })).toBe(true);
    expect(hasEncryptionSettings({ pgpPublicKey: 'k' })).toBe(true);
  });

  it('sniffs armor and binary message packets, not CSV text in any encoding', () => {
    expect(sniffOpenPgp(Buffer.from('\r\n-----BEGIN PGP MESSAGE-----\n'))).toBe('armored');
    expect(sniffOpenPgp(bytes(0x85, 0x01, 0x0c, 0x03))).toBe('binary'); // old-format PKESK v3 (gpg)
    expect(sniffOpenPgp(bytes(0xc1, 0x5e, 0x03))).toBe('binary'); // new-format PKESK v3
    expect(sniffOpenPgp(bytes(0xc3, 0x2e, 0x04))).toBe('binary'); // SKESK v4 (gpg --symmetric)
    expect(sniffOpenPgp(Buffer.from('Company Tax ID,Name\n'))).toBeUndefined();
    expect(sniffOpenPgp(Buffer.from('\uFEFFCompany Tax ID,Name\n'))).toBeUndefined();
    expect(sniffOpenPgp(Buffer.from('Área,Nome\n', 'latin1'))).toBeUndefined(); // 0xC1: a PKESK tag, but no version 3
    expect(sniffOpenPgp(new Uint8Array())).toBeUndefined();
  });

  it('words every refusal as an Encryption upload error that says what to do', () => {
    const required = encryptionError('required');
    expect(required).toMatchObject({ source: 'Upload error', type: 'Encryption' });
    expect(required.description).toMatch(/provider-public-key\.asc/);
    expect(encryptionError('not-set-up').description).toMatch(/not set up/);
    expect(encryptionError('corrupt', 'Unexpected end of packet').description).toMatch(/\(Unexpected end of packet\)/);
    for (const reason of ['wrong-key', 'password', 'integrity', 'algorithm', 'bad-signature', 'unknown-signer'] as const) {
      expect(encryptionError(reason).description).toMatch(/Nothing was applied\.$/);
    }
  });
});
