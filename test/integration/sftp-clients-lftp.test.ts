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
 * Client matrix, lftp (4.9): its own SFTP engine over an ssh transport, with pipelined writes,
 * `reput` and an optional temporary name (`xfer:use-temp-file`, `.in.NAME` then rename).
 */

requireTool(installed('lftp') && installed('ssh'), 'lftp (with OpenSSH ssh)', 'lftp openssh-client');

describe('client matrix: lftp', () => {
  let world: ClientWorld;
  const lftp = (commands: string[], options: { killAfterMs?: number } = {}) => {
    const ssh = ['ssh', '-a', '-x', ...opensshOptions(world)].join(' ');
    const settings = [
      `set sftp:connect-program "${ssh}"`,
      'set sftp:auto-confirm yes',
      'set cmd:fail-exit yes',
      // Fail instead of retrying for minutes: a refusal is final.
      'set net:max-retries 1',
      'set net:timeout 10',
      'set net:reconnect-interval-base 1',
    ];
    return world.run('lftp', ['-u', 'acme,', '-p', String(world.port), 'sftp://127.0.0.1'], {
      stdin: `${[...settings, ...commands, 'bye'].join('\n')}\n`,
      killAfterMs: options.killAfterMs,
    });
  };

  beforeAll(async () => {
    world = await startClientWorld();
  });
  afterAll(async () => world?.stop());

  it('an ordinary upload is processed once, and the status file downloads', async () => {
    // Prepare
    await world.file('census.csv', 'ok lftp\n');
    // Act
    const up = await lftp([`put census.csv -o ${ALL}/census.csv`]);
    const [row] = await world.settled('census.csv');
    const down = await lftp([`get ${STATUS_PATH} -o status.csv`]);
    // Assess
    expect([up.code, up.stderr]).toEqual([0, '']);
    expect(row?.processing_status).toBe('Succeeded');
    expect(down.code).toBe(0);
    expect(await readFile(join(world.dir, 'status.csv'), 'utf8')).toContain(row?.filename);
    expect(world.seen.filter((s) => s.name === 'census.csv')).toEqual([{ name: 'census.csv', bytes: 8, sha: sha('ok lftp\n') }]);
  });

  it('with xfer:use-temp-file its .in.NAME is never processed, the rename is, once', async () => {
    // Prepare
    await world.file('temp.csv', 'ok via temp\n');
    // Act
    const run = await lftp(['set xfer:use-temp-file yes', `put temp.csv -o ${ALL}/temp.csv`]);
    const rows = await world.settled('temp.csv');
    await quietPeriod();
    // Assess
    expect(run.code).toBe(0);
    expect(rows.map((r) => r.processing_status)).toEqual(['Succeeded']);
    expect(world.harness.logs).toContainEqual(expect.stringMatching(/rename ".*\/\.in\.temp\.csv\.?" -> ".*\/temp\.csv"/));
    expect(world.seen.filter((s) => s.name.includes('temp.csv'))).toEqual([{ name: 'temp.csv', bytes: 12, sha: sha('ok via temp\n') }]);
  });

  it('reput is refused, and the partial file stays as it was', async () => {
    // Prepare
    await world.file('half.csv', 'ok half\n');
    await world.file('full.csv', 'ok half\nand the rest\n');
    const first = await lftp([`put half.csv -o ${ALL}/resume.csv.part`]);
    // Act
    const resumed = await lftp([`reput full.csv -o ${ALL}/resume.csv.part`]);
    // Assess
    expect(first.code).toBe(0);
    expect(resumed.code).not.toBe(0);
    expect(world.harness.logs).toContainEqual(
      expect.stringMatching(/resume\.csv\.part" refused: Write at offset 8 refused: 0 bytes received so far/),
    );
    expect((await world.session.get(`${ALL}/resume.csv.part`)).toString()).toBe('ok half\n');
  });

  it('the same name twice within one second gives two rows and two reports', async () => {
    // Prepare
    await world.file('one.csv', 'lftp first\n');
    await world.file('two.csv', 'lftp second\n');
    // Act
    const run = await lftp([`put one.csv -o ${ALL}/twice.csv`, `put two.csv -o ${ALL}/twice.csv`]);
    const rows = await world.settled('twice.csv', 2);
    // Assess
    expect(run.code).toBe(0);
    expect(new Set(rows.map((r) => r.filename)).size).toBe(2);
    const reports = await Promise.all(rows.map((r) => world.report(r)));
    expect(reports.map((lines) => lines[0]?.['Error Description']).sort()).toEqual(
      [`content ${sha('lftp first\n')}, 11 bytes`, `content ${sha('lftp second\n')}, 12 bytes`].sort(),
    );
  });

  it('a name over 255 bytes is refused with the reason, and nothing is stored', async () => {
    // Prepare
    await world.file('long.csv', 'ok\n');
    const name = `${'l'.repeat(300)}.csv`;
    // Act
    const run = await lftp([`put long.csv -o "${ALL}/${name}"`]);
    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/304 bytes long/);
    expect(await world.session.list(ALL)).not.toContainEqual(expect.stringMatching(/^llll/));
  });

  it('a transfer killed mid-file applies nothing', async () => {
    // Prepare
    await world.file('killed.csv', Buffer.alloc(400 * 1024, 'ok,'));
    // Act
    const run = await lftp(['set net:limit-rate 50000', `put killed.csv -o ${ALL}/killed.csv`], { killAfterMs: 1500 });
    await quietPeriod();
    // Assess
    expect(run.signal).toBe('SIGKILL');
    const outcome = await outcomeOf(world, 'killed.csv');
    expect(outcome.seen).toEqual([]);
    expect(outcome.rows.filter((r) => r.processing_status === 'Succeeded')).toEqual([]);
  });
});
