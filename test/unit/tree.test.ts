import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntityType } from '../../lambdas/core/partners/partner.ts';
import {
  classifyKey,
  isWritableLogicalPath,
  keyForLogicalPath,
  placementProblem,
  resolveLogicalPath,
  treeFolders,
  type UploadArea,
} from '../../lambdas/core/partners/tree.ts';

const ROOTS = ['', 'multientity', 'channelpartner'] as const;

/** SPEC §3, written out independently of the module: which upload folder each entity type has. */
const UPLOAD_FOLDERS_BY_SPEC: readonly { area: UploadArea; folder: string; entityTypes: readonly EntityType[] }[] = [
  { area: 'employees', folder: 'all', entityTypes: ['single-entity', 'multi-entity', 'channel-partner'] },
  { area: 'employees', folder: 'new', entityTypes: ['single-entity'] },
  { area: 'employees', folder: 'leavers', entityTypes: ['single-entity'] },
  { area: 'employees', folder: 'dry-run', entityTypes: ['single-entity', 'multi-entity', 'channel-partner'] },
  { area: 'employees', folder: 'approvals', entityTypes: ['single-entity', 'multi-entity', 'channel-partner'] },
  { area: 'flexben', folder: 'add-or-update', entityTypes: ['multi-entity', 'channel-partner'] },
  { area: 'flexben', folder: 'removal', entityTypes: ['multi-entity', 'channel-partner'] },
];

const ROOT_BY_ENTITY: Record<EntityType, string> = {
  'single-entity': '',
  'multi-entity': 'multientity',
  'channel-partner': 'channelpartner',
};

const ENTITY_TYPES = Object.keys(ROOT_BY_ENTITY) as EntityType[];

function logical(root: string, relative: string): string {
  return root ? `/${root}/${relative}` : `/${relative}`;
}

