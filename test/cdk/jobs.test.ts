import type { App } from 'aws-cdk-lib';
import { Capture, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitsExchangeStack } from '../../lib/benefits-exchange-stack.ts';
import { loadEnvironmentConfig } from '../../lib/config/environments.ts';
import { ENV, JOB_NAMES, JOBS, jobOutputKey, QUEUES, TABLES, type JobDefinition, type TableName } from '../../lib/resources.ts';
import { cronOf } from '../../lib/schedules.ts';
import { getAtt, logicalId, ref, removeAssembly, synthApp } from './synth-app.ts';

describe('BenefitsExchangeStack (dev): scheduled jobs and the platform events loader', () => {
  const config = loadEnvironmentConfig('dev');
  let app: App;
  let stack: BenefitsExchangeStack;
  let template: Template;

  beforeAll(() => {
    ({ app, stack, template } = synthApp({ env: 'dev', bundle: false, cfnValidation: false }));
  });

  afterAll(() => removeAssembly(app));

  const resource = (construct: Parameters<typeof logicalId>[0]) => template.toJSON().Resources[logicalId(construct)];

  it('turns monthly and daily settings into EventBridge cron expressions', () => {
    expect(cronOf({ dayOfMonth: 25, hourUtc: 3, minuteUtc: 0 })).toEqual({ minute: '0', hour: '3', day: '25' });
    expect(cronOf({ hourUtc: 2, minuteUtc: 30 })).toEqual({ minute: '30', hour: '2' });
  });

  it('runs payroll on the configured day and hour, reports monthly, the eligible lists nightly and the approval expiry daily', () => {
    const rules = template.findResources('AWS::Events::Rule');
    const byTarget = new Map(
      Object.values(rules).map((r) => {
        const props = r.Properties as { ScheduleExpression: string; Targets: { Arn: unknown; Input: string }[] };
        return [JSON.stringify(props.Targets[0]?.Arn), props] as const;
      }),
    );
    const ruleOf = (job: keyof typeof JOBS) => byTarget.get(JSON.stringify(getAtt(stack.jobs[job].function)));
    const { payroll, reports, eligibleLists } = config.schedules;
    expect(ruleOf('payroll')?.ScheduleExpression).toBe(`cron(${payroll.minuteUtc} ${payroll.hourUtc} ${payroll.dayOfMonth} * ? *)`);
    expect(ruleOf('payroll')?.ScheduleExpression).toBe('cron(0 3 25 * ? *)');
    expect(ruleOf('reports')?.ScheduleExpression).toBe('cron(0 4 1 * ? *)');
    expect(ruleOf('eligibleLists')?.ScheduleExpression).toBe(`cron(${eligibleLists.minuteUtc} ${eligibleLists.hourUtc} * * ? *)`);
    expect(ruleOf('expireApprovals')?.ScheduleExpression).toBe('cron(30 1 * * ? *)');
    expect(reports.dayOfMonth).toBe(1);
    for (const job of JOB_NAMES) expect(JSON.parse(ruleOf(job)?.Targets[0]?.Input ?? '{}')).toEqual({ scheduled: true });
    // One schedule per job; the other rule routes transfer results (transfer-results.test.ts).
    expect(Object.values(rules).filter((r) => (r.Properties as { ScheduleExpression?: string }).ScheduleExpression)).toHaveLength(
      JOB_NAMES.length,
    );
  });

  it.each(JOB_NAMES)('gives the %s job a function sized by its definition, its tables, the bucket and an error alarm', (name) => {
    const def: JobDefinition = JOBS[name];
    const fn = resource(stack.jobs[name].function).Properties;
    expect(fn).toMatchObject({
      Runtime: 'nodejs22.x',
      Timeout: def.timeoutSeconds,
      MemorySize: def.memoryMiB,
      Environment: {
        Variables: {
          [ENV.bucket]: ref(stack.bucket),
          ...Object.fromEntries((Object.keys(def.tables) as TableName[]).map((t) => [TABLES[t].envVar, ref(stack.tables[t])])),
        },
      },
    });
    const statements = new Capture();
    template.hasResourceProperties('AWS::IAM::Policy', { Roles: [ref(stack.jobs[name].role)], PolicyDocument: { Statement: statements } });
    const list = statements.asArray() as { Action: string | string[]; Resource: unknown }[];
    for (const table of Object.keys(TABLES) as TableName[]) {
      const access = (def.tables as Partial<Record<TableName, string>>)[table];
      const actions = list
        .filter((s) => [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(getAtt(stack.tables[table]))))
        .flatMap((s) => [s.Action].flat());
      expect(actions.includes('dynamodb:Query')).toBe(access !== undefined);
      expect(actions.includes('dynamodb:PutItem')).toBe(access === 'readWrite');
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'FunctionName', Value: ref(stack.jobs[name].function) }],
    });
    template.hasOutput(jobOutputKey(name), { Value: ref(stack.jobs[name].function) });
  });

  it.each(JOB_NAMES)('lets the %s job invoke itself only when a scheduled run fans out per partner', (name) => {
    const def: JobDefinition = JOBS[name];
    const selfInvoke = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => {
      const props = p.Properties as { Roles: unknown[]; PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } };
      return (
        JSON.stringify(props.Roles) === JSON.stringify([ref(stack.jobs[name].role)]) &&
        props.PolicyDocument.Statement.some(
          (st) =>
            st.Action === 'lambda:InvokeFunction' && JSON.stringify(st.Resource) === JSON.stringify(getAtt(stack.jobs[name].function)),
        )
      );
    });
    expect(selfInvoke).toHaveLength(def.fanOut ? 1 : 0);
  });

  it('lets EventBridge, and nothing else, invoke the job functions', () => {
    for (const name of JOB_NAMES) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: getAtt(stack.jobs[name].function),
        Principal: 'events.amazonaws.com',
      });
    }
  });

  it('feeds platform event files to the loader through their own queue with a dead-letter queue and alarm', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(stack.functions.loadEvents.function),
      EventSourceArn: getAtt(stack.queues.platformEvents),
    });
    expect(resource(stack.queues.platformEvents).Properties).toMatchObject({
      RedrivePolicy: {
        deadLetterTargetArn: getAtt(stack.deadLetterQueues.platformEvents),
        maxReceiveCount: QUEUES.platformEvents.maxReceiveCount,
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: getAtt(stack.deadLetterQueues.platformEvents, 'QueueName') }],
    });
  });
});
