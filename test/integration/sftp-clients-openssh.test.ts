import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL,
  installed,
  opensshOptions,
  outcomeOf,
  quietPeriod,
  sha,
  startClientWorld,
  STATUS_PATH,
  type ClientWorld,
} from './sftp-clients-support.ts';
import { requireTool } from '../support/required-tools.ts';

/**
 * Client matrix, OpenSSH: `sftp` in batch mode (what most partners' schedulers run) and `scp`,
 * which since OpenSSH 9 speaks SFTP and exits with the server's exit status.
 */

requireTool(installed('sftp') && installed('scp'), 'OpenSSH sftp and scp', 'openssh-client');

describe('client matrix: OpenSSH sftp and scp', () => {
  let world: ClientWorld;
  const target = () => ['-P', String(world.port), ...opensshOptions(world)];
  const sftp = (commands: string[], options: { killAfterMs?: number; limitKbit?: number } = {}) =>
    world.run('sftp', ['-b', '-', ...(options.limitKbit ? ['-l', String(options.limitKbit)] : []), ...target(), 'acme@127.0.0.1'], {
      stdin: `${commands.join('\n')}\n`,
      killAfterMs: options.killAfterMs,
    });
  const scp = (args: string[]) => world.run('scp', [...target(), ...args]);

  beforeAll(async () => {
    world = await startClientWorld();
  });
  afterAll(async () => world?.stop());

  it('sftp: an ordinary upload is processed once, and the status file downloads', async () => {
    // Prepare
    await world.file('census.csv', 'ok,1\n');
    // Act
    const run = await sftp([`put census.csv ${ALL}/census.csv`]);
    const [row] = await world.settled('census.csv');
    const back = await sftp([`get ${STATUS_PATH} status.csv`]);
    // Assess
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(row?.processing_status).toBe('Succeeded');
    expect(back.code).toBe(0);
    expect(await readFile(join(world.dir, 'status.csv'), 'utf8')).toContain(`${row?.filename},full_file,`);
    expect(world.seen.filter((s) => s.name === 'census.csv')).toEqual([{ name: 'census.csv', bytes: 5, sha: sha('ok,1\n') }]);
  });

  it.each([
    ['WinSCP', 'tmp.csv.filepart'],
    ['FileZilla and others', 'tmp.csv.part'],
    ['scripts', 'tmp.csv.tmp'],
    ['rclone ≥ 1.63', 'tmp.csv.a1B2c3D4.partial'],
    ['lftp', '.in.tmp.csv.'],
    ['rsync-style dot files', '.tmp.csv.x7Yz'],
  ])('sftp: the %s temporary name is never processed, the rename is, once', async (_client, temporary) => {
    // Prepare
    const final = `renamed-${sha(temporary).slice(0, 6)}.csv`;
    await world.file('t.csv', `ok ${temporary}\n`);
    // Act
    const run = await sftp([`put t.csv ${ALL}/${temporary}`, `rename ${ALL}/${temporary} ${ALL}/${final}`]);
    const rows = await world.settled(final);
    await quietPeriod();
    // Assess
    expect(run.code).toBe(0);
    expect(rows.map((r) => r.processing_status)).toEqual(['Succeeded']);
    expect((await outcomeOf(world, temporary)).rows).toEqual([]);
    expect(world.seen.filter((s) => s.name === temporary || s.name === final)).toHaveLength(1);
  });

  it('sftp: a resume (reput) is refused and the partial file stays as it was', async () => {
    // Prepare: a first half left under a temporary name, as an interrupted transfer leaves it.
    await world.file('half.csv', 'ok first half\n');
    await world.file('full.csv', 'ok first half\nsecond half\n');
    const first = await sftp([`put half.csv ${ALL}/resume.csv.part`]);
    // Act
    const resumed = await sftp([`reput full.csv ${ALL}/resume.csv.part`]);
    // Assess
    expect(first.code).toBe(0);
    // OpenSSH resumes by opening with APPEND; it shows only "Failure", the log says why.
    expect(resumed.code).not.toBe(0);
    expect(resumed.stderr).toMatch(/resume\.csv\.part": Failure/);
    expect(world.harness.logs).toContainEqual(expect.stringMatching(/resume\.csv\.part" refused: Appending is not supported/));
    expect((await world.session.get(`${ALL}/resume.csv.part`)).toString()).toBe('ok first half\n');
  });

  it('sftp: the same name twice within one second gives two rows and two reports', async () => {
    // Prepare
    await world.file('one.csv', 'first upload\n');
    await world.file('two.csv', 'second upload\n');
    // Act
    const run = await sftp([`put one.csv ${ALL}/twice.csv`, `put two.csv ${ALL}/twice.csv`]);
    const rows = await world.settled('twice.csv', 2);
    // Assess
    expect(run.code).toBe(0);
    expect(new Set(rows.map((r) => r.filename)).size).toBe(2);
    const reports = await Promise.all(rows.map((r) => world.report(r)));
    const described = reports.map((lines) => lines[0]?.['Error Description']).sort();
    expect(described).toEqual([`content ${sha('first upload\n')}, 13 bytes`, `content ${sha('second upload\n')}, 14 bytes`].sort());
  });

  it.each([
    ['bytes that are not UTF-8', 'Jos\xe9.csv', /not valid UTF-8/],
    ['more than 255 bytes', `${'n'.repeat(260)}.csv`, /264 bytes long/],
  ])('sftp: a name with %s is refused and nothing is stored', async (_what, name, reason) => {
    // Prepare: the batch file carries the name's bytes as they are (latin1 keeps 0xE9 one byte).
    await world.file('bad.csv', 'ok\n');
    // Act
    await world.file('batch', Buffer.from(`put bad.csv "${ALL}/${name}"\n`, 'latin1'));
    const refused = await world.run('sftp', ['-b', 'batch', ...target(), 'acme@127.0.0.1']);
    // Assess
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/dest open .*: Failure/);
    expect(world.harness.logs).toContainEqual(
      expect.stringMatching(new RegExp(`put ".*" refused: File name refused\\. .*${reason.source}`)),
    );
    expect(await world.session.list(ALL)).not.toContainEqual(expect.stringMatching(/^Jos|^nnnn/));
  });

  it('sftp: a transfer killed mid-file applies nothing', async () => {
    // Prepare: 400 KiB at 400 kbit/s takes ~8 s; the kill comes after ~1.5 s.
    await world.file('killed.csv', Buffer.alloc(400 * 1024, 'ok,'));
    // Act
    const run = await sftp([`put killed.csv ${ALL}/killed.csv`], { limitKbit: 400, killAfterMs: 1500 });
    await quietPeriod();
    // Assess
    expect(run.signal).toBe('SIGKILL');
    const outcome = await outcomeOf(world, 'killed.csv');
    expect(outcome.seen).toEqual([]);
    expect(outcome.rows.filter((r) => r.processing_status === 'Succeeded')).toEqual([]);
  });

  it('scp: an upload and a download exit 0', async () => {
    // Prepare
    await world.file('scp.csv', 'ok scp\n');
    // Act
    const up = await scp(['scp.csv', `acme@127.0.0.1:${ALL}/scp.csv`]);
    const [row] = await world.settled('scp.csv');
    const down = await scp([`acme@127.0.0.1:${STATUS_PATH}`, join(world.dir, 'scp-status.csv')]);
    // Assess
    expect([up.code, up.stderr]).toEqual([0, '']);
    expect(row?.processing_status).toBe('Succeeded');
    expect([down.code, down.stderr]).toEqual([0, '']);
    expect(await readFile(join(world.dir, 'scp-status.csv'), 'utf8')).toContain(row?.filename);
  });

  it('scp -O (the legacy SCP protocol) is refused with a message, and nothing is stored', async () => {
    // Prepare
    await world.file('legacy.csv', 'ok legacy\n');
    // Act
    const run = await scp(['-O', 'legacy.csv', `acme@127.0.0.1:${ALL}/legacy.csv`]);
    await quietPeriod(1000);
    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/does not support the legacy SCP protocol\. Use SFTP/);
    expect((await outcomeOf(world, 'legacy.csv')).rows).toEqual([]);
  });
});
