import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { randomBytes } from 'node:crypto';
import { EmfUploadMetrics, type UploadMetrics } from '../lambdas/adapters/metrics.ts';

/**
 * Local mode's metrics: the same EMF lines Lambda writes to stdout, sent to the emulator's
 * CloudWatch Logs (a group per prefix) the way Lambda's stdout reaches CloudWatch. Lines are
 * batched and sent in order; `flush()` waits for what is queued. A failed send is reported on
 * the log and dropped: metrics never stop an upload.
 */

export interface LocalMetrics {
  readonly metrics: UploadMetrics;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalMetrics(endpoint: string, logGroup: string, log: (line: string) => void): Promise<LocalMetrics> {
  const credentials = process.env.AWS_ACCESS_KEY_ID ? undefined : { accessKeyId: 'test', secretAccessKey: 'test' };
  const client = new CloudWatchLogsClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...(credentials ? { credentials } : {}),
  });
  const stream = `local-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  await client.send(new CreateLogGroupCommand({ logGroupName: logGroup })).catch((error: Error) => {
    if (error.name !== 'ResourceAlreadyExistsException') throw error;
  });
  await client.send(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: stream }));

  let pending: { timestamp: number; message: string }[] = [];
  let sending: Promise<void> = Promise.resolve();
  const send = (): Promise<void> => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return sending;
    sending = sending
      .then(() => client.send(new PutLogEventsCommand({ logGroupName: logGroup, logStreamName: stream, logEvents: batch })))
      .then(
        () => undefined,
        (error: Error) => log(`WARN metrics not sent: ${error.name}`),
      );
    return sending;
  };
  const metrics = new EmfUploadMetrics((message) => {
    pending.push({ timestamp: Date.now(), message });
    queueMicrotask(() => void send());
  });
  return {
    metrics,
    flush: send,
    close: async () => {
      await send();
      client.destroy();
    },
  };
}
