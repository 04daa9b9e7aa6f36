import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import type { Log } from '../ingest/pipeline-deps.ts';

/**
 * The one Powertools logger of a Lambda process (JSON lines with the function's context), seen
 * by the flows through the small `Log` port. Local mode and the CLI supply their own `Log`.
 */
export const logger = new Logger({ serviceName: 'benefits-exchange' });

export const lambdaLog: Log = {
  info: (message, attributes) => logger.info(message, (attributes ?? {}) as LogAttributes),
  warn: (message, attributes) => logger.warn(message, (attributes ?? {}) as LogAttributes),
  error: (message, attributes) => logger.error(message, (attributes ?? {}) as LogAttributes),
};
