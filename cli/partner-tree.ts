import { partnerPrefix, treeFolders } from '../lambdas/core/partners/tree.ts';
import type { EntityType } from '../lambdas/core/partners/partner.ts';
import { SYSTEM_WRITER_METADATA, type ObjectStore } from '../lambdas/adapters/object-store.ts';

/**
 * The empty folders of a new partner's tree. S3 has no folders: SFTP clients only see one when a
 * key lies under it, so a fresh partner would log in to an empty `/` without these markers.
 */

/**
 * Keys of the zero-byte markers for every folder of the tree and every folder above them (so
 * `ls /` shows `multientity` and `ls /multientity` shows `employees`), parents first.
 */
export function folderMarkerKeys(partnerId: string, entityType: EntityType): string[] {
  const folders = new Set<string>();
  for (const folder of treeFolders(entityType)) {
    const parts = folder.split('/');
    for (let depth = 1; depth <= parts.length; depth++) folders.add(parts.slice(0, depth).join('/'));
  }
  return [...folders].sort().map((folder) => `${partnerPrefix(partnerId)}${folder}/`);
}

/** Writes the markers; the system-writer metadata keeps the ingest path away from them. */
export async function createFolderMarkers(store: ObjectStore, keys: readonly string[]): Promise<void> {
  // An empty Uint8Array, not '': the SDK sends no Content-Length for '' and warns about streams.
  await Promise.all(keys.map((key) => store.put(key, new Uint8Array(0), { metadata: { ...SYSTEM_WRITER_METADATA } })));
}

/** Best-effort removal of markers written by an onboarding that then failed. */
export async function removeFolderMarkers(store: ObjectStore, keys: readonly string[]): Promise<void> {
  await Promise.allSettled(keys.map((key) => store.delete(key)));
}
