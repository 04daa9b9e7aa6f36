import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, installed, outcomeOf, quietPeriod, sha, startClientWorld, STATUS_PATH, type ClientWorld } from './sftp-clients-support.ts';
import { requireTool } from '../support/required-tools.ts';

/**
 * Client matrix, rclone (Debian's 1.60): the Go SFTP library with many outstanding writes per
 * file (in offset order). Before 1.63 rclone writes the final name directly; its later
 * `NAME.XXXXXXXX.partial` temporary name is covered in the OpenSSH matrix, by name.
 */

requireTool(installed('rclone'), 'rclone', 'rclone');

describe('client matrix: rclone', () => {
  let world: ClientWorld;
  const rclone = (args: string[], options: { killAfterMs?: number } = {}) =>
    world.run('rclone', [...args, '--retries', '1', '--low-level-retries', '1', '--sftp-disable-hashcheck'], {
      killAfterMs: options.killAfterMs,
      env: {
        RCLONE_CONFIG: join(world.dir, 'rclone.conf'),
        RCLONE_CONFIG_BX_TYPE: 'sftp',
        RCLONE_CONFIG_BX_HOST: '127.0.0.1',
        RCLONE_CONFIG_BX_PORT: String(world.port),
        RCLONE_CONFIG_BX_USER: 'acme',
        RCLONE_CONFIG_BX_KEY_FILE: world.keyFile,
        RCLONE_CONFIG_BX_SHELL_TYPE: 'none',
      },
    });

  beforeAll(async () => {
    world = await startClientWorld();
  });
  afterAll(async () => world?.stop());

  it('an ordinary upload (2 MiB, pipelined writes) is processed once, and the status file downloads', async () => {
    // Prepare
    const content = Buffer.concat([Buffer.from('ok rclone\n'), randomBytes(2 * 1024 * 1024)]);
    await world.file('census.csv', content);
    // Act
    const up = await rclone(['copyto', 'census.csv', `bx:${ALL}/census.csv`]);
    const [row] = await world.settled('census.csv');
    const down = await rclone(['copyto', `bx:${STATUS_PATH}`, join(world.dir, 'status.csv')]);
    // Assess
    expect(up.code, up.stderr).toBe(0);
    expect(row?.processing_status).toBe('Succeeded');
    expect(down.code, down.stderr).toBe(0);
    expect(await readFile(join(world.dir, 'status.csv'), 'utf8')).toContain(row?.filename);
    expect(world.seen.filter((s) => s.name === 'census.csv')).toEqual([{ name: 'census.csv', bytes: content.length, sha: sha(content) }]);
    // 1.60 writes the final name itself: no temporary name, no rename.
    expect(world.harness.logs.filter((l) => l.includes('rename'))).toEqual([]);
  });

  it('the same name uploaded twice gives two rows and two reports', async () => {
    // Prepare
    await world.file('one.csv', 'rclone first\n');
    await world.file('two.csv', 'rclone second\n');
    // Act
    const runs = [await rclone(['copyto', 'one.csv', `bx:${ALL}/twice.csv`]), await rclone(['copyto', 'two.csv', `bx:${ALL}/twice.csv`])];
    const rows = await world.settled('twice.csv', 2);
    // Assess
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(new Set(rows.map((r) => r.filename)).size).toBe(2);
    const reports = await Promise.all(rows.map((r) => world.report(r)));
    expect(reports.map((lines) => lines[0]?.['Error Description']).sort()).toEqual(
      [`content ${sha('rclone first\n')}, 13 bytes`, `content ${sha('rclone second\n')}, 14 bytes`].sort(),
    );
  });

  it('a name with a control character is refused, and nothing is stored', async () => {
    // Prepare
    await world.file('bad.csv', 'ok\n');
    // Act
    const run = await rclone(['copyto', 'bad.csv', `bx:${ALL}/tab\there.csv`]);
    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/control character \(U\+0009/);
    expect(await world.session.list(ALL)).not.toContainEqual(expect.stringMatching(/^tab/));
  });

  it('a transfer killed mid-file applies nothing', async () => {
    // Prepare
    await world.file('killed.csv', Buffer.alloc(400 * 1024, 'ok,'));
    // Act
    const run = await rclone(['copyto', '--bwlimit', '50k', 'killed.csv', `bx:${ALL}/killed.csv`], { killAfterMs: 2000 });
    await quietPeriod();
    // Assess
    expect(run.signal).toBe('SIGKILL');
    const outcome = await outcomeOf(world, 'killed.csv');
    expect(outcome.seen).toEqual([]);
    expect(outcome.rows.filter((r) => r.processing_status === 'Succeeded')).toEqual([]);
  });
});
