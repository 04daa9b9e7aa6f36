import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import * as openpgp from 'openpgp';
import type { EncryptionRefusal } from '../partners/pgp-settings.ts';

/**
 * OpenPGP through openpgp.js (v6, streaming): the provider's key pair, the check of a partner's
 * public key, streamed decryption of uploads into a spool file and streamed encryption of the
 * files written for a partner. No crypto of our own and no `gpg` process.
 */

/** The provider's key pair as stored in Secrets Manager. */
export interface ProviderKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly fingerprint: string;
  readonly createdAt: string;
}

/**
 * A new provider key pair: Ed25519 primary key with a Curve25519 encryption subkey (v4 keys, what
 * GnuPG 2.2+ and every current OpenPGP tool read; GnuPG's own default since 2.3). Unprotected by a
 * passphrase: the secret holding it is the protection (KMS-encrypted, readable by one role).
 */
export async function generateProviderKey(environment: string, now = new Date()): Promise<ProviderKeyPair> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [{ name: `benefits-exchange ${environment}`, email: `pgp-${environment}@benefits-exchange.invalid` }],
    date: now,
    format: 'armored',
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return { privateKey, publicKey, fingerprint: key.getFingerprint().toUpperCase(), createdAt: now.toISOString() };
}

/** What `partner show` prints of a partner key. */
export interface PublicKeySummary {
  readonly fingerprint: string;
  readonly userIds: readonly string[];
  /** ISO instant, or undefined when the key never expires. */
  readonly expires?: string;
}

export type PublicKeyCheck = ({ ok: true; armored: string } & PublicKeySummary) | { ok: false; reason: string };

/**
 * Checks that `content` (a key file, armored or binary) is one usable OpenPGP public key: not a
 * private key, not revoked or expired, with a key that can encrypt. The reason is one line.
 */
export async function checkPartnerPublicKey(content: Uint8Array, now = new Date()): Promise<PublicKeyCheck> {
  const text = Buffer.from(content).toString('latin1');
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) {
    return { ok: false, reason: 'is a private key: send only the public key (gpg --armor --export <id>), never the private one' };
  }
  let key: openpgp.Key;
  try {
    key = /-----BEGIN PGP PUBLIC KEY BLOCK-----/.test(text)
      ? await openpgp.readKey({ armoredKey: text })
      : await openpgp.readKey({ binaryKey: content });
  } catch {
    return { ok: false, reason: 'is not an OpenPGP public key (expected the output of gpg --armor --export <id>)' };
  }
  if (key.isPrivate())
    return { ok: false, reason: 'is a private key: send only the public key (gpg --armor --export <id>), never the private one' };
  if (await key.isRevoked(undefined, undefined, now).catch(() => false)) return { ok: false, reason: 'is a revoked key' };
  const expiry = await key.getExpirationTime().catch(() => null);
  if (expiry instanceof Date && expiry.getTime() <= now.getTime()) {
    return { ok: false, reason: `expired on ${expiry.toISOString().slice(0, 10)}: extend or renew the key and export it again` };
  }
  try {
    await key.getEncryptionKey(undefined, now);
  } catch {
    return { ok: false, reason: 'has no valid encryption subkey (a signing-only key cannot receive encrypted files)' };
  }
  return {
    ok: true,
    armored: key.armor(),
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    ...(expiry instanceof Date ? { expires: expiry.toISOString() } : {}),
  };
}

/** Summary of a stored (already checked) armored public key. */
export async function summarizePublicKey(armored: string): Promise<PublicKeySummary> {
  const key = await openpgp.readKey({ armoredKey: armored });
  const expiry = await key.getExpirationTime().catch(() => null);
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    ...(expiry instanceof Date ? { expires: expiry.toISOString() } : {}),
  };
}

/** Streams `input` encrypted (binary OpenPGP, integrity-protected) to the armored public key. */
export async function encryptStream(input: Readable, armoredPublicKey: string): Promise<Readable> {
  const encryptionKeys = await openpgp.readKey({ armoredKey: armoredPublicKey });
  const message = await openpgp.createMessage({ binary: Readable.toWeb(input) as unknown as ReadableStream<Uint8Array> });
  const encrypted = await openpgp.encrypt({ message, encryptionKeys, format: 'binary' });
  return Readable.fromWeb(encrypted as unknown as NodeWebReadableStream<Uint8Array>);
}

export interface DecryptOptions {
  readonly privateKey: string;
  /** The partner's key: a signature on the message must verify against it. */
  readonly verificationKey?: string;
  /** Plaintext beyond this many bytes stops the decryption (a compressed message may expand). */
  readonly maxBytes: number;
}

