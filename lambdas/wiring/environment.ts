import { ENV, QUEUES, SECRETS, TABLES, type QueueName, type SecretName, type TableName } from '../../lib/resources.ts';
import type { ResourceNames } from './repositories.ts';

/** A handler's settings from its environment, read once at the edge. */

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** A positive number from the environment, else `fallback`. */
export function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * The resource names a function was given. Only the bucket and the tables in `required` must be
 * set (each function gets just the tables its definition names, lib/resources.ts); the others
 * are blank and never used by that function.
 */
export function resourceNamesFromEnv(required: readonly TableName[]): ResourceNames {
  for (const name of required) requiredEnv(TABLES[name].envVar);
  const tables = Object.fromEntries(
    (Object.keys(TABLES) as TableName[]).map((name) => [name, process.env[TABLES[name].envVar] ?? '']),
  ) as Record<TableName, string>;
  const queues = Object.fromEntries(
    (Object.keys(QUEUES) as QueueName[]).map((name) => [name, process.env[QUEUES[name].envVar] ?? '']),
  ) as Record<QueueName, string>;
  const secrets = Object.fromEntries(
    (Object.keys(SECRETS) as SecretName[]).flatMap((name) =>
      process.env[SECRETS[name].envVar] ? [[name, process.env[SECRETS[name].envVar]]] : [],
    ),
  ) as Partial<Record<SecretName, string>>;
  return { bucket: requiredEnv(ENV.bucket), tables, queues, senderEmail: process.env[ENV.senderEmail] ?? '', secrets };
}
