import { beforeAll, describe, expect, it } from 'vitest';
import { requiredPermissions } from '../../shared/actions/registry';
import { NOTIFY_PERMISSIONS } from '../../shared/notify/publish-report';
import { packageTemplate, type Template } from './package-template';

let template: Template;

beforeAll(() => {
  template = packageTemplate();
}, 120_000);

const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function roleStatements(): Statement[] {
  return template.Resources.IamRoleLambdaExecution?.Properties.Policies[0].PolicyDocument.Statement;
}

describe('the packaged stack', () => {
  it('has the three functions, by name, on nodejs22.x', () => {
    const functions = ofType('AWS::Lambda::Function').map((f) => [
      f.Properties.FunctionName,
      f.Properties.Runtime,
    ]);

    expect(functions.sort()).toEqual([
      ['credential-responder-prod-contain', 'nodejs22.x'],
      ['credential-responder-prod-onFinding', 'nodejs22.x'],
      ['credential-responder-prod-onRunbook', 'nodejs22.x'],
    ]);
  });

  it('routes each source to onFinding with one precise rule', () => {
    const rules = ofType('AWS::Events::Rule');

    expect(rules.map((r) => r.Properties.EventPattern.source[0]).sort()).toEqual([
      'aws.guardduty',
      'aws.health',
      'aws.securityhub',
    ]);
    for (const rule of rules) {
      expect(rule.Properties.Targets[0].Arn).toEqual({
        'Fn::GetAtt': ['OnFindingLambdaFunction', 'Arn'],
      });
      expect(rule.Properties.EventPattern.detail).toBeDefined();
    }
  });

  it('subscribes onRunbook to the runbook topic the stack creates', () => {
    const [subscription] = ofType('AWS::SNS::Subscription');

    expect(template.Resources.RunbookTopic?.Type).toBe('AWS::SNS::Topic');
    expect(subscription?.Properties).toMatchObject({
      TopicArn: { Ref: 'RunbookTopic' },
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': ['OnRunbookLambdaFunction', 'Arn'] },
    });
  });

  it('grants exactly the IAM, STS and CloudTrail actions the code declares, IAM scoped to its own account', () => {
    const granted = roleStatements()
      .flatMap((s) => asList(s.Action))
      .filter((a) => /^(iam|sts|cloudtrail):/.test(a));

    expect(granted.sort()).toEqual(requiredPermissions());
    for (const statement of roleStatements().filter((s) =>
      asList(s.Action).some((a) => a.startsWith('iam:')),
    )) {
      expect(JSON.stringify(statement.Resource)).toMatch(
        /:iam::\$\{AWS::AccountId\}:(user|role)\/\*/,
      );
    }
  });

  it('grants nothing else but logging, publishing to its topic and the failure queue', () => {
    for (const statement of roleStatements()) {
      expect(statement.Effect).toBe('Allow');
      const actions = asList(statement.Action);
      const service = new Set(actions.map((a) => a.split(':')[0]));
      expect(service.size).toBe(1);
      expect(actions.every((a) => !a.includes('*'))).toBe(true);
      if (service.has('logs'))
        expect(JSON.stringify(statement.Resource)).toContain(
          'log-group:/aws/lambda/credential-responder-prod',
        );
      if (service.has('sns')) {
        expect(actions).toEqual([...NOTIFY_PERMISSIONS]);
        expect(statement.Resource).toEqual({ Ref: 'NotificationTopic' });
      }
      if (service.has('sqs')) {
        expect(actions).toEqual(['sqs:SendMessage']);
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['FailedIncidentsQueue', 'Arn'] });
      }
      expect(['logs', 'sts', 'iam', 'cloudtrail', 'sns', 'sqs']).toContain([...service][0]);
    }
  });

  it('retries async invocations twice, then sends the event to the failure queue', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map((c) => c.Properties);

    expect(configs.map((c) => c.FunctionName.Ref).sort()).toEqual([
      'OnFindingLambdaFunction',
      'OnRunbookLambdaFunction',
    ]);
    for (const config of configs) {
      expect(config).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['FailedIncidentsQueue', 'Arn'] } },
        },
      });
    }
    expect(template.Resources.FailedIncidentsQueue?.Type).toBe('AWS::SQS::Queue');
  });

  it('keeps logs a year and alarms on failures to the notification topic', () => {
    for (const group of ofType('AWS::Logs::LogGroup'))
      expect(group.Properties.RetentionInDays).toBe(365);
    const alarms = ofType('AWS::CloudWatch::Alarm').map((a) => a.Properties);

    expect(alarms.map((a) => a.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'Errors',
    ]);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: 'NotificationTopic' }]);
  });

  it('tells the functions where to publish reports', () => {
    const onFinding = template.Resources.OnFindingLambdaFunction?.Properties;

    expect(onFinding?.Environment.Variables).toMatchObject({
      NOTIFICATION_TOPIC_ARN: { Ref: 'NotificationTopic' },
      MIN_SEVERITY: 'MEDIUM',
      DRY_RUN: 'false',
      PROTECTED_PRINCIPALS: '',
      REVOCATION_MARGIN_SECONDS: '30',
    });
  });
});
