import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSftpFixture, type SftpFixture } from './sftp-fixture.ts';
import { OPENSSH_SFTP, sftpBatch, type SftpRun } from '../support/openssh-sftp.ts';
import { requireTool } from '../support/required-tools.ts';

/**
 * The same server driven by OpenSSH's `sftp` in batch mode: the client most partners' schedulers
 * run, with its own request patterns (REALPATH+STAT on cd, pipelined reads and writes, RENAME).
 */

const SFTP = OPENSSH_SFTP;
const ALL = '/multientity/employees/upload/all';
/** Big enough for OpenSSH to pipeline many 32 KiB requests and for a multipart upload. */
const big = randomBytes(6 * 1024 * 1024 + 7);

type Run = SftpRun;

requireTool(existsSync(SFTP), SFTP, 'openssh-client');

describe('local SFTP server with OpenSSH sftp', () => {
  let fx: SftpFixture;
  let dir: string;

  const batch = (user: string, keyFile: string, commands: string[]): Promise<Run> =>
    sftpBatch({ port: fx.server.port, user, keyFile, cwd: dir }, commands);

  beforeAll(async () => {
    fx = await startSftpFixture();
    dir = await mkdtemp(join(tmpdir(), 'sftp-openssh-'));
    await writeFile(join(dir, 'acme.key'), fx.acme.privateKey, { mode: 0o600 });
    await writeFile(join(dir, 'globex.key'), fx.globex.privateKey, { mode: 0o600 });
    await writeFile(join(dir, 'census.csv'), 'cpf;name\n1;Ana\n');
    await writeFile(join(dir, 'big.bin'), big);
  });

  afterAll(async () => {
    await fx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads to a .filepart, renames, lists and downloads like a partner script', async () => {
    // Act
    const run = await batch('acme', 'acme.key', [
      `cd ${ALL}`,
      'put -p census.csv census.csv.filepart',
      'rename census.csv.filepart census.csv',
      'put census.csv "INTERNAL [Flexible Benefits x SFTP] Dry-run - PROD #11.csv"',
      'put census.csv Conceição.csv',
      'ls -l',
      'get census.csv back.csv',
      'put big.bin big.csv',
      'get big.csv big.back',
      'rm big.csv',
    ]);
    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const prefix = 'partners/acme/multientity/employees/upload/all/';
    expect(await fx.keys(prefix)).toEqual(
      [
        prefix,
        `${prefix}Conceição.csv`,
        `${prefix}INTERNAL [Flexible Benefits x SFTP] Dry-run - PROD #11.csv`,
        `${prefix}census.csv`,
      ].sort(),
    );
    expect((await fx.store.head(`${prefix}census.csv`))?.metadata['user-agent-id']).toBe('acme@local');
    expect(run.stdout).toMatch(/-rw-r--r-- .* 15 .* census\.csv/);
    expect(await readFile(join(dir, 'back.csv'), 'utf8')).toBe('cpf;name\n1;Ana\n');
    expect((await readFile(join(dir, 'big.back'))).equals(big)).toBe(true);
  });

  it('keeps cd inside the tree and refuses writes outside upload folders', async () => {
    // Act
    const run = await batch('acme', 'acme.key', [
      'cd ..',
      'pwd',
      '-cd /../globex',
      '-put census.csv /x.csv',
      '-put census.csv /multientity/employees/upload/status.csv',
      '-mkdir /multientity/mine',
      'pwd',
    ]);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.match(/Remote working directory: (.*)/g)).toEqual(['Remote working directory: /', 'Remote working directory: /']);
    expect(run.stderr).toMatch(/^stat remote: No such file/); // the failed `cd /../globex`
    expect(run.stderr.match(/Permission denied/g)).toHaveLength(3);
    expect(await fx.keys('partners/acme/x.csv')).toEqual([]);
    expect(await fx.keys('partners/acme/multientity/mine')).toEqual([]);
  });

  it('refuses a key that is not the partner’s', async () => {
    // Act
    const run = await batch('acme', 'globex.key', ['pwd']);
    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Permission denied \(publickey\)/);
  });
});
