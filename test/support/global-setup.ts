import { createServer } from 'node:net';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startEmulator, type Emulator } from '../../local/moto.ts';

/**
 * Starts one moto server for the whole run (or uses AWS_ENDPOINT_URL, e.g. a LocalStack) and
 * hands its endpoint to every test file. Files isolate themselves with their own resource names.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
    /** A moto server of its own for the deploy test (see below). */
    deployEndpoint: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let emulator: Emulator | undefined;
let deployEmulator: Emulator | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  emulator = await startEmulator({ port: await freePort() });
  project.provide('awsEndpoint', emulator.endpoint);
  // The deployed stack's scheduled rules sit on the emulator's default event bus, and moto answers
  // every PutEvents with a 500 while such a rule exists: upload results of all the other files
  // would be lost while the deploy test runs. So the deploy gets an emulator of its own.
  deployEmulator = await startEmulator({ port: await freePort() });
  project.provide('deployEndpoint', deployEmulator.endpoint);
  return async () => {
    await Promise.all([emulator?.stop(), deployEmulator?.stop()]);
  };
}
