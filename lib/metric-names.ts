/**
 * The upload metrics' namespace and names (SPEC §17): emitted by the handlers
 * (lambdas/adapters/metrics.ts), graphed by the stack's dashboard, summed by
 * `benefits-exchange metrics`. One list, so a renamed metric cannot leave a blank graph.
 */

export const METRICS_NAMESPACE = 'BenefitsExchange';

export const METRIC = {
  received: 'UploadsReceived',
  settled: 'UploadsSettled',
  systemFailures: 'UploadsFailedOnOurSide',
  rowsRead: 'RowsRead',
  rowsApplied: 'RowsApplied',
  rowsRejected: 'RowsRejected',
  processingSeconds: 'ProcessingSeconds',
} as const;
