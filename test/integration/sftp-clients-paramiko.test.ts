import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL,
  outcomeOf,
  paramikoPython,
  quietPeriod,
  sha,
  startClientWorld,
  STATUS_PATH,
  type ClientWorld,
} from './sftp-clients-support.ts';

/**
 * Client matrix, paramiko (Debian's python3-paramiko): what partners' Python scripts use. It can
 * do what the command-line clients hide: open for append, seek before writing, send a name as raw
 * bytes, and fail inside `putfo` (which then closes the handle, as a finished file would).
 */

const python = paramikoPython();

/** One operation per run, answering one JSON line: {"ok": true} or {"error": "…"}. */
const DRIVER = String.raw`
import json, sys, time, paramiko
port, key_file, op, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
transport = paramiko.Transport(('127.0.0.1', port))
transport.connect(username='acme', pkey=paramiko.Ed25519Key.from_private_key_file(key_file))
sftp = paramiko.SFTPClient.from_transport(transport)

class Failing:
    """A source that breaks after some bytes, like a script whose input fails mid-way."""
    def __init__(self, data, after): self.data, self.after, self.pos = data, after, 0
    def read(self, n):
        if self.pos >= self.after: raise RuntimeError('source failed')
        chunk = self.data[self.pos:min(self.pos + n, self.after)]
        self.pos += len(chunk)
        return chunk

try:
    if op == 'put': sftp.put(args['local'], args['remote'])
    elif op == 'put-twice':
        for local in args['locals']: sftp.put(local, args['remote'])
    elif op == 'get': sftp.get(args['remote'], args['local'])
    elif op == 'rename': sftp.posix_rename(args['from'], args['to'])
    elif op == 'append':
        with sftp.open(args['remote'], 'a') as f: f.write(b'more\n')
    elif op == 'seek-write':
        with sftp.open(args['remote'], 'w') as f:
            f.seek(args['offset'])
            f.write(b'x')
    elif op == 'raw-name':
        with sftp.open(bytes.fromhex(args['hex']), 'w') as f: f.write(b'ok\n')
    elif op == 'slow':
        with sftp.open(args['remote'], 'w') as f:
            for _ in range(1000):
                f.write(b'ok,' * 300)
                time.sleep(0.05)
    elif op == 'failing-putfo':
        sftp.putfo(Failing(b'ok,' * 100000, args['after']), args['remote'])
    print(json.dumps({'ok': True}))
except Exception as error:
    print(json.dumps({'error': str(error)}))
finally:
    transport.close()
`;
import { requireTool } from '../support/required-tools.ts';

requireTool(python !== undefined, 'python3 with paramiko', 'python3-paramiko');

describe('client matrix: paramiko', () => {
  let world: ClientWorld;
  let driver: string;
  const paramiko = async (op: string, args: Record<string, unknown>, options: { killAfterMs?: number } = {}) => {
    const run = await world.run(python as string, [driver, String(world.port), world.keyFile, op, JSON.stringify(args)], options);
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    return { run, result: (line ? JSON.parse(line) : {}) as { ok?: boolean; error?: string } };
  };

  beforeAll(async () => {
    world = await startClientWorld();
    driver = join(world.dir, 'driver.py');
    await writeFile(driver, DRIVER);
  });
  afterAll(async () => world?.stop());

  it('an ordinary upload is processed once, and the status file downloads', async () => {
    // Prepare
    await world.file('census.csv', 'ok paramiko\n');
    // Act
    const up = await paramiko('put', { local: 'census.csv', remote: `${ALL}/census.csv` });
    const [row] = await world.settled('census.csv');
    const down = await paramiko('get', { remote: STATUS_PATH, local: join(world.dir, 'status.csv') });
    // Assess
    expect(up.result, up.run.stderr).toEqual({ ok: true });
    expect(row?.processing_status).toBe('Succeeded');
    expect(down.result).toEqual({ ok: true });
    expect(await readFile(join(world.dir, 'status.csv'), 'utf8')).toContain(row?.filename);
    expect(world.seen.filter((s) => s.name === 'census.csv')).toEqual([{ name: 'census.csv', bytes: 12, sha: sha('ok paramiko\n') }]);
  });

  it('an append is refused when the file is opened, and the file stays as it was', async () => {
    // Prepare
    await paramiko('put', { local: await world.file('base.csv', 'ok base\n'), remote: `${ALL}/append.csv.part` });
    // Act
    const { result } = await paramiko('append', { remote: `${ALL}/append.csv.part` });
    // Assess
    expect(result.error).toMatch(/Appending is not supported/);
    expect((await world.session.get(`${ALL}/append.csv.part`)).toString()).toBe('ok base\n');
  });

  it('a write at an offset is refused with the reason, and nothing is stored', async () => {
    // Act
    const { result } = await paramiko('seek-write', { remote: `${ALL}/offset.csv`, offset: 100 * 1024 * 1024 });
    await quietPeriod(1000);
    // Assess
    expect(result.error).toMatch(/Write at offset 104857600 refused: 0 bytes received so far/);
    expect(await world.session.list(ALL)).not.toContain('offset.csv');
    expect((await outcomeOf(world, 'offset.csv')).rows).toEqual([]);
  });

  it('a name sent as bytes that are not UTF-8 is refused, and nothing is stored', async () => {
    // Act: "Jos\xe9.csv", Latin-1, where two such names would collapse into one "Jos\uFFFD.csv".
    const { result } = await paramiko('raw-name', { hex: Buffer.from(`${ALL}/Jos\xe9.csv`, 'latin1').toString('hex') });
    // Assess
    expect(result.error).toMatch(/not valid UTF-8/);
    expect(await world.session.list(ALL)).not.toContainEqual(expect.stringMatching(/^Jos/));
  });

  it('the same name twice within one second gives two rows and two reports', async () => {
    // Prepare
    await world.file('one.csv', 'paramiko first\n');
    await world.file('two.csv', 'paramiko second\n');
    // Act
    const { result } = await paramiko('put-twice', { locals: ['one.csv', 'two.csv'], remote: `${ALL}/twice.csv` });
    const rows = await world.settled('twice.csv', 2);
    // Assess
    expect(result).toEqual({ ok: true });
    expect(new Set(rows.map((r) => r.filename)).size).toBe(2);
    const reports = await Promise.all(rows.map((r) => world.report(r)));
    expect(reports.map((lines) => lines[0]?.['Error Description']).sort()).toEqual(
      [`content ${sha('paramiko first\n')}, 15 bytes`, `content ${sha('paramiko second\n')}, 16 bytes`].sort(),
    );
  });

  it('a script killed mid-file applies nothing', async () => {
    // Act
    const { run } = await paramiko('slow', { remote: `${ALL}/killed.csv` }, { killAfterMs: 1500 });
    await quietPeriod();
    // Assess
    expect(run.signal).toBe('SIGKILL');
    const outcome = await outcomeOf(world, 'killed.csv');
    expect(outcome.seen).toEqual([]);
    expect(outcome.rows.filter((r) => r.processing_status === 'Succeeded')).toEqual([]);
  });

  it('a putfo that fails mid-way to a temporary name applies nothing (why the guide asks for one)', async () => {
    // Act: paramiko closes the handle on the exception, so the server sees an ordinary CLOSE.
    const { result } = await paramiko('failing-putfo', { remote: `${ALL}/failing.csv.part`, after: 50_000 });
    await quietPeriod();
    // Assess
    expect(result.error).toMatch(/source failed/);
    expect((await outcomeOf(world, 'failing.csv')).rows).toEqual([]);
    expect(world.seen.filter((s) => s.name.startsWith('failing'))).toEqual([]);
  });
});
