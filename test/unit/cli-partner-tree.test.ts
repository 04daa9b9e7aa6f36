import { describe, expect, it } from 'vitest';
import { folderMarkerKeys } from '../../cli/partner-tree.ts';
import { sftpRoot } from '../../cli/partner-commands.ts';

describe('folderMarkerKeys', () => {
  it('marks every folder of a multi-entity tree and each folder above it', () => {
    const keys = folderMarkerKeys('acme', 'multi-entity');
    expect(keys).toEqual(
      expect.arrayContaining([
        'partners/acme/multientity/',
        'partners/acme/multientity/employees/',
        'partners/acme/multientity/employees/upload/',
        'partners/acme/multientity/employees/upload/all/',
        'partners/acme/multientity/flexben/upload/add-or-update/',
        'partners/acme/multientity/payroll/leavers/',
      ]),
    );
    expect(keys.every((k) => k.startsWith('partners/acme/multientity/') && k.endsWith('/'))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('puts a single-entity tree at the home itself, with its newcomers and leavers folders', () => {
    const keys = folderMarkerKeys('solo', 'single-entity');
    expect(keys).toContain('partners/solo/employees/upload/new/');
    expect(keys).toContain('partners/solo/employees/upload/leavers/');
    expect(keys.some((k) => k.includes('flexben'))).toBe(false);
    expect(keys).not.toContain('partners/solo/');
  });

  it('names the SFTP root by entity type', () => {
    expect(['single-entity', 'multi-entity', 'channel-partner'].map((entityType) => sftpRoot({ entityType } as never))).toEqual([
      '/',
      '/multientity',
      '/channelpartner',
    ]);
  });
});
