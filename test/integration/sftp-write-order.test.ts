import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenMode, SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, put, startSftpFixture, STATUS, type SftpFixture } from './sftp-fixture.ts';

/**
 * SPEC §3 at the protocol level: a file is written from its first byte to its last, in order;
 * appends, resumes at an offset, holes and out-of-order writes are refused at once with a failure
 * that says so, and nothing is stored. Names are checked when the file is opened.
 */

const ALL = '/multientity/employees/upload/all';
const KEY = 'partners/acme/multientity/employees/upload/all/';

/** Opens, runs the writes in order (without waiting for replies), closes; reports each outcome. */
type Write = readonly [offset: number, data: string];

async function session(sftp: SFTPWrapper, path: string, flags: OpenMode, writes: readonly Write[]) {
  const handle = await call<Buffer>((cb) => sftp.open(path, flags, cb));
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: Error & { code?: number }) => `${e.code}: ${e.message}`,
    );
  const written = writes.map(([offset, data]) => outcome(call((cb) => sftp.write(handle, Buffer.from(data), 0, data.length, offset, cb))));
  const results = await Promise.all(written);
  const closed = await outcome(call((cb) => sftp.close(handle, cb)));
  return { results, closed };
}

describe('local SFTP server: writes in order, names checked at open', () => {
  let fx: SftpFixture;
  let acme: SFTPWrapper;
  let scratch: string;

  beforeAll(async () => {
    fx = await startSftpFixture();
    acme = await fx.connect('acme', fx.acme.privateKey);
    scratch = await mkdtemp(join(tmpdir(), 'sftp-order-'));
  });

  afterAll(async () => {
    await fx?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('accepts pipelined writes that continue where the last one ended', async () => {
    // Act
    const run = await session(acme, `${ALL}/pipelined.csv`, 'w', [
      [0, 'a,b\n'],
      [4, '1,2\n'],
      [8, '3,4\n'],
    ]);
    // Assess
    expect(run).toEqual({ results: ['ok', 'ok', 'ok'], closed: 'ok' });
    expect((await fx.body(`${KEY}pipelined.csv`)).toString()).toBe('a,b\n1,2\n3,4\n');
  });

  it.each([
    [
      'a write at an offset (one byte at 100 MiB)',
      [[100 * 1024 * 1024, 'x']],
      /Write at offset 104857600 refused: 0 bytes received so far/,
    ],
    [
      'a hole',
      [
        [0, 'abc'],
        [10, 'def'],
      ],
      /Write at offset 10 refused: 3 bytes received so far/,
    ],
    [
      'a write that goes back',
      [
        [0, 'abc'],
        [0, 'abc'],
      ],
      /Out-of-order write refused: offset 0 was already written/,
    ],
    [
      'a write that overlaps',
      [
        [0, 'abcdef'],
        [3, 'xyz'],
      ],
      /Out-of-order write refused: offset 3/,
    ],
  ] as const)('refuses %s at once, and every later write, and stores nothing', async (_what, writes, reason) => {
    // Act
    const run = await session(acme, `${ALL}/refused.csv`, 'w', [...(writes as readonly Write[]), [0, 'more']]);
    // Assess
    const failed = run.results.filter((r) => r !== 'ok');
    expect(failed[0]).toMatch(reason);
    expect(failed[0]).toMatch(new RegExp(`^${STATUS.FAILURE}: .*nothing is stored`));
    expect(run.results.at(-1)).not.toBe('ok');
    expect(run.closed).toMatch(reason); // CLOSE says again why nothing was stored
    expect(await fx.keys(`${KEY}refused`)).toEqual([]);
  });

  it('refuses a resume of an existing file (reput): the stored file stays as it was', async () => {
    // Prepare
    await put(acme, `${ALL}/resume.csv`, 'first half\n');
    // Act: what `reput` and WinSCP's resume do: open without truncating, write from the size.
    const run = await session(acme, `${ALL}/resume.csv`, 'r+', [[11, 'second half\n']]);
    // Assess
    expect(run.results[0]).toMatch(/Write at offset 11 refused: 0 bytes received so far\. Resuming, appending/);
    expect((await fx.body(`${KEY}resume.csv`)).toString()).toBe('first half\n');
  });

  it('refuses an append when the file is opened', async () => {
    // Prepare
    await put(acme, `${ALL}/append.csv`, 'line 1\n');
    // Act
    const opened = call<Buffer>((cb) => acme.open(`${ALL}/append.csv`, 'a', cb));
    // Assess
    await expect(opened).rejects.toMatchObject({ code: STATUS.FAILURE, message: expect.stringMatching(/^Appending is not supported/) });
    expect((await fx.body(`${KEY}append.csv`)).toString()).toBe('line 1\n');
  });

  it("refuses ssh2's own fastPut, whose chunks arrive out of order, and stores nothing", async () => {
    // Prepare: chunks larger than the server's write size are split, so offsets interleave.
    const local = join(scratch, 'fast.bin');
    await writeFile(local, randomBytes(2 * 1024 * 1024));
    // Act
    const upload = call((cb) => acme.fastPut(local, `${ALL}/fast.csv`, { concurrency: 8, chunkSize: 64 * 1024 }, cb));
    // Assess
    await expect(upload).rejects.toMatchObject({ message: expect.stringMatching(/refused/) });
    expect(await fx.keys(`${KEY}fast`)).toEqual([]);
  });

  it.each([
    ['a line break', 'bad\nname.csv', /control character \(U\+000A/],
    ['a tab', 'bad\tname.csv', /control character \(U\+0009/],
    ['bytes that were not UTF-8', 'Jos\uFFFD.csv', /not valid UTF-8/],
    ['256 bytes', `${'a'.repeat(252)}.csv`, /256 bytes long/],
  ])('refuses a name with %s when it is opened, saying why', async (_what, name, reason) => {
    // Act
    const opened = call<Buffer>((cb) => acme.open(`${ALL}/${name}`, 'w', cb));
    // Assess
    await expect(opened).rejects.toMatchObject({ code: STATUS.FAILURE, message: expect.stringMatching(reason) });
    expect((await fx.keys(KEY)).filter((k) => k.includes('bad') || k.includes('Jos') || k.includes('aaaa'))).toEqual([]);
  });

  it('accepts a name of exactly 255 bytes, and refuses a rename to a bad name', async () => {
    // Prepare
    const longest = `${'é'.repeat(125)}a.csv`; // 250 + 5 bytes
    // Act
    await put(acme, `${ALL}/${longest}`, 'x\n');
    const renamed = call((cb) => acme.rename(`${ALL}/${longest}`, `${ALL}/two\nlines.csv`, cb));
    // Assess
    await expect(renamed).rejects.toMatchObject({ code: STATUS.FAILURE, message: expect.stringMatching(/control character/) });
    expect(await fx.keys(`${KEY}${longest}`)).toEqual([`${KEY}${longest}`]);
    expect(await fx.keys(`${KEY}two`)).toEqual([]);
  });
});