export type DecryptResult =
  | { readonly ok: true; readonly bytes: number; readonly signed: boolean }
  | { readonly ok: false; readonly reason: EncryptionRefusal | 'too-large'; readonly detail?: string };

class TooLarge extends Error {}

/**
 * Decrypts `input` (armored or binary) into the sink `openSink` makes (a spool file), streaming, and reports
 * whether the message is to be trusted. openpgp.js releases plaintext before the message's
 * integrity check (MDC) and signatures are settled — the only way to stream SEIPDv1 without
 * holding it whole — so the plaintext only goes to a file the caller hands to a flow once this
 * returned `ok` (docs/decisions/0400-pgp-decrypt-to-spool.md).
 */
export async function decryptToSink(
  input: Readable,
  openSink: () => Writable,
  format: 'armored' | 'binary',
  options: DecryptOptions,
): Promise<DecryptResult> {
  const config = { allowUnauthenticatedStream: true, maxDecompressedMessageSize: options.maxBytes + 1 };
  const decryptionKeys = await openpgp.readPrivateKey({ armoredKey: options.privateKey });
  let message: openpgp.Message<ReadableStream<Uint8Array> | ReadableStream<string>>;
  try {
    const web = Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>;
    message =
      format === 'armored'
        ? await openpgp.readMessage({ armoredMessage: web.pipeThrough(new TextDecoderStream('utf-8')), config })
        : await openpgp.readMessage({ binaryMessage: web, config });
  } catch (error) {
    return { ok: false, reason: 'corrupt', detail: reasonOf(error) };
  }

  const ours = new Set([decryptionKeys, ...decryptionKeys.subkeys].map((k) => k.getKeyID().toHex()));
  const recipients = message.getEncryptionKeyIDs().map((id) => id.toHex());
  if (recipients.length === 0) {
    const packets = message.packets.map((p) => (p.constructor as { tag?: number }).tag);
    if (packets.includes(openpgp.enums.packet.symEncryptedSessionKey)) return { ok: false, reason: 'password' };
    return { ok: false, reason: 'corrupt', detail: 'no encrypted data in it' };
  }
  // A wildcard (anonymous) recipient id is all zeros: let the decryption itself tell.
  if (!recipients.some((id) => ours.has(id) || /^0+$/.test(id))) return { ok: false, reason: 'wrong-key' };

  const verificationKeys = options.verificationKey ? await openpgp.readKey({ armoredKey: options.verificationKey }) : undefined;
  let decrypted: Awaited<ReturnType<typeof openpgp.decrypt<ReadableStream<Uint8Array>>>>;
  try {
    decrypted = (await openpgp.decrypt({
      message,
      decryptionKeys,
      ...(verificationKeys ? { verificationKeys } : {}),
      format: 'binary',
      config,
    })) as typeof decrypted;
  } catch (error) {
    return classify(error);
  }

  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > options.maxBytes ? new TooLarge() : null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(decrypted.data as unknown as NodeWebReadableStream<Uint8Array>), limit, openSink());
  } catch (error) {
    if (error instanceof TooLarge || /decompressed message size/i.test(reasonOf(error))) return { ok: false, reason: 'too-large' };
    return classify(error);
  }
  // Settled only now that the data was read to its end.
  const signatures = decrypted.signatures ?? [];
  if (verificationKeys) {
    for (const signature of signatures) {
      try {
        await signature.verified;
      } catch (error) {
        const text = reasonOf(error);
        if (/could not find signing key/i.test(text)) return { ok: false, reason: 'unknown-signer' };
        if (/insecure|hash algorithm|not supported|weak/i.test(text)) return { ok: false, reason: 'algorithm', detail: text };
        return { ok: false, reason: 'bad-signature' };
      }
    }
  }
  return { ok: true, bytes, signed: signatures.length > 0 };
}

function reasonOf(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0]!.slice(0, 200);
}

/** Sorts openpgp.js's errors into the refusals partners are told about. */
function classify(error: unknown): DecryptResult {
  const text = reasonOf(error);
  if (/modification detected|authentication tag|integrity|mdc/i.test(text)) return { ok: false, reason: 'integrity' };
  if (/not authenticated|unauthenticated/i.test(text))
    return { ok: false, reason: 'algorithm', detail: 'the message has no integrity protection' };
  if (/session key decryption failed|no decryption key/i.test(text)) return { ok: false, reason: 'wrong-key' };
  if (/unsupported|insecure|not allowed|rejected|unknown (symmetric|cipher|algorithm)/i.test(text))
    return { ok: false, reason: 'algorithm', detail: text };
  return { ok: false, reason: 'corrupt', detail: text };
}
