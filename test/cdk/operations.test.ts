import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitsExchangeStack } from '../../lib/benefits-exchange-stack.ts';
import { METRIC } from '../../lib/metric-names.ts';
import { FUNCTIONS, JOBS, QUEUE_NAMES, queueOutputKeys } from '../../lib/resources.ts';
import { logicalId, ref, removeAssembly, synthApp } from './synth-app.ts';

/** SPEC §17 in the template: tracing on every function, the dashboard, the operators' alarms. */
describe('BenefitsExchangeStack (dev): observability', () => {
  let app: App;
  let stack: BenefitsExchangeStack;
  let template: Template;
  const functionCount = Object.keys(FUNCTIONS).length + Object.keys(JOBS).length;

  beforeAll(() => {
    ({ app, stack, template } = synthApp({ env: 'dev', bundle: false, cfnValidation: false }));
  });

  afterAll(() => removeAssembly(app));

  it('traces every function with X-Ray, capturing no responses', () => {
    const resources = template.toJSON().Resources as Record<
      string,
      { Properties: { TracingConfig?: unknown; Environment: { Variables: Record<string, string> } } }
    >;
    const ours = [...Object.values(stack.functions), ...Object.values(stack.jobs)].map((f) => logicalId(f.function));
    expect(ours).toHaveLength(functionCount);
    for (const fn of ours.map((id) => resources[id]!)) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACER_CAPTURE_RESPONSE).toBe('false');
    }
  });

  it('has a dashboard of the upload metrics, the queues, the DLQs, errors, throttles and alarms', () => {
    // Prepare
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    // The body is a Fn::Join of JSON text and references: references become their logical ids.
    const parts = (Object.values(dashboards)[0]?.Properties.DashboardBody['Fn::Join'][1] ?? []) as unknown[];
    const body = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p).replace(/"/g, "'"))).join('');
    const widgets = (JSON.parse(body) as { widgets: { type: string; properties: { title?: string; metrics?: unknown[][] } }[] }).widgets;
    const titles = widgets.map((w) => w.properties.title).filter(Boolean);

    // Assess
    expect(titles).toEqual([
      'Uploads received, and settled per status',
      'Rows read, applied, rejected',
      'Processing time, receipt to final status (s)',
      'Uploads failed on our side (System)',
      'Queue depth (visible messages)',
      'Oldest message age (s)',
      'Dead-letter queue depth',
      'Function errors',
      'Function throttles',
      'Alarms',
    ]);
    for (const metric of Object.values(METRIC)) expect(body, metric).toContain(`MetricName=\\"${metric}\\"`);
    expect(body).toContain(`SEARCH('{BenefitsExchange,flow,service,status} MetricName=\\"UploadsSettled\\"'`);
    const graphed = (title: string) => JSON.stringify(widgets.find((w) => w.properties.title === title)?.properties.metrics);
    expect(graphed('Function errors').match(/"Errors"/g)).toHaveLength(functionCount);
    expect(graphed('Function throttles').match(/"Throttles"/g)).toHaveLength(functionCount);
    expect(body).not.toContain('partnerId');
    for (const q of QUEUE_NAMES) expect(body).toContain(logicalId(stack.deadLetterQueues[q]));
    template.hasOutput('DashboardName', { Value: ref(stack.operations.dashboard) });
  });

  it("alarms on the oldest message of each queue and on each function's error rate, to the alarm topic", () => {
    const topic = ref(stack.alarmTopic);
    for (const q of QUEUE_NAMES) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack.queues[q]), 'QueueName'] } }],
        Threshold: q === 'uploads' ? 2 * FUNCTIONS.processUpload.timeoutSeconds : 900,
        AlarmActions: [topic],
      });
    }
    const rates = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)' })]) },
    });
    expect(Object.keys(rates)).toHaveLength(functionCount);
    for (const alarm of Object.values(rates))
      expect(alarm.Properties).toMatchObject({ Threshold: 5, EvaluationPeriods: 2, AlarmActions: [topic] });
    // DLQ depth alarms stay as they were, one per queue.
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible' }, QUEUE_NAMES.length);
  });

  it("outputs every queue's and DLQ's URL for queues redrive", () => {
    for (const q of QUEUE_NAMES) {
      template.hasOutput(queueOutputKeys(q).queue, { Value: ref(stack.queues[q]) });
      template.hasOutput(queueOutputKeys(q).deadLetter, { Value: ref(stack.deadLetterQueues[q]) });
    }
  });
});
