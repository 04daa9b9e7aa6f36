import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { readHeadBytes } from '../files/head-bytes.ts';
import { decryptToSink } from '../../core/pgp/pgp-crypto.ts';
import { fileSink } from '../files/file-sink.ts';
import type { Partner } from '../../core/partners/partner.ts';
import {
  encryptionError,
  hasEncryptedName,
  OPENPGP_SNIFF_BYTES,
  sniffOpenPgp,
  uploadEncryption,
} from '../../core/partners/pgp-settings.ts';
import { uploadError, type UploadError } from '../../core/uploads/upload-errors.ts';
import type { UploadRecord } from '../../core/uploads/upload.ts';
import type { PipelineDeps } from './pipeline-deps.ts';

/**
 * The bytes a flow reads for an upload (SPEC §16): the archived file itself, or — for an OpenPGP
 * message, known by its name or its first bytes — its plaintext. Every flow gets its input from
 * here, so census, credit and approval files are decrypted the same way. A message is decrypted
 * into a spool file, and the flow opens the spool only once the whole message decrypted, its
 * integrity check passed and its signatures verified: openpgp.js hands out plaintext before
 * those checks end, and no row of a message that fails them may be applied
 * (docs/decisions/0400-pgp-decrypt-to-spool.md).
 */

export type UploadInput =
  | { readonly ok: true; readonly open: () => Promise<Readable>; readonly encrypted: boolean; dispose(): Promise<void> }
  | { readonly ok: false; readonly error: UploadError };

export async function prepareUploadInput(
  deps: Pick<PipelineDeps, 'store' | 'providerKey' | 'limits' | 'log'>,
  partner: Partner,
  upload: UploadRecord,
): Promise<UploadInput> {
  const head = upload.size > 0 ? await readHeadBytes(deps.store, upload.archiveKey, OPENPGP_SNIFF_BYTES) : new Uint8Array();
  const sniffed = sniffOpenPgp(head);
  const setting = uploadEncryption(partner);
  if (!sniffed && !hasEncryptedName(upload.name)) {
    if (setting === 'required') return { ok: false, error: encryptionError('required') };
    return { ok: true, encrypted: false, open: () => deps.store.read(upload.archiveKey), dispose: async () => {} };
  }
  if (setting === 'off') return { ok: false, error: encryptionError('not-set-up') };

  // Without our key nothing can be decrypted: our failure, not the partner's (retried, then System).
  const key = await deps.providerKey?.get();
  if (!key) throw new Error('no provider PGP key in this environment: run `benefits-exchange pgp init`');
  const spool = join(tmpdir(), `bx-upload-${randomUUID()}.plain`);
  const started = Date.now();
  const result = await decryptToSink(await deps.store.read(upload.archiveKey), () => fileSink(spool), sniffed ?? 'binary', {
    privateKey: key.privateKey,
    verificationKey: partner.pgpPublicKey,
    maxBytes: deps.limits.maxUploadBytes,
  }).catch(async (error: unknown) => {
    await rm(spool, { force: true });
    throw error;
  });
  const ids = { partnerId: upload.partnerId, uploadId: upload.uploadId };
  if (!result.ok) {
    await rm(spool, { force: true });
    deps.log.info('encrypted upload refused', { ...ids, reason: result.reason });
    if (result.reason === 'too-large') {
      const mib = Math.floor(deps.limits.maxUploadBytes / (1024 * 1024));
      return {
        ok: false,
        error: uploadError(
          'Too large',
          `The decrypted file is larger than the ${mib} MiB limit. Nothing was applied; please contact us to agree how to send it.`,
        ),
      };
    }
    return { ok: false, error: encryptionError(result.reason, result.detail) };
  }
  deps.log.info('upload decrypted', { ...ids, bytes: result.bytes, signed: result.signed, ms: Date.now() - started });
  return { ok: true, encrypted: true, open: async () => createReadStream(spool), dispose: () => rm(spool, { force: true }) };
}
