import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AuthContext, type Connection } from 'ssh2';
import type { ObjectStore } from '../../lambdas/adapters/object-store.ts';
import { PARTNER_ID_PATTERN, type Partner } from '../../lambdas/core/partners/partner.ts';
import { checkPublicKey, findLogin, type Login, type LoginDirectory } from './auth.ts';
import { refuseExec } from './exec-refusal.ts';
import { resolveHostKey } from './host-key.ts';
import { PartnerFileSystem } from './s3-filesystem.ts';
import { serveSftp } from './sftp-session.ts';
import { SessionAnnouncer, type TransferEventSink } from './transfer-announcer.ts';

/**
 * Local mode's stand-in for the Transfer Family endpoint (SPEC §12): SSH-key login per partner,
 * the partner's logical home `partners/{id}/` as `/`, writes only in upload folders, objects in
 * the emulator's S3 with the metadata Transfer writes. SFTP only: shells, exec and forwarding are
 * refused, as Transfer refuses them.
 */

/** How long close() lets clients take the SSH disconnect before their sockets are cut. */
const CLOSE_GRACE_MS = 2000;

export interface SftpServerOptions {
  host?: string;
  /** 0 picks a free port (see `RunningSftpServer.port`). */
  port: number;
  partners: LoginDirectory;
  store: ObjectStore;
  /** Written as `user-agent-id: {user}@{serverId}`, as Transfer does; default 'local'. */
  serverId?: string;
  /** PEM/OpenSSH private key; a fresh ed25519 key when absent. */
  hostKey?: string | Buffer;
  /** One line per login, upload, rename, change and refusal; never file contents. */
  log?: (line: string) => void;
  /** Where the upload-result events go (SPEC §15: the event bus); none when absent. */
  transferEvents?: TransferEventSink;
}

export interface RunningSftpServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the SFTP server and resolves once it accepts connections.
 * @returns the bound port and a `close()` that disconnects every client and stops listening.
 */
export async function startSftpServer(options: SftpServerOptions): Promise<RunningSftpServer> {
  const log = options.log ?? (() => {});
  const hostKey = resolveHostKey(options.hostKey);
  const spoolDir = await mkdtemp(join(tmpdir(), 'bx-sftp-'));
  const connections = new Set<Connection>();
  // Our own TCP listener hands sockets to ssh2, so close() can also cut clients that ignore the
  // SSH disconnect instead of waiting for them forever.
  const sockets = new Set<Socket>();
  let tcp: NetServer;
  try {
    const ssh = createSshServer(options, hostKey, spoolDir, connections, log);
    tcp = createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      ssh.injectSocket(socket);
    });
    await listen(tcp, options.port, options.host ?? '127.0.0.1');
  } catch (error) {
    await rm(spoolDir, { recursive: true, force: true });
    throw error;
  }
  // A later listening error (none expected once bound) must not become an uncaught exception.
  tcp.on('error', (error: Error) => log(`sftp server error: ${error.name}`));
  const address = tcp.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let closing: Promise<void> | undefined;
  return {
    port,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => tcp.close(() => resolve()));
        for (const client of connections) client.end();
        const grace = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, CLOSE_GRACE_MS);
        await stopped;
        clearTimeout(grace);
        await rm(spoolDir, { recursive: true, force: true });
      })()),
  };
}

function listen(tcp: NetServer, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
}

/** The SSH side: authenticates each connection, then serves its SFTP channels from S3. */
function createSshServer(
  options: SftpServerOptions,
  hostKey: string | Buffer,
  spoolDir: string,
  connections: Set<Connection>,
  log: (line: string) => void,
): ssh2.Server {
  const serverId = options.serverId ?? 'local';
  return new ssh2.Server({ hostKeys: [hostKey], ident: 'benefits-exchange-local' }, (client) => {
    connections.add(client);
    let login: Login | undefined;
    // Resets and protocol errors end that one connection, never the server.
    client.on('error', () => {});
    client.on('close', () => connections.delete(client));
    client.on('authentication', (ctx) => {
      authenticate(ctx, options.partners, log, (accepted) => (login = accepted)).catch(() => ctx.reject(['publickey']));
    });
    client.on('ready', () => {
      const authenticated = login;
      if (!authenticated) return client.end();
      // `user-agent-id` names the login (a further user's own name), which becomes the Author.
      const fs = new PartnerFileSystem(options.store, authenticated.partner, `${authenticated.user}@${serverId}`);
      // Only the sftp subsystem is served: ssh2 refuses shell, pty and forwarding; an exec (the
      // legacy SCP protocol) is answered with a message saying so.
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          sftp.on('error', () => {});
          const announcer = new SessionAnnouncer(options.transferEvents, options.store, authenticated.partner.partnerId, serverId, log);
          serveSftp(sftp, { fs, spoolDir, log, announcer });
        });
        session.on('exec', (acceptExec, _reject, info) => {
          log(`sftp ${authenticated.user} exec refused`);
          refuseExec(acceptExec(), info.command);
        });
      });
    });
  });
}

/**
 * Public key only, user name = partner id. Every refusal looks the same to the client (unknown
 * partner, wrong key, other methods), so probing cannot tell which partner ids exist.
 * `onAccepted` runs before the accept, which may emit the connection's 'ready' synchronously.
 */
async function authenticate(
  ctx: AuthContext,
  partners: LoginDirectory,
  log: (line: string) => void,
  onAccepted: (login: Login) => void,
): Promise<void> {
  const user = JSON.stringify(ctx.username.slice(0, 64));
  // 'none' is every client's opening probe: answer with the one method we take, silently.
  if (ctx.method !== 'publickey') {
    if (ctx.method !== 'none') log(`sftp ${user} login refused: ${ctx.method} not accepted`);
    return ctx.reject(['publickey']);
  }
  const login = await findLogin(partners, ctx.username);
  const check = login ? checkPublicKey(ctx, login.keys) : 'no-match';
  if (check === 'key-ok') {
    return ctx.accept(); // only "this key would do": the client signs next
  }
  if (check === 'signature-ok' && login) {
    log(`sftp ${login.user === login.partner.partnerId ? login.user : `${login.user} (${login.partner.partnerId})`} login`);
    onAccepted(login);
    return ctx.accept();
  }
  log(`sftp ${user} login refused: ${login ? check : 'unknown user'}`);
  ctx.reject(['publickey']);
}
