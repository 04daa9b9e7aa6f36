import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  TextWidget,
  TreatMissingData,
  type IAlarm,
  type IAlarmAction,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../metric-names.ts';
import type { ExchangeFunction } from './exchange-function.ts';

/**
 * What an operator on call looks at (SPEC §17): one CloudWatch dashboard of the upload metrics
 * the handlers emit (per status, rows, processing time), the queues (depth, oldest message),
 * the DLQs, the functions (errors, throttles) and every alarm; plus the alarms that page on a
 * queue falling behind and on a function's error rate. Plain AWS::CloudWatch resources only.
 */

export interface OperationsDashboardProps {
  /** The processing queues by name; their oldest message's age is alarmed on. */
  readonly queues: Readonly<Record<string, Queue>>;
  readonly deadLetterQueues: Readonly<Record<string, Queue>>;
  /** Every function (queue consumers and jobs); each gets an error-rate alarm. */
  readonly functions: Readonly<Record<string, ExchangeFunction>>;
  /** Alarms made elsewhere (DLQ depth, errors) to show on the dashboard besides this construct's. */
  readonly otherAlarms: readonly IAlarm[];
  readonly alarmAction: IAlarmAction;
  /**
   * Seconds the oldest message of a queue may wait before the alarm fires.
   * @default 900 (15 minutes); the uploads queue gets its function's timeout twice (a big upload holds its partner's group)
   */
  readonly maxMessageAgeSeconds?: Readonly<Record<string, number>>;
  /**
   * Share of a function's invocations that may fail in 5 minutes.
   * @default 0.05
   */
  readonly maxErrorRate?: number;
}

const FIVE_MINUTES = Duration.minutes(5);

/** A SEARCH over the upload metrics: every flow (and status) the handlers emitted, one line each. */
function search(metric: string, statistic: string, dimensions: string, label: string): IMetric {
  return new MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimensions}} MetricName="${metric}"', '${statistic}', 300)`,
    usingMetrics: {},
    label,
    period: FIVE_MINUTES,
  });
}

export class OperationsDashboard extends Construct {
  public readonly dashboard: Dashboard;
  public readonly queueAgeAlarms: Alarm[] = [];
  public readonly errorRateAlarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const maxRate = props.maxErrorRate ?? 0.05;
    if (maxRate <= 0 || maxRate >= 1) throw new Error(`${id}: maxErrorRate must be between 0 and 1, got ${maxRate}`);

    for (const [name, queue] of Object.entries(props.queues)) {
      const seconds = props.maxMessageAgeSeconds?.[name] ?? 900;
      const alarm = queue
        .metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' })
        .createAlarm(this, `${name}OldestMessageAlarm`, {
          alarmDescription: `The oldest message of the ${name} queue has waited more than ${seconds} s: processing is stuck or behind`,
          threshold: seconds,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
      alarm.addAlarmAction(props.alarmAction);
      this.queueAgeAlarms.push(alarm);
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      const rate = new MathExpression({
        expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
        usingMetrics: {
          errors: fn.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
          invocations: fn.function.metricInvocations({ period: FIVE_MINUTES, statistic: 'Sum' }),
        },
        label: `${name} error rate (%)`,
        period: FIVE_MINUTES,
      });
      const alarm = rate.createAlarm(this, `${name}ErrorRateAlarm`, {
        alarmDescription: `More than ${maxRate * 100}% of ${name}'s invocations failed in 5 minutes, twice in a row`,
        threshold: maxRate * 100,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(props.alarmAction);
      this.errorRateAlarms.push(alarm);
    }

    const queues = Object.entries(props.queues);
    const dlqs = Object.entries(props.deadLetterQueues);
    const functions = Object.entries(props.functions);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(24) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Benefits exchange\nUploads, queues and functions. Runbook: docs/operations.md. Partner ids are in the metric lines (metadata), not dimensions.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Uploads received, and settled per status',
        left: [search(METRIC.received, 'Sum', 'flow,service', 'received'), search(METRIC.settled, 'Sum', 'flow,service,status', 'settled')],
        width: 12,
      }),
      new GraphWidget({
        title: 'Rows read, applied, rejected',
        left: [METRIC.rowsRead, METRIC.rowsApplied, METRIC.rowsRejected].map((m) => search(m, 'Sum', 'flow,service', m)),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Processing time, receipt to final status (s)',
        left: [
          search(METRIC.processingSeconds, 'Average', 'flow,service', 'average'),
          search(METRIC.processingSeconds, 'Maximum', 'flow,service', 'maximum'),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Uploads failed on our side (System)',
        left: [search(METRIC.systemFailures, 'Sum', 'flow,service', 'System failures')],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Queue depth (visible messages)',
        left: queues.map(([name, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label: name }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Oldest message age (s)',
        left: queues.map(([name, q]) => q.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum', label: name })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Dead-letter queue depth',
        left: dlqs.map(([name, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label: `${name} DLQ` }),
        ),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Function errors',
        left: functions.map(([name, fn]) => fn.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: name })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Function throttles',
        left: functions.map(([name, fn]) => fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label: name })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...props.otherAlarms, ...this.queueAgeAlarms, ...this.errorRateAlarms],
        width: 24,
      }),
    );
  }
}
