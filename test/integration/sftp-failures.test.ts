import { Socket } from 'node:net';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Readable } from 'node:stream';
import type { ObjectStore, PutOptions } from '../../lambdas/adapters/object-store.ts';
import { startSftpServer } from '../../local/sftp/sftp-server.ts';
import { call, names, put, startSftpFixture, STATUS, statusOf, type SftpFixture } from './sftp-fixture.ts';

const ALL = '/multientity/employees/upload/all';

async function waitUntil<T>(find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('not emitted in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The real store, except that uploads named `*fail*` and listings of payroll/ throw. */
function flaky(store: ObjectStore): ObjectStore {
  return Object.assign(Object.create(store) as ObjectStore, {
    putStream: async (key: string, body: Readable, options?: PutOptions) => {
      if (key.includes('fail')) throw new Error(`S3 refused ${key} in bucket ${store.bucket}`);
      return store.putStream(key, body, options);
    },
    list: async (prefix: string) => {
      if (prefix.includes('payroll')) throw new Error(`ListObjectsV2 on ${store.bucket}/${prefix} failed`);
      return store.list(prefix);
    },
  });
}

describe('local SFTP server under failure', () => {
  let fx: SftpFixture;

  beforeAll(async () => {
    fx = await startSftpFixture({ store: flaky });
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('reports FAILURE on CLOSE when the upload to S3 fails, and keeps serving', async () => {
    // Prepare
    const acme = await fx.connect('acme', fx.acme.privateKey);
    // Act
    const failed = put(acme, `${ALL}/fail.csv`, 'x\n');
    // Assess
    await expect(failed).rejects.toMatchObject({ code: STATUS.FAILURE, message: expect.not.stringContaining(fx.bucket) });
    expect(await fx.keys('partners/acme/multientity/employees/upload/all/fail')).toEqual([]);
    // The operator's log names the cause; the client above learned only FAILURE.
    expect(fx.logs).toContain(
      `sftp acme put "${ALL}/fail.csv" failed: errorClass=Error errorMessage="S3 refused partners/acme${ALL}/fail.csv in bucket ${fx.bucket}"`,
    );
    await put(acme, `${ALL}/ok.csv`, 'y\n');
    expect(await fx.keys('partners/acme/multientity/employees/upload/all/ok')).toHaveLength(1);
  });

  it('answers an S3 error with a generic FAILURE that names no bucket or key', async () => {
    // Prepare
    const acme = await fx.connect('acme', fx.acme.privateKey);
    // Act
    const listing = names(acme, '/multientity/payroll');
    // Assess
    await expect(listing).rejects.toMatchObject({ code: STATUS.FAILURE, message: 'Failure' });
    expect(await names(acme, '/')).toEqual(['multientity']);
  });

  it('stores what arrived, as Transfer does, and announces a failed transfer when the connection drops before CLOSE', async () => {
    // Prepare
    const acme = await fx.connect('acme', fx.acme.privateKey);
    const handle = await call<Buffer>((cb) => acme.open(`${ALL}/half.csv`, 'w', cb));
    await call((cb) => acme.write(handle, Buffer.from('half a file'), 0, 11, 0, cb));
    // Act
    acme.end();
    const failed = await waitUntil(() => fx.transferEvents.find((e) => e.DetailType === 'SFTP Server File Upload Failed'));
    // Assess
    const key = 'partners/acme/multientity/employees/upload/all/half.csv';
    expect((await fx.body(key)).toString()).toBe('half a file');
    const head = await fx.store.head(key);
    expect(JSON.parse(failed.Detail)).toMatchObject({
      'status-code': 'FAILED',
      'failure-code': 'PARTIAL_UPLOAD',
      bytes: 11,
      etag: head?.eTag,
      'file-path': `/${fx.bucket}/${key}`,
      username: 'acme',
    });
  });

  it('refuses a login, without crashing, when the partner lookup fails', async () => {
    // Prepare
    const server = await startSftpServer({
      port: 0,
      store: fx.store,
      partners: { get: async () => Promise.reject(new Error('DynamoDB down')) },
    });
    try {
      // Act
      const login = new Promise((resolve, reject) => {
        const client = new ssh2.Client();
        client.on('ready', () => resolve(undefined)).on('error', reject);
        client.connect({ host: '127.0.0.1', port: server.port, username: 'acme', privateKey: fx.acme.privateKey });
      });
      // Assess
      await expect(login).rejects.toThrow(/authentication methods failed/);
    } finally {
      await server.close();
    }
  });

  it('close() ends connected clients and stops listening', async () => {
    // Prepare
    const server = await startSftpServer({ port: 0, store: fx.store, partners: { get: async () => fx.acme.partner } });
    const client = new ssh2.Client();
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      client.on('ready', () => resolve()).on('error', reject);
      client.connect({ host: '127.0.0.1', port: server.port, username: 'acme', privateKey: fx.acme.privateKey });
    });
    // Act
    await server.close();
    // Assess
    await closed;
    const refused = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket
        .once('error', () => resolve(true))
        .once('connect', () => {
          socket.destroy();
          resolve(false);
        });
      socket.connect(server.port, '127.0.0.1');
    });
    expect(refused).toBe(true);
  });

  it('accepts only SFTP: a shell is refused, an exec runs nothing and says why', async () => {
    // Prepare
    const client = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      client.on('ready', () => resolve()).on('error', reject);
      client.connect({ host: '127.0.0.1', port: fx.server.port, username: 'acme', privateKey: fx.acme.privateKey });
    });
    const run = (command: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        client.exec(command, (err, channel) => {
          if (err) return reject(err);
          let stdout = '';
          let stderr = '';
          let code: number | null = null;
          channel.on('data', (d: Buffer) => (stdout += d.toString()));
          channel.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          channel.on('exit', (c: number | null) => (code = c));
          channel.on('close', () => resolve({ code, stdout, stderr }));
        });
      });
    // Act
    const shell = await statusOf(call((cb) => client.shell((err) => cb(err))));
    const ls = await run('ls');
    const scp = await run('scp -t /multientity/employees/upload/all/x.csv');
    client.end();
    // Assess
    expect(shell).not.toBe('ok');
    expect(ls).toEqual({ code: 1, stdout: '', stderr: 'This server accepts SFTP only: commands and shells are not available.\n' });
    expect(scp.code).toBe(1);
    expect(scp.stderr).toMatch(/does not support the legacy SCP protocol\. Use SFTP/);
    expect(await fx.keys('partners/acme/multientity/employees/upload/all/x.csv')).toEqual([]);
  });
});
