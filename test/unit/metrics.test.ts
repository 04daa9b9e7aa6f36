import { describe, expect, it } from 'vitest';
import { EmfUploadMetrics, flowOf, METRICS_NAMESPACE } from '../../lambdas/adapters/metrics.ts';
import { metricsTable, summarizeEmf } from '../../lambdas/core/diagnostics/emf-summary.ts';
import type { UploadRecord } from '../../lambdas/core/uploads/upload.ts';

const upload = (extra: Partial<UploadRecord> = {}): UploadRecord =>
  ({
    partnerId: 'acme',
    uploadId: 'u1',
    area: 'employees',
    folder: 'all',
    status: 'Succeeded',
    receivedAt: '2026-12-01T10:00:00.000Z',
    counts: { rowsRead: 10, rowsApplied: 8, rowsRejected: 2 },
    ...extra,
  }) as UploadRecord;

function emitted(act: (m: EmfUploadMetrics) => void): Record<string, unknown>[] {
  const lines: string[] = [];
  act(new EmfUploadMetrics((line) => lines.push(line), 'svc'));
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('upload metric lines (EMF)', () => {
  it('counts a received upload per flow, the partner id as metadata and never a dimension', () => {
    // Act
    const [line, ...more] = emitted((m) => m.received(upload()));
    // Assess
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          { Namespace: METRICS_NAMESPACE, Dimensions: [['service', 'flow']], Metrics: [{ Name: 'UploadsReceived', Unit: 'Count' }] },
        ],
      },
      service: 'svc',
      flow: 'employees/all',
      UploadsReceived: 1,
      partnerId: 'acme',
      uploadId: 'u1',
    });
    expect(JSON.stringify((line?._aws as { CloudWatchMetrics: unknown } | undefined)?.CloudWatchMetrics)).not.toContain('partnerId');
  });

  it('counts a settled upload per status, its rows, a System failure and its seconds since receipt', () => {
    const lines = emitted((m) => m.settled(upload({ status: 'Rejected', systemFailure: true }), new Date('2026-12-01T10:00:30.000Z')));
    expect(lines).toEqual([
      expect.objectContaining({ flow: 'employees/all', status: 'Rejected', UploadsSettled: 1 }),
      expect.objectContaining({
        flow: 'employees/all',
        UploadsFailedOnOurSide: 1,
        RowsRead: 10,
        RowsApplied: 8,
        RowsRejected: 2,
        ProcessingSeconds: 30,
      }),
    ]);
    expect(lines[1]).not.toHaveProperty('status');
  });

  it('keeps the flow dimension bounded: a misplaced folder is one value', () => {
    expect(flowOf({ area: 'employees', folder: 'whatever-the-partner-typed' })).toBe('misplaced');
    expect(flowOf({ area: 'flexben', folder: 'removal' })).toBe('flexben/removal');
  });

  it('sums the lines back into counters, as `benefits-exchange metrics` prints them', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = new EmfUploadMetrics((line) => lines.push(line), 'svc');
    metrics.received(upload());
    metrics.received(upload({ uploadId: 'u2' }));
    metrics.settled(upload(), new Date('2026-12-01T10:00:10.000Z'));
    metrics.settled(
      upload({ status: 'Rejected', counts: { rowsRead: 1, rowsApplied: 0, rowsRejected: 1 } }),
      new Date('2026-12-01T10:00:20.000Z'),
    );

    // Act
    const totals = summarizeEmf(['not json', ...lines], METRICS_NAMESPACE);

    // Assess
    const value = (metric: string, status?: string) => totals.find((t) => t.metric === metric && t.dimensions.status === status)?.sum;
    expect(value('UploadsReceived')).toBe(2);
    expect([value('UploadsSettled', 'Succeeded'), value('UploadsSettled', 'Rejected')]).toEqual([1, 1]);
    expect([value('RowsRead'), value('RowsApplied'), value('RowsRejected')]).toEqual([11, 8, 3]);
    expect(metricsTable(totals)).toMatch(/ProcessingSeconds\s+employees\/all\s+avg 15\.0 s, max 20\.0 s \(2\)/);
  });
});
