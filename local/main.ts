import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalPipeline } from './local-pipeline.ts';
import { generateEd25519KeyPair } from './sftp/host-key.ts';
import { startEmulator } from './moto.ts';
import { restoreSnapshot, saveSnapshot } from './state-snapshot.ts';

/**
 * `npm run local [-- --persist DIR] [--sftp-port 2222] [--web-port 8080] [--emulator-port 4566] [--transfer-grace 900]`: the whole
 * pipeline on this machine, no AWS account needed (SPEC §12).
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    persist: { type: 'string' },
    'sftp-port': { type: 'string', default: '2222' },
    'emulator-port': { type: 'string', default: '4566' },
    // SPEC §18: the portal and its JSON API on one port.
    'web-port': { type: 'string', default: '8080' },
    // SPEC §15: seconds an upload waits for its transfer result before it is Interrupted.
    'transfer-grace': { type: 'string' },
  },
});

const log = (line: string): void => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
const stateDir = values.persist ?? join(new URL('..', import.meta.url).pathname, '.local-state');

/** One host key per checkout, so SFTP clients do not see the server's identity change at each start. */
async function hostKey(): Promise<string> {
  const file = join(stateDir, 'ssh_host_ed25519_key');
  if (existsSync(file)) return readFile(file, 'utf8');
  const generated = generateEd25519KeyPair().private;
  await mkdir(stateDir, { recursive: true });
  await writeFile(file, generated, { mode: 0o600 });
  return generated;
}

function transferGrace(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) {
    console.error(`benefits-exchange local: --transfer-grace must be a whole number of seconds, got "${value}"`);
    process.exit(2);
  }
  return seconds;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: Number(values['emulator-port']), log });
  log(`AWS API emulator at ${emulator.endpoint}`);
  const persistDir = values.persist;
  const pipeline = await startLocalPipeline({
    endpoint: emulator.endpoint,
    sftpPort: Number(values['sftp-port']),
    webPort: Number(values['web-port']),
    hostKey: await hostKey(),
    ...(persistDir ? { providerKeyFile: join(persistDir, 'provider-pgp-key.json') } : {}),
    log,
    transferGraceSeconds: transferGrace(values['transfer-grace']),
    beforeNotifications: persistDir
      ? async (resources) => {
          const { createAwsClients } = await import('../lambdas/adapters/aws-clients.ts');
          const restored = await restoreSnapshot(createAwsClients({ endpoint: emulator.endpoint }), resources, persistDir);
          if (restored > 0) log(`restored ${restored} objects and items from ${persistDir}`);
        }
      : undefined,
  });
  log(`SFTP server on 127.0.0.1:${pipeline.sftp.port}; bucket ${pipeline.resources.bucket}`);
  if (pipeline.web) log(`web channel (portal and /api/v1) at ${pipeline.web.url}`);
  console.log('benefits-exchange local: ready');

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await pipeline.stop();
    if (persistDir) {
      await saveSnapshot(pipeline.clients, pipeline.resources, persistDir);
      log(`state saved to ${persistDir}`);
    }
    await emulator.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`benefits-exchange local: failed to start: ${(error as Error).message}`);
  process.exit(1);
});