describe('classifyKey', () => {
  it.each([
    'archive/uploads/acme/1700000000-x.csv',
    'internal/platform-events/2026-03.jsonl',
    'x.csv',
    'partner/acme/employees/upload/all/x.csv',
    'Partners/acme/employees/upload/all/x.csv',
    'partners/acme',
    'partners//employees/upload/all/x.csv',
    '',
  ])('ignores %j: not a partner key', (key) => {
    // Act
    const result = classifyKey(key);

    // Assess
    expect(result).toEqual({ kind: 'ignored', reason: 'not-a-partner-key' });
  });

  it.each([
    'partners/acme/',
    'partners/acme/employees/upload/all/',
    'partners/acme/multientity/',
    'partners/acme/multientity/flexben/upload/removal/',
    'partners/acme/employees/upload/all/sub/',
  ])('ignores %j: folder marker', (key) => {
    // Act
    const result = classifyKey(key);

    // Assess
    expect(result).toEqual({ kind: 'ignored', reason: 'folder-marker' });
  });

  it.each([
    'partners/acme/employees/upload/all/x.csv.filepart',
    'partners/acme/employees/upload/all/x.part',
    'partners/acme/employees/upload/all/x.TMP',
    'partners/acme/employees/upload/all/x.tmp',
    'partners/acme/employees/upload/all/x.csv.FilePart',
    'partners/acme/employees/upload/all/.hidden.csv',
    'partners/acme/employees/upload/all/.x.csv.Ab12Cd',
    'partners/acme/multientity/flexben/upload/add-or-update/credits.csv.filepart',
    'partners/acme/channelpartner/employees/upload/dry-run/INTERNAL [x] #1.csv.part',
    'partners/acme/employees/upload/all/x.csv.aB3dE9gH.partial',
    'partners/acme/multientity/employees/upload/all/census 2026.csv.0123abcd.partial',
    'partners/acme/employees/upload/all/.in.x.csv.',
  ])('ignores %j: temporary name', (key) => {
    // Act
    const result = classifyKey(key);

    // Assess
    expect(result).toEqual({ kind: 'ignored', reason: 'temporary-name' });
  });

  it.each([
    'partners/acme/employees/upload/status.csv',
    'partners/acme/multientity/employees/upload/status.csv',
    'partners/acme/channelpartner/employees/upload/status.csv',
    'partners/acme/employees/upload/error-details/1700000000-x.csv',
    'partners/acme/multientity/employees/upload/error-details/1700000000-INTERNAL [x] #1.csv',
    'partners/acme/employees/download/1700000000_Eligible-list.csv',
    'partners/acme/multientity/employees/download/1700000000_Eligible-list.csv',
    'partners/acme/payroll/Acme_202611_wellhub_payroll_deduction.csv',
    'partners/acme/payroll/leavers/Acme_202611_wellhub_partial_payroll_deduction.csv',
    'partners/acme/multientity/payroll/202611_wellhub_payroll_deduction.zip',
    'partners/acme/reports/2024-07-01-2025-07-01_CHECK-INS.zip',
    'partners/acme/channelpartner/reports/2024-07-01-2025-07-01_CHECK-INS.zip',
    'partners/acme/flexben/download/upload_history.csv',
    'partners/acme/multientity/flexben/download/upload_history.csv',
    'partners/acme/multientity/flexben/download/errors/1700000000-credits.csv',
    'partners/acme/channelpartner/flexben/download/beneficiaries-list.csv',
    'partners/acme/employees/upload/approvals/123-x.csv-pending.csv',
    'partners/acme/multientity/employees/upload/approvals/1700000000-list.csv-pending.csv',
    'partners/acme/x.csv',
    'partners/acme/multientity/x.csv',
  ])('ignores %j: system file', (key) => {
    // Act
    const result = classifyKey(key);

    // Assess
    expect(result).toEqual({ kind: 'ignored', reason: 'system-file' });
  });

  const uploadCases = ROOTS.flatMap((root) => UPLOAD_FOLDERS_BY_SPEC.map(({ area, folder }) => ({ root, area, folder })));

  it.each(uploadCases)('classifies an upload in root $root, $area/upload/$folder', ({ root, area, folder }) => {
    // Prepare
    const key = ['partners', 'acme-corp', root, area, 'upload', folder, 'census.csv'].filter(Boolean).join('/');

    // Act
    const result = classifyKey(key);

    // Assess
    expect(result).toEqual({ kind: 'upload', partnerId: 'acme-corp', root, area, folder, name: 'census.csv' });
  });

  it.each([
    'INTERNAL [Flexible Benefits x SFTP] Dry-run - PROD #11.csv',
    'José da Silva (1).csv',
    'Conceição.csv',
    'a+b 100%.csv',
    'file without extension',
    'tmp.csv',
    'report.part.csv',
    'x.tmp.csv',
    'status.csv',
    'foo-pending.csv',
    'x.partial',
    'x.csv.partial',
    'x.csv.abc.partial',
    'x.csv.abcdefghi.partial',
  ])('keeps the name %j of an upload as is', (name) => {
    // Prepare
    const key = `partners/acme/multientity/employees/upload/all/${name}`;

    // Act
    const result = classifyKey(key);

    // Assess
    expect(result).toEqual({ kind: 'upload', partnerId: 'acme', root: 'multientity', area: 'employees', folder: 'all', name });
  });

  it('classifies an approval confirmation as an upload of the approvals folder', () => {
    // Prepare
    const key = 'partners/acme/employees/upload/approvals/APPROVE-1700000000-list.csv';

    // Act
    const result = classifyKey(key);

    // Assess
    expect(result).toEqual({
      kind: 'upload',
      partnerId: 'acme',
      root: '',
      area: 'employees',
      folder: 'approvals',
      name: 'APPROVE-1700000000-list.csv',
    });
  });

  it.each([
    {
      key: 'partners/acme/employees/upload/x.csv',
      root: '',
      area: 'employees',
      name: 'x.csv',
      reason: 'Files put directly in /employees/upload/ are not read: put it in one of its folders.',
    },
    {
      key: 'partners/acme/multientity/employees/upload/x.csv',
      root: 'multientity',
      area: 'employees',
      name: 'x.csv',
      reason: 'Files put directly in /multientity/employees/upload/ are not read: put it in one of its folders.',
    },
    {
      key: 'partners/acme/channelpartner/flexben/upload/credits.csv',
      root: 'channelpartner',
      area: 'flexben',
      name: 'credits.csv',
      reason: 'Files put directly in /channelpartner/flexben/upload/ are not read: put it in one of its folders.',
    },
    {
      key: 'partners/acme/employees/upload/foo/x.csv',
      root: '',
      area: 'employees',
      name: 'x.csv',
      reason: '"foo" is not an upload folder of /employees/upload/.',
    },
    {
      key: 'partners/acme/employees/upload/foo/bar/x.csv',
      root: '',
      area: 'employees',
      name: 'x.csv',
      reason: '"foo" is not an upload folder of /employees/upload/.',
    },
    {
      key: 'partners/acme/employees/upload/ALL/x.csv',
      root: '',
      area: 'employees',
      name: 'x.csv',
      reason: '"ALL" is not an upload folder of /employees/upload/.',
    },
    {
      key: 'partners/acme/multientity/employees/upload/add-or-update/x.csv',
      root: 'multientity',
      area: 'employees',
      name: 'x.csv',
      reason: '"add-or-update" is not an upload folder of /multientity/employees/upload/.',
    },
    {
      key: 'partners/acme/multientity/flexben/upload/all/x.csv',
      root: 'multientity',
      area: 'flexben',
      name: 'x.csv',
      reason: '"all" is not an upload folder of /multientity/flexben/upload/.',
    },
    {
      key: 'partners/acme/employees/upload/all/sub/x.csv',
      root: '',
      area: 'employees',
      name: 'x.csv',
      reason: 'Subfolders of /employees/upload/all/ are not read: put the file in /employees/upload/all/ itself.',
    },
    {
      key: 'partners/acme/channelpartner/flexben/upload/removal/a/b/Conceição #2.csv',
      root: 'channelpartner',
      area: 'flexben',
      name: 'Conceição #2.csv',
      reason:
        'Subfolders of /channelpartner/flexben/upload/removal/ are not read: put the file in /channelpartner/flexben/upload/removal/ itself.',
    },
  ])('reports $key as misplaced', ({ key, root, area, name, reason }) => {
    // Act
    const result = classifyKey(key);

    // Assess
    expect(result).toEqual({ kind: 'misplaced', partnerId: 'acme', root, area, name, reason });
  });
});

