import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import type { Log } from '../app/ingest/pipeline-deps.ts';

/**
 * The one Powertools setup of every function: a logger (Lambda context added per invocation,
 * ids appended as persistent keys while one upload runs), and a tracer (X-Ray; off outside
 * Lambda). Its own small module, so job bundles import it without the upload flows.
 */

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'benefits-exchange';

export const logger = new Logger({ serviceName });
export const tracer = new Tracer({ serviceName });

/** The flows' {@link Log} on the Powertools logger: ids and counts only, never personal data. */
export const lambdaLog: Log = {
  info: (message, attributes) => logger.info(message, (attributes ?? {}) as LogAttributes),
  warn: (message, attributes) => logger.warn(message, (attributes ?? {}) as LogAttributes),
  error: (message, attributes) => logger.error(message, (attributes ?? {}) as LogAttributes),
  appendKeys: (keys) => logger.appendPersistentKeys(keys as LogAttributes),
  removeKeys: (keys) => logger.removePersistentKeys(keys),
};

/**
 * Wraps a Lambda handler: the invocation's context on every log line (request id, function,
 * cold start) and a traced `## handler` subsegment with the cold-start annotation. The SDK
 * clients are traced where they are made (aws-clients.ts).
 */
export function instrumented<E, R>(handler: (event: E, context?: Context) => Promise<R>): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const segment = parent?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
    if (segment) {
      tracer.setSegment(segment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
    }
    try {
      return await handler(event, context);
    } catch (error) {
      if (segment) tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      if (segment && parent) {
        segment.close();
        tracer.setSegment(parent);
      }
    }
  };
}

/** Traces an SDK v3 client in Lambda (every call a subsegment); unchanged elsewhere. */
export function traced<T>(client: T): T {
  return tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client;
}
