import { posix } from 'node:path';
import { BUCKET_LAYOUT } from '../../../lib/resources.ts';
import { rootFolder, type EntityType } from './partner.ts';

/**
 * The partner's SFTP tree (SPEC §3) and the mapping between its logical paths (what the partner
 * sees, `/multientity/employees/upload/all/x.csv`) and bucket keys
 * (`partners/acme/multientity/employees/upload/all/x.csv`). Both the ingest path and the local
 * SFTP server decide what is an upload, and what is writable, from this one file.
 */

export type UploadArea = 'employees' | 'flexben';

export type BatchType = 'full_file' | 'newcomers' | 'leavers' | 'dry_run';

export interface UploadFolderSpec {
  readonly area: UploadArea;
  readonly folder: string;
  /** Entity types for which the folder exists. */
  readonly entityTypes: readonly EntityType[];
  /** The status file's `batch_type`; approvals are confirmations, not batches. */
  readonly batchType?: BatchType;
  /** Only the file's name matters (approval confirmations: "any content", even none). */
  readonly nameOnly?: boolean;
}

const ALL: readonly EntityType[] = ['single-entity', 'multi-entity', 'channel-partner'];
const GROUPS: readonly EntityType[] = ['multi-entity', 'channel-partner'];

export const UPLOAD_FOLDERS: readonly UploadFolderSpec[] = [
  { area: 'employees', folder: 'all', entityTypes: ALL, batchType: 'full_file' },
  { area: 'employees', folder: 'new', entityTypes: ['single-entity'], batchType: 'newcomers' },
  { area: 'employees', folder: 'leavers', entityTypes: ['single-entity'], batchType: 'leavers' },
  { area: 'employees', folder: 'dry-run', entityTypes: ALL, batchType: 'dry_run' },
  { area: 'employees', folder: 'approvals', entityTypes: ALL, nameOnly: true },
  { area: 'flexben', folder: 'add-or-update', entityTypes: GROUPS },
  { area: 'flexben', folder: 'removal', entityTypes: GROUPS },
];

/** Folders the system writes into, created with the tree so partners see them before any file. */
const DOWNLOAD_FOLDERS: readonly { path: string; entityTypes: readonly EntityType[] }[] = [
  { path: 'employees/upload/error-details', entityTypes: ALL },
  { path: 'employees/download', entityTypes: ALL },
  { path: 'payroll', entityTypes: ALL },
  { path: 'payroll/leavers', entityTypes: ALL },
  { path: 'reports', entityTypes: ALL },
  { path: 'flexben/download', entityTypes: GROUPS },
  { path: 'flexben/download/errors', entityTypes: GROUPS },
];

/** Pending lists in `approvals/` are ours, plain or encrypted to the partner (SPEC §10, §16). */
const PENDING_LIST = /-pending\.csv(\.pgp)?$/;

export function partnerPrefix(partnerId: string): string {
  return `${BUCKET_LAYOUT.partners}${partnerId}/`;
}

function withRoot(entityType: EntityType, relative: string): string {
  const root = rootFolder(entityType);
  return root ? `${root}/${relative}` : relative;
}

/** Every folder of a partner's tree, relative to its home (no leading or trailing slash). */
export function treeFolders(entityType: EntityType): string[] {
  const uploads = UPLOAD_FOLDERS.filter((f) => f.entityTypes.includes(entityType)).map((f) => `${f.area}/upload/${f.folder}`);
  const downloads = DOWNLOAD_FOLDERS.filter((f) => f.entityTypes.includes(entityType)).map((f) => f.path);
  return [...uploads, ...downloads].map((p) => withRoot(entityType, p)).sort();
}

/** Where the system writes a partner's files, relative to the partner prefix. */
export function systemPath(entityType: EntityType, relative: string): string {
  return withRoot(entityType, relative);
}

/**
 * Names SFTP clients give a file while it is still being written (SPEC §3): WinSCP `.filepart`,
 * FileZilla and others `.part`/`.tmp`, rclone ≥ 1.63 `name.XXXXXXXX.partial` (8 random
 * characters), dot files (rsync, lftp's `.in.name.`). They are renamed when complete, and the
 * rename is what we process.
 */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') || /\.(filepart|part|tmp)$/i.test(name) || /\.[^./]{8}\.partial$/i.test(name);
}

/**
 * Resolves a path the partner typed (relative to `cwd`, possibly with `..`) into a normalised
 * logical path that can never climb above the partner's `/`.
 */
export function resolveLogicalPath(cwd: string, input: string): string {
  const joined = posix.resolve('/', cwd, input);
  return joined === '/' ? '/' : joined.replace(/\/+$/, '');
}

