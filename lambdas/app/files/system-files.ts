import { Readable } from 'node:stream';
import type { Partner } from '../../core/partners/partner.ts';
import { downloadName, ENCRYPTED_DOWNLOAD_SUFFIX, encryptsDownloads } from '../../core/partners/pgp-settings.ts';
import type { ObjectStore } from '../../adapters/object-store.ts';
import { SYSTEM_WRITER_METADATA } from '../../core/files/system-writer.ts';
import { encryptStream } from '../../core/pgp/pgp-crypto.ts';

/**
 * The one way the system writes a file into a partner's tree: marked as system-written (so the
 * ingest path never takes it for an upload) and, for a file holding personal data of a partner
 * with `--encrypt-downloads on`, encrypted to the partner's key as `{name}.pgp` (SPEC §16). The
 * setting is read from the partner record handed in, so it takes effect with the next file
 * written; the other variant of the same file (plain or `.pgp`) is removed, so switching the
 * setting never leaves a plain copy behind, nor a stale encrypted one.
 */

export interface SystemFile {
  /** Bucket key of the plain file (`partners/acme/employees/download/1_Eligible-list.csv`). */
  readonly key: string;
  readonly body: string | Uint8Array | Readable;
  readonly contentType: string;
  /**
   * True for files with personal data (eligible and pending lists, error reports, payroll,
   * reports, beneficiaries); false for status.csv, upload_history.csv, the provider key.
   */
  readonly personal: boolean;
}

type Recipient = Pick<Partner, 'pgpPublicKey' | 'encryptDownloads'>;

const METADATA = { ...SYSTEM_WRITER_METADATA };

/** Writes the file and returns the key it was written under (`key` or `key.pgp`). */
export async function writeSystemFile(store: ObjectStore, partner: Recipient, file: SystemFile): Promise<string> {
  const encrypt = file.personal && encryptsDownloads(partner);
  const target = file.personal ? downloadName(partner, file.key) : file.key;
  if (encrypt) {
    const plain = typeof file.body === 'string' || file.body instanceof Uint8Array ? Readable.from([Buffer.from(file.body)]) : file.body;
    await store.putStream(target, await encryptStream(plain, partner.pgpPublicKey as string), {
      contentType: 'application/pgp-encrypted',
      metadata: METADATA,
    });
  } else if (file.body instanceof Readable) {
    await store.putStream(target, file.body, { contentType: file.contentType, metadata: METADATA });
  } else {
    await store.put(target, file.body, { contentType: file.contentType, metadata: METADATA });
  }
  if (file.personal) await removeIfPresent(store, encrypt ? file.key : `${file.key}${ENCRYPTED_DOWNLOAD_SUFFIX}`);
  return target;
}

/**
 * Writes a file rendered whole from the tables (status.csv, upload_history.csv) so that the last
 * write holds the latest state. Two writers can read in one order and write in the other: an
 * ingest reads the uploads, a settle reads, writes "Succeeded", and the ingest's older render
 * lands last, showing "Processing" for good. So after writing, the file is rendered again and,
 * while that differs, written again. Every change of the tables is followed by its own writer's
 * render, so whoever writes last re-reads after every other change it could have missed.
 */
export async function writeRenderedSystemFile(
  store: ObjectStore,
  partner: Recipient,
  file: Omit<SystemFile, 'body'>,
  render: () => Promise<string>,
  rounds = 3,
): Promise<void> {
  let body = await render();
  for (let round = 0; round < rounds; round += 1) {
    await writeSystemFile(store, partner, { ...file, body });
    const now = await render();
    if (now === body) return;
    body = now;
  }
}

/** Removes a system file in whichever variant it was written (plain, `.pgp` or both). */
export async function deleteSystemFile(store: ObjectStore, key: string): Promise<void> {
  await removeIfPresent(store, key);
  await removeIfPresent(store, `${key}${ENCRYPTED_DOWNLOAD_SUFFIX}`);
}

// A head first: in the versioned bucket a delete of a missing key would still add a marker.
async function removeIfPresent(store: ObjectStore, key: string): Promise<void> {
  if (await store.head(key)) await store.delete(key);
}
