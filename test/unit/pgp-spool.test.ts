import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSink } from '../../lambdas/app/files/file-sink.ts';
import { decryptToSink, encryptStream, generateProviderKey, type ProviderKeyPair } from '../../lambdas/core/pgp/pgp-crypto.ts';

/**
 * A message of real size (12 MiB, above the 5 MiB multipart threshold) decrypted into the spool
 * through the function's file sink: every byte arrives, in order, and the count is reported.
 */
describe('decrypting into the spool', () => {
  let dir: string;
  let key: ProviderKeyPair;
  const plain = () => join(dir, 'census.csv');
  const encrypted = () => join(dir, 'census.csv.pgp');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bx-spool-'));
    key = await generateProviderKey('spool-test');
    const line = '11222333000181,José da Conceição,jose@empresa.com.br,76425464089,E1,Operações,P1,CC1,04571-926,Yes\r\n';
    await writeFile(plain(), `Company Tax ID,Name\r\n${line.repeat(Math.ceil((12 * 1024 * 1024) / Buffer.byteLength(line)))}`);
    await pipeline(await encryptStream(createReadStream(plain()), key.publicKey), createWriteStream(encrypted()));
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the whole 12 MiB plaintext, byte for byte', async () => {
    const spool = join(dir, 'spool.plain');

    const result = await decryptToSink(createReadStream(encrypted()), () => fileSink(spool), 'binary', {
      privateKey: key.privateKey,
      maxBytes: 64 * 1024 * 1024,
    });

    const size = (await stat(plain())).size;
    expect(size).toBeGreaterThan(12 * 1024 * 1024);
    expect(result).toEqual({ ok: true, bytes: size, signed: false });
    const digest = async (path: string) =>
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    expect(await digest(spool)).toBe(await digest(plain()));
  }, 60_000);
});