describe('placementProblem', () => {
  const matrix = ENTITY_TYPES.flatMap((entityType) =>
    UPLOAD_FOLDERS_BY_SPEC.map(({ area, folder, entityTypes }) => ({
      entityType,
      area,
      folder,
      available: entityTypes.includes(entityType),
    })),
  );

  it.each(matrix)('$entityType, $area/upload/$folder in its own root: available=$available', ({ entityType, area, folder, available }) => {
    // Prepare
    const upload = { root: ROOT_BY_ENTITY[entityType], area, folder };

    // Act
    const problem = placementProblem(upload, entityType);

    // Assess
    if (available) {
      expect(problem).toBeUndefined();
    } else {
      expect(problem).toBe(`The ${area}/upload/${folder}/ folder is not available to ${entityType} accounts.`);
    }
  });

  it.each([
    {
      entityType: 'multi-entity' as const,
      root: '',
      expected: "This account's folders are under /multientity; upload into /multientity/employees/upload/.",
    },
    {
      entityType: 'multi-entity' as const,
      root: 'channelpartner',
      expected: "This account's folders are under /multientity; upload into /multientity/employees/upload/.",
    },
    {
      entityType: 'channel-partner' as const,
      root: 'multientity',
      expected: "This account's folders are under /channelpartner; upload into /channelpartner/employees/upload/.",
    },
    {
      entityType: 'single-entity' as const,
      root: 'multientity',
      expected: "This account's folders are under /; upload into /employees/upload/.",
    },
  ])('refuses root $root for a $entityType account', ({ entityType, root, expected }) => {
    // Prepare
    const upload = { root, area: 'employees' as const, folder: 'all' };

    // Act
    const problem = placementProblem(upload, entityType);

    // Assess
    expect(problem).toBe(expected);
  });

  it('refuses a folder that is not an upload folder at all', () => {
    // Act
    const problem = placementProblem({ root: '', area: 'employees', folder: 'foo' }, 'single-entity');

    // Assess
    expect(problem).toBe('The employees/upload/foo/ folder is not available to single-entity accounts.');
  });
});