/** Bucket key of a logical path inside the partner's tree (the tree's `/` is the prefix itself). */
export function keyForLogicalPath(partnerId: string, logicalPath: string): string {
  const relative = resolveLogicalPath('/', logicalPath).slice(1);
  return `${partnerPrefix(partnerId)}${relative}`;
}

export type KeyClass =
  | {
      readonly kind: 'ignored';
      readonly reason: 'not-a-partner-key' | 'folder-marker' | 'temporary-name' | 'system-file';
    }
  | {
      readonly kind: 'upload';
      readonly partnerId: string;
      readonly root: string;
      readonly area: UploadArea;
      readonly folder: string;
      readonly name: string;
    }
  | {
      readonly kind: 'misplaced';
      readonly partnerId: string;
      readonly root: string;
      readonly area: UploadArea;
      readonly name: string;
      /** What the partner should be told, in plain words. */
      readonly reason: string;
    };

const ROOTS = new Set(['multientity', 'channelpartner']);

/** Decides what an object key in the bucket is, from the key alone. */
export function classifyKey(key: string): KeyClass {
  if (!key.startsWith(BUCKET_LAYOUT.partners)) return { kind: 'ignored', reason: 'not-a-partner-key' };
  if (key.endsWith('/')) return { kind: 'ignored', reason: 'folder-marker' };
  const [partnerId, ...rest] = key.slice(BUCKET_LAYOUT.partners.length).split('/');
  const name = rest.at(-1) ?? '';
  if (!partnerId || rest.length === 0) return { kind: 'ignored', reason: 'not-a-partner-key' };
  if (isTemporaryName(name)) return { kind: 'ignored', reason: 'temporary-name' };

  const root = rest[0] !== undefined && ROOTS.has(rest[0]) && rest.length > 1 ? rest[0] : '';
  const segments = root ? rest.slice(1) : rest;
  const [area, upload, folder] = segments;
  if ((area !== 'employees' && area !== 'flexben') || upload !== 'upload' || segments.length < 3) {
    return { kind: 'ignored', reason: 'system-file' };
  }
  if (area === 'employees' && (folder === 'status.csv' || folder === 'error-details')) {
    return { kind: 'ignored', reason: 'system-file' };
  }
  if (folder === 'approvals' && PENDING_LIST.test(name)) return { kind: 'ignored', reason: 'system-file' };

  const base = { partnerId, root, area, name } as const;
  const here = `/${[root, area, 'upload'].filter(Boolean).join('/')}`;
  if (segments.length === 3) {
    return { kind: 'misplaced', ...base, reason: `Files put directly in ${here}/ are not read: put it in one of its folders.` };
  }
  if (!UPLOAD_FOLDERS.some((f) => f.area === area && f.folder === folder)) {
    return { kind: 'misplaced', ...base, reason: `"${folder}" is not an upload folder of ${here}/.` };
  }
  if (segments.length > 4) {
    return {
      kind: 'misplaced',
      ...base,
      reason: `Subfolders of ${here}/${folder}/ are not read: put the file in ${here}/${folder}/ itself.`,
    };
  }
  return { kind: 'upload', ...base, folder: folder as string };
}

/** The folder spec of an upload, or undefined when the folder is not one of its area's. */
export function uploadFolderSpec(area: UploadArea, folder: string): UploadFolderSpec | undefined {
  return UPLOAD_FOLDERS.find((f) => f.area === area && f.folder === folder);
}

/**
 * Why an upload classified from its key cannot be taken for this partner (wrong root for its
 * entity type, or a folder its entity type does not have), or undefined when it can.
 */
export function placementProblem(upload: { root: string; area: UploadArea; folder: string }, entityType: EntityType): string | undefined {
  const expectedRoot = rootFolder(entityType);
  if (upload.root !== expectedRoot) {
    return `This account's folders are under /${expectedRoot}; upload into /${withRoot(entityType, `${upload.area}/upload/`)}.`;
  }
  const spec = uploadFolderSpec(upload.area, upload.folder);
  if (!spec || !spec.entityTypes.includes(entityType)) {
    return `The ${upload.area}/upload/${upload.folder}/ folder is not available to ${entityType} accounts.`;
  }
  return undefined;
}

/**
 * True when a partner may create or overwrite a file at this logical path over SFTP: only inside
 * an upload folder its entity type has (temporary names included, as clients write those first).
 */
export function isWritableLogicalPath(entityType: EntityType, logicalPath: string): boolean {
  const path = resolveLogicalPath('/', logicalPath);
  const dir = posix.dirname(path).slice(1);
  const name = posix.basename(path);
  if (!name || name === '.' || name === '..') return false;
  return (
    UPLOAD_FOLDERS.some((f) => f.entityTypes.includes(entityType) && withRoot(entityType, `${f.area}/upload/${f.folder}`) === dir) &&
    !(dir.endsWith('approvals') && PENDING_LIST.test(name))
  );
}
