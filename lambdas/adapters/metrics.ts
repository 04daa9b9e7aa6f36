import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { uploadFolderSpec } from '../core/partners/tree.ts';
import type { UploadRecord } from '../core/uploads/upload.ts';
import { METRIC, METRICS_NAMESPACE } from '../../lib/metric-names.ts';

/**
 * Upload metrics (SPEC §17) as CloudWatch embedded metric format (EMF) lines, built by Powertools
 * Metrics: one namespace, dimensions only of bounded sets (service, flow, status) — the partner
 * id goes in as metadata, searchable in the log line but never a dimension, so a thousand
 * partners do not make a thousand metrics. In Lambda the lines go to stdout (CloudWatch Logs
 * turns them into metrics); local mode sends them to the emulator's CloudWatch Logs, where
 * `benefits-exchange metrics` reads them back.
 */

export { METRIC, METRICS_NAMESPACE };

/** What the ingest path reports; a port, so tests and local mode plug in their own sink. */
export interface UploadMetrics {
  received(upload: UploadRecord): void;
  /** `now` is when it settled: processing seconds run from its receipt. */
  settled(upload: UploadRecord, now: Date): void;
}

/** The flow dimension: the upload folder (`employees/all`, `flexben/removal`, …), `misplaced` for any other. */
export function flowOf(upload: Pick<UploadRecord, 'area' | 'folder'>): string {
  return uploadFolderSpec(upload.area, upload.folder) ? `${upload.area}/${upload.folder}` : 'misplaced';
}

/** EMF lines through Powertools Metrics, each handed to `emit` (one JSON document per line). */
export class EmfUploadMetrics implements UploadMetrics {
  constructor(
    private readonly emit: (line: string) => void,
    private readonly serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'benefits-exchange',
  ) {}

  received(upload: UploadRecord): void {
    this.publish(upload, { flow: flowOf(upload) }, (m) => m.addMetric(METRIC.received, MetricUnit.Count, 1));
  }

  settled(upload: UploadRecord, now: Date): void {
    const flow = flowOf(upload);
    this.publish(upload, { flow, status: upload.status }, (m) => m.addMetric(METRIC.settled, MetricUnit.Count, 1));
    this.publish(upload, { flow }, (m) => {
      if (upload.systemFailure) m.addMetric(METRIC.systemFailures, MetricUnit.Count, 1);
      if (upload.counts) {
        m.addMetric(METRIC.rowsRead, MetricUnit.Count, upload.counts.rowsRead);
        m.addMetric(METRIC.rowsApplied, MetricUnit.Count, upload.counts.rowsApplied);
        m.addMetric(METRIC.rowsRejected, MetricUnit.Count, upload.counts.rowsRejected);
      }
      const seconds = (now.getTime() - Date.parse(upload.receivedAt)) / 1000;
      if (Number.isFinite(seconds) && seconds >= 0) m.addMetric(METRIC.processingSeconds, MetricUnit.Seconds, seconds);
    });
  }

  private publish(upload: UploadRecord, dimensions: Record<string, string>, add: (m: Metrics) => void): void {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: this.serviceName });
    metrics.addDimensions(dimensions);
    add(metrics);
    if (!metrics.hasStoredMetrics()) return;
    metrics.addMetadata('partnerId', upload.partnerId);
    metrics.addMetadata('uploadId', upload.uploadId);
    this.emit(JSON.stringify(metrics.serializeMetrics()));
    metrics.clearMetrics();
  }
}

/** Lambda's sink: stdout, one line per document, which CloudWatch Logs reads as EMF. */
export const stdoutMetrics = (): UploadMetrics => new EmfUploadMetrics((line) => process.stdout.write(`${line}\n`));