describe('treeFolders', () => {
  it('gives a single-entity partner its folders without a root prefix and without flexben', () => {
    // Act
    const folders = treeFolders('single-entity');

    // Assess
    expect(folders).toEqual([
      'employees/download',
      'employees/upload/all',
      'employees/upload/approvals',
      'employees/upload/dry-run',
      'employees/upload/error-details',
      'employees/upload/leavers',
      'employees/upload/new',
      'payroll',
      'payroll/leavers',
      'reports',
    ]);
  });

  it.each([
    { entityType: 'multi-entity' as const, root: 'multientity' },
    { entityType: 'channel-partner' as const, root: 'channelpartner' },
  ])('gives a $entityType partner everything under $root/, flexben included', ({ entityType, root }) => {
    // Act
    const folders = treeFolders(entityType);

    // Assess
    expect(folders).toEqual(
      [
        'employees/download',
        'employees/upload/all',
        'employees/upload/approvals',
        'employees/upload/dry-run',
        'employees/upload/error-details',
        'flexben/download',
        'flexben/download/errors',
        'flexben/upload/add-or-update',
        'flexben/upload/removal',
        'payroll',
        'payroll/leavers',
        'reports',
      ].map((f) => `${root}/${f}`),
    );
  });

  it.each(ENTITY_TYPES)('returns sorted, unique, relative folders for %s', (entityType) => {
    // Act
    const folders = treeFolders(entityType);

    // Assess
    expect(folders).toEqual([...folders].sort());
    expect(new Set(folders).size).toBe(folders.length);
    for (const folder of folders) expect(folder).toMatch(/^[^/].*[^/]$/);
  });
});

