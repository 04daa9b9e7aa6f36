import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, installed, outcomeOf, quietPeriod, sha, startClientWorld, STATUS_PATH, type ClientWorld } from './sftp-clients-support.ts';
import { requireTool } from '../support/required-tools.ts';

/**
 * Client matrix, PuTTY's psftp (putty-tools): the Windows partners' command-line client, with its
 * own key format (.ppk), host key pinning by fingerprint, `reput` and `mv`.
 */

requireTool(installed('psftp') && installed('puttygen'), 'PuTTY psftp and puttygen', 'putty-tools');

describe('client matrix: PuTTY psftp', () => {
  let world: ClientWorld;
  const psftp = async (commands: string[]) => {
    const script = await world.file(`psftp-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`, `${commands.join('\n')}\nquit\n`);
    return world.run('psftp', [
      '-batch',
      '-P',
      String(world.port),
      '-i',
      world.ppkFile as string,
      '-hostkey',
      world.hostKeyFingerprint,
      '-b',
      script,
      'acme@127.0.0.1',
    ]);
  };

  beforeAll(async () => {
    world = await startClientWorld();
  });
  afterAll(async () => world?.stop());

  it('pins the host key by its fingerprint; an ordinary upload is processed once, and the status file downloads', async () => {
    // Prepare
    await world.file('census.csv', 'ok psftp\n');
    // Act
    const up = await psftp([`put census.csv ${ALL}/census.csv`]);
    const [row] = await world.settled('census.csv');
    const down = await psftp([`get ${STATUS_PATH} status.csv`]);
    // Assess
    expect(world.hostKeyFingerprint).toMatch(/^SHA256:/);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(row?.processing_status).toBe('Succeeded');
    expect(down.code).toBe(0);
    expect(await readFile(join(world.dir, 'status.csv'), 'utf8')).toContain(row?.filename);
    expect(world.seen.filter((s) => s.name === 'census.csv')).toEqual([{ name: 'census.csv', bytes: 9, sha: sha('ok psftp\n') }]);
  });

  it('a temporary name then mv is processed once, under the final name', async () => {
    // Prepare
    await world.file('t.csv', 'ok psftp temp\n');
    // Act
    const run = await psftp([`put t.csv ${ALL}/moved.csv.filepart`, `mv ${ALL}/moved.csv.filepart ${ALL}/moved.csv`]);
    const rows = await world.settled('moved.csv');
    await quietPeriod();
    // Assess
    expect(run.code).toBe(0);
    expect(rows.map((r) => r.processing_status)).toEqual(['Succeeded']);
    expect((await outcomeOf(world, 'moved.csv.filepart')).rows).toEqual([]);
  });

  it('reput restarts at byte 0 (the open handle holds no bytes yet), so the whole file is sent in order', async () => {
    // Prepare
    await world.file('half.csv', 'ok half\n');
    await world.file('full.csv', 'ok half\nand the rest\n');
    const first = await psftp([`put half.csv ${ALL}/resume.csv.part`]);
    // Act: psftp asks the open handle for its size (FSTAT) and resumes from there.
    const resumed = await psftp([`reput full.csv ${ALL}/resume.csv.part`]);
    // Assess: no hole, no zero fill, no stale half: exactly the local file.
    expect(first.code).toBe(0);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('reput: restarting at file position 0');
    expect((await world.session.get(`${ALL}/resume.csv.part`)).toString()).toBe('ok half\nand the rest\n');
  });

  it('the same name twice within one second gives two rows and two reports', async () => {
    // Prepare
    await world.file('one.csv', 'psftp first\n');
    await world.file('two.csv', 'psftp second\n');
    // Act
    const run = await psftp([`put one.csv ${ALL}/twice.csv`, `put two.csv ${ALL}/twice.csv`]);
    const rows = await world.settled('twice.csv', 2);
    // Assess
    expect(run.code).toBe(0);
    expect(new Set(rows.map((r) => r.filename)).size).toBe(2);
    const reports = await Promise.all(rows.map((r) => world.report(r)));
    expect(reports.map((lines) => lines[0]?.['Error Description']).sort()).toEqual(
      [`content ${sha('psftp first\n')}, 12 bytes`, `content ${sha('psftp second\n')}, 13 bytes`].sort(),
    );
  });

  it('a name over 255 bytes is refused with the reason, and nothing is stored', async () => {
    // Prepare
    await world.file('long.csv', 'ok\n');
    // Act
    const run = await psftp([`put long.csv "${ALL}/${'p'.repeat(300)}.csv"`]);
    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/open for write: failure/);
    expect(world.harness.logs).toContainEqual(expect.stringMatching(/refused: File name refused\. The file name is 304 bytes long/));
    expect(await world.session.list(ALL)).not.toContainEqual(expect.stringMatching(/^pppp/));
  });
});