describe('resolveLogicalPath', () => {
  it.each([
    { cwd: '/', input: '', expected: '/' },
    { cwd: '/', input: '/', expected: '/' },
    { cwd: '/', input: '.', expected: '/' },
    { cwd: '/', input: '..', expected: '/' },
    { cwd: '/', input: '../../..', expected: '/' },
    { cwd: '/', input: '/../../globex', expected: '/globex' },
    { cwd: '/multientity', input: '../../globex/x.csv', expected: '/globex/x.csv' },
    { cwd: '/a/b', input: '../../../../etc/passwd', expected: '/etc/passwd' },
    { cwd: '/multientity', input: 'employees', expected: '/multientity/employees' },
    { cwd: '/multientity/employees/upload', input: '../download', expected: '/multientity/employees/download' },
    { cwd: '/employees/upload/all', input: 'x.csv', expected: '/employees/upload/all/x.csv' },
    { cwd: '/employees/upload/all', input: '', expected: '/employees/upload/all' },
    { cwd: '/a/b', input: '/c', expected: '/c' },
    { cwd: '/a/b/', input: 'c/', expected: '/a/b/c' },
    { cwd: '/', input: 'employees//upload///all/', expected: '/employees/upload/all' },
    { cwd: '/a', input: './b/./c', expected: '/a/b/c' },
    { cwd: '', input: 'x', expected: '/x' },
    { cwd: 'employees', input: 'upload', expected: '/employees/upload' },
    { cwd: '/', input: '...', expected: '/...' },
    { cwd: '/', input: 'employees/upload/all/INTERNAL [x] #1 José.csv', expected: '/employees/upload/all/INTERNAL [x] #1 José.csv' },
  ])('resolves $input from $cwd to $expected', ({ cwd, input, expected }) => {
    // Act
    const resolved = resolveLogicalPath(cwd, input);

    // Assess
    expect(resolved).toBe(expected);
  });

  const pathLike = fc
    .array(fc.oneof(fc.constantFrom('..', '.', '', 'a', 'employees', '...', ' ', '..a', 'x.csv'), fc.string()), { maxLength: 8 })
    .map((segments) => segments.join('/'));
  const anyPath = fc.oneof(pathLike, fc.string());

  it('never climbs above / and always yields a clean absolute path', () => {
    fc.assert(
      fc.property(anyPath, anyPath, (cwd, input) => {
        // Act
        const resolved = resolveLogicalPath(cwd, input);

        // Assess
        expect(resolved.startsWith('/')).toBe(true);
        if (resolved !== '/') {
          const segments = resolved.slice(1).split('/');
          expect(segments).not.toContain('..');
          expect(segments).not.toContain('.');
          expect(segments).not.toContain('');
        }
        expect(resolveLogicalPath('/', resolved)).toBe(resolved);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps every bucket key inside the partner prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{3,40}$/), anyPath, (partnerId, path) => {
        // Act
        const key = keyForLogicalPath(partnerId, path);

        // Assess
        expect(key.startsWith(`partners/${partnerId}/`)).toBe(true);
        expect(key.slice(`partners/${partnerId}/`.length).split('/')).not.toContain('..');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('keyForLogicalPath', () => {
  it.each([
    { path: '/employees/upload/all/x.csv', expected: 'partners/acme/employees/upload/all/x.csv' },
    { path: '/multientity/employees/upload/all/x.csv', expected: 'partners/acme/multientity/employees/upload/all/x.csv' },
    { path: 'employees/upload/all/x.csv', expected: 'partners/acme/employees/upload/all/x.csv' },
    { path: '/employees/upload/all/', expected: 'partners/acme/employees/upload/all' },
    { path: '/../globex/x.csv', expected: 'partners/acme/globex/x.csv' },
    { path: '/../../partners/globex/employees/upload/all/x.csv', expected: 'partners/acme/partners/globex/employees/upload/all/x.csv' },
    { path: '/', expected: 'partners/acme/' },
    { path: '', expected: 'partners/acme/' },
    {
      path: '/employees/upload/all/INTERNAL [Flexible Benefits x SFTP] Dry-run - PROD #11.csv',
      expected: 'partners/acme/employees/upload/all/INTERNAL [Flexible Benefits x SFTP] Dry-run - PROD #11.csv',
    },
    { path: '/employees/upload/all/Conceição.csv', expected: 'partners/acme/employees/upload/all/Conceição.csv' },
  ])('maps $path to $expected', ({ path, expected }) => {
    // Act
    const key = keyForLogicalPath('acme', path);

    // Assess
    expect(key).toBe(expected);
  });
});

describe('isWritableLogicalPath', () => {
  const writable = ENTITY_TYPES.flatMap((entityType) =>
    UPLOAD_FOLDERS_BY_SPEC.filter((f) => f.entityTypes.includes(entityType)).flatMap(({ area, folder }) =>
      ['census.csv', 'census.csv.filepart', 'census.part', '.census.csv', 'INTERNAL [x] Dry-run #11 José.csv'].map((name) => ({
        entityType,
        path: logical(ROOT_BY_ENTITY[entityType], `${area}/upload/${folder}/${name}`),
      })),
    ),
  );

  it.each(writable)('lets a $entityType partner write $path', ({ entityType, path }) => {
    // Act
    const allowed = isWritableLogicalPath(entityType, path);

    // Assess
    expect(allowed).toBe(true);
  });

  it.each([
    { entityType: 'single-entity' as const, path: 'employees/upload/all/x.csv' },
    { entityType: 'single-entity' as const, path: '/employees/upload/new/../all/x.csv' },
    { entityType: 'single-entity' as const, path: '/employees/upload/approvals/APPROVE-1700000000-list.csv' },
    { entityType: 'multi-entity' as const, path: '/multientity/employees/upload/approvals/DECLINE-1700000000-list.csv' },
    { entityType: 'channel-partner' as const, path: '/channelpartner//flexben/upload/removal/x.csv' },
  ])('lets a $entityType partner write $path (relative, normalised, confirmations)', ({ entityType, path }) => {
    // Act
    const allowed = isWritableLogicalPath(entityType, path);

    // Assess
    expect(allowed).toBe(true);
  });

  const notWritable: { entityType: EntityType; path: string; why: string }[] = [
    ...ENTITY_TYPES.flatMap((entityType) => {
      const r = (relative: string): string => logical(ROOT_BY_ENTITY[entityType], relative);
      return [
        { entityType, path: '/', why: 'the home folder' },
        { entityType, path: '/x.csv', why: 'a file directly in the home folder' },
        { entityType, path: r('x.csv'), why: 'a file directly in the root folder' },
        { entityType, path: r('employees/upload/status.csv'), why: 'the status file' },
        { entityType, path: r('employees/upload/x.csv'), why: 'directly in upload/' },
        { entityType, path: r('employees/upload/error-details/1700000000-x.csv'), why: 'an error report' },
        { entityType, path: r('employees/download/1700000000_Eligible-list.csv'), why: 'a download' },
        { entityType, path: r('payroll/x.csv'), why: 'payroll' },
        { entityType, path: r('payroll/leavers/x.csv'), why: 'payroll leavers' },
        { entityType, path: r('reports/x.zip'), why: 'reports' },
        { entityType, path: r('flexben/download/upload_history.csv'), why: 'flexben download' },
        { entityType, path: r('employees/upload/all'), why: 'an upload folder itself' },
        { entityType, path: r('employees/upload/all/'), why: 'an upload folder itself, trailing slash' },
        { entityType, path: r('employees/upload/all/sub/x.csv'), why: 'a subfolder of an upload folder' },
        { entityType, path: r('employees/upload/all/..'), why: 'the parent of an upload folder' },
        { entityType, path: r('employees/upload/all/../../download/x.csv'), why: 'a .. trick into downloads' },
        { entityType, path: r('employees/upload/all/../status.csv'), why: 'a .. trick onto the status file' },
        { entityType, path: r('employees/upload/approvals/1700000000-list.csv-pending.csv'), why: 'an approval pending list' },
        { entityType, path: r('employees/upload/foo/x.csv'), why: 'an unknown folder' },
      ];
    }),
    { entityType: 'single-entity', path: '/multientity/employees/upload/all/x.csv', why: 'another root' },
    { entityType: 'single-entity', path: '/flexben/upload/add-or-update/x.csv', why: 'flexben is multi-entity/channel-partner only' },
    { entityType: 'single-entity', path: '/flexben/upload/removal/x.csv', why: 'flexben is multi-entity/channel-partner only' },
    { entityType: 'multi-entity', path: '/employees/upload/all/x.csv', why: 'missing the root' },
    { entityType: 'multi-entity', path: '/channelpartner/employees/upload/all/x.csv', why: 'another root' },
    { entityType: 'multi-entity', path: '/multientity/employees/upload/new/x.csv', why: 'new is single-entity only' },
    { entityType: 'multi-entity', path: '/multientity/employees/upload/leavers/x.csv', why: 'leavers is single-entity only' },
    { entityType: 'multi-entity', path: '/multientity', why: 'the root folder' },
    { entityType: 'multi-entity', path: '/multientity/employees/upload/all/../../download/x.csv', why: 'a .. trick into downloads' },
    {
      entityType: 'multi-entity',
      path: '/multientity/employees/upload/all/../../../../channelpartner/employees/upload/all/x.csv',
      why: 'a .. trick into another root',
    },
    { entityType: 'channel-partner', path: '/multientity/employees/upload/all/x.csv', why: 'another root' },
    { entityType: 'channel-partner', path: '/channelpartner/employees/upload/new/x.csv', why: 'new is single-entity only' },
    { entityType: 'channel-partner', path: '/channelpartner/employees/upload/leavers/x.csv', why: 'leavers is single-entity only' },
  ];

  it.each(notWritable)('does not let a $entityType partner write $path ($why)', ({ entityType, path }) => {
    // Act
    const allowed = isWritableLogicalPath(entityType, path);

    // Assess
    expect(allowed).toBe(false);
  });

  it('agrees with classifyKey and placementProblem: a writable, non-temporary file is an acceptable upload', () => {
    const folderOf = fc.constantFrom(...UPLOAD_FOLDERS_BY_SPEC);
    const name = fc.stringMatching(/^[A-Za-z0-9 #[\]()éçã+_-]{1,30}\.csv$/);
    fc.assert(
      fc.property(fc.constantFrom(...ENTITY_TYPES), folderOf, name, (entityType, { area, folder }, fileName) => {
        // Prepare
        const path = logical(ROOT_BY_ENTITY[entityType], `${area}/upload/${folder}/${fileName}`);
        fc.pre(isWritableLogicalPath(entityType, path));

        // Act
        const classified = classifyKey(keyForLogicalPath('acme', path));

        // Assess
        expect(classified).toEqual({ kind: 'upload', partnerId: 'acme', root: ROOT_BY_ENTITY[entityType], area, folder, name: fileName });
        if (classified.kind === 'upload') expect(placementProblem(classified, entityType)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
