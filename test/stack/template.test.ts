import { beforeAll, describe, expect, it } from 'vitest';
import { POLICY_RESOURCE_ACTIONS } from '../../shared/actions/managed-policy';
import { requiredPermissions } from '../../shared/actions/registry';
import { NOTIFY_PERMISSIONS } from '../../shared/notify/publish-report';
import { packageTemplate, type Template } from './package-template';

let template: Template;

beforeAll(() => {
  template = packageTemplate();
}, 120_000);

const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
/** `{ 'Fn::Sub': … }`, written with <AWS::AccountId> for ${AWS::AccountId}. */
const sub = (template: string) => ({
  'Fn::Sub': template.replace(/<([\w:]+)>/g, (_, name: string) => `\${${name}}`),
});

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

function roleStatements(): Statement[] {
  return template.Resources.IamRoleLambdaExecution?.Properties.Policies[0].PolicyDocument.Statement;
}
const roleAllows = () => roleStatements().filter((s) => s.Effect === 'Allow');
const roleDenies = () => roleStatements().filter((s) => s.Effect === 'Deny');

/** The policy document of the one topic policy that covers exactly this topic. */
function topicPolicy(topic: string): { Statement: Statement[] } {
  const policies = ofType('AWS::SNS::TopicPolicy').filter(
    (p) => JSON.stringify(p.Properties.Topics) === JSON.stringify([{ Ref: topic }]),
  );
  expect(policies).toHaveLength(1);
  return policies[0]?.Properties.PolicyDocument;
}

/** An ARN of the stack's own account: `{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:<path>' }`. */
const ofAccount = (path: string) => sub(`arn:<AWS::Partition>:iam::<AWS::AccountId>:${path}`);

/** Where an IAM action must be allowed: the account's users, its roles, or the responder's own policies. */
function expectedIamResource(action: string) {
  if (action === 'iam:PassRole') return { 'Fn::GetAtt': ['HoldCheckSchedulerRole', 'Arn'] };
  if ((POLICY_RESOURCE_ACTIONS as readonly string[]).includes(action))
    return ofAccount('policy/credential-responder/*');
  if (/^iam:\w*Role/.test(action)) return ofAccount('role/*');
  if (/^iam:\w*(User|AccessKey)/.test(action)) return ofAccount('user/*');
  throw new Error(`no expected resource for ${action}: decide its scope here and in the template`);
}

/** The IAM write verbs the execution role may never use on itself or on the member role. */
const IAM_WRITE_VERBS = [
  'iam:Add*',
  'iam:Attach*',
  'iam:Create*',
  'iam:Delete*',
  'iam:Detach*',
  'iam:PassRole',
  'iam:Put*',
  'iam:Remove*',
  'iam:Tag*',
  'iam:Untag*',
  'iam:Update*',
];

describe('the packaged stack', () => {
  it('has the four functions, by name, on nodejs22.x', () => {
    const functions = ofType('AWS::Lambda::Function').map((f) => [
      f.Properties.FunctionName,
      f.Properties.Runtime,
    ]);

    expect(functions.sort()).toEqual([
      ['credential-responder-prod-contain', 'nodejs22.x'],
      ['credential-responder-prod-followUp', 'nodejs22.x'],
      ['credential-responder-prod-onFinding', 'nodejs22.x'],
      ['credential-responder-prod-onRunbook', 'nodejs22.x'],
    ]);
  });

  it('routes each source and format to onFinding with one precise rule', () => {
    const rules = ofType('AWS::Events::Rule');
    const routed = rules.map((r) => {
      const pattern = r.Properties.EventPattern;
      return `${pattern.source.join()}: ${pattern['detail-type'].join()}`;
    });

    expect(routed.sort()).toEqual([
      'aws.guardduty: GuardDuty Finding',
      'aws.health: AWS Health Event',
      'aws.securityhub: Findings Imported V2',
      'aws.securityhub: Security Hub Findings - Imported,Security Hub Findings - Custom Action',
    ]);
    for (const rule of rules) {
      expect(rule.Properties.Targets[0].Arn).toEqual({
        'Fn::GetAtt': ['OnFindingLambdaFunction', 'Arn'],
      });
      expect(rule.Properties.EventPattern.detail).toBeDefined();
    }
  });

  it('subscribes onRunbook to the runbook and findings topics the stack creates, and only it', () => {
    const subscriptions = ofType('AWS::SNS::Subscription')
      .map((s) => s.Properties)
      .filter((s) => s.TopicArn.Ref !== 'NotificationTopic');

    expect(template.Resources.RunbookTopic?.Type).toBe('AWS::SNS::Topic');
    expect(template.Resources.FindingsTopic?.Type).toBe('AWS::SNS::Topic');
    expect(subscriptions.map((s) => s.TopicArn.Ref).sort()).toEqual([
      'FindingsTopic',
      'RunbookTopic',
    ]);
    for (const subscription of subscriptions) {
      expect(subscription).toMatchObject({
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': ['OnRunbookLambdaFunction', 'Arn'] },
      });
    }
  });

  it('sends the follow-up function the reports of containments only', () => {
    const onNotifications = ofType('AWS::SNS::Subscription')
      .map((s) => s.Properties)
      .filter((s) => s.TopicArn.Ref === 'NotificationTopic');

    expect(onNotifications).toEqual([
      {
        TopicArn: { Ref: 'NotificationTopic' },
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': ['FollowUpLambdaFunction', 'Arn'] },
        FilterPolicy: { outcome: ['contained'], record: ['report'] },
      },
    ]);
  });

  it('runs hold checks from one-time schedules as a role that may only invoke the follow-up function', () => {
    const group = template.Resources.HoldCheckScheduleGroup;
    const role = template.Resources.HoldCheckSchedulerRole?.Properties ?? {};
    const followUpArn = sub(
      'arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:credential-responder-prod-followUp',
    );

    expect(group).toEqual({
      Type: 'AWS::Scheduler::ScheduleGroup',
      Properties: { Name: 'credential-responder-prod' },
    });
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    expect(role.Policies).toEqual([
      {
        PolicyName: 'invoke-follow-up',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: followUpArn }],
        },
      },
    ]);
    const followUp = ofType('AWS::Lambda::Function').find(
      (f) => f.Properties.FunctionName === 'credential-responder-prod-followUp',
    );
    expect(followUp?.Properties.Environment.Variables).toMatchObject({
      FOLLOW_UP_FUNCTION_ARN: followUpArn,
      HOLD_CHECK_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': ['HoldCheckSchedulerRole', 'Arn'] },
      HOLD_CHECK_SCHEDULE_GROUP: 'credential-responder-prod',
    });
  });

  it('creates and deletes schedules in its own group only, passing the scheduler role to Scheduler only', () => {
    const scheduling = roleAllows().filter((s) =>
      asList(s.Action).some((a) => a.startsWith('scheduler:') || a === 'iam:PassRole'),
    );

    expect(scheduling).toEqual([
      {
        Effect: 'Allow',
        Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        Resource: sub(
          'arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/credential-responder-prod/*',
        ),
      },
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: { 'Fn::GetAtt': ['HoldCheckSchedulerRole', 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('names and encrypts the topics: the stack key for notifications and findings', () => {
    const topic = (id: string) => template.Resources[id]?.Properties;

    expect(topic('RunbookTopic')).toEqual({
      TopicName: 'credential-responder-prod-runbook',
      KmsMasterKeyId: 'alias/aws/sns',
    });
    expect(topic('NotificationTopic')).toEqual({
      TopicName: 'credential-responder-prod-notifications',
      KmsMasterKeyId: { Ref: 'TopicKey' },
    });
    expect(topic('FindingsTopic')).toEqual({
      TopicName: 'credential-responder-prod-findings',
      KmsMasterKeyId: { Ref: 'TopicKey' },
    });
    expect(template.Outputs).toMatchObject({
      RunbookTopicArn: { Value: { Ref: 'RunbookTopic' } },
      NotificationTopicArn: { Value: { Ref: 'NotificationTopic' } },
      FindingsTopicArn: { Value: { Ref: 'FindingsTopic' } },
    });
  });

  it('lets nobody publish runbook requests by default: an unconditional Deny, no Allow, TLS only', () => {
    const publishers = { 'Fn::Split': [',', ''] };

    expect(template.Conditions?.HasRunbookPublishers).toEqual({
      'Fn::Not': [{ 'Fn::Equals': ['', ''] }],
    });
    expect(topicPolicy('RunbookTopic').Statement).toEqual([
      {
        Sid: 'DenyAllButRunbookPublishers',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: { Ref: 'RunbookTopic' },
        Condition: {
          'Fn::If': [
            'HasRunbookPublishers',
            { ArnNotLike: { 'aws:PrincipalArn': publishers } },
            { Ref: 'AWS::NoValue' },
          ],
        },
      },
      {
        'Fn::If': [
          'HasRunbookPublishers',
          {
            Sid: 'AllowRunbookPublishers',
            Effect: 'Allow',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: { Ref: 'RunbookTopic' },
            Condition: { ArnLike: { 'aws:PrincipalArn': publishers } },
          },
          { Ref: 'AWS::NoValue' },
        ],
      },
      {
        Sid: 'DenyWithoutTls',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: { Ref: 'RunbookTopic' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('lets only EventBridge rules of this account publish findings', () => {
    expect(topicPolicy('FindingsTopic').Statement).toEqual([
      {
        Sid: 'DenyAllButEventBridge',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: { Ref: 'FindingsTopic' },
        Condition: { StringNotEquals: { 'aws:PrincipalServiceName': 'events.amazonaws.com' } },
      },
      {
        Sid: 'AllowEventBridgeRulesOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: 'FindingsTopic' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': sub('arn:<AWS::Partition>:events:*:<AWS::AccountId>:rule/*'),
          },
        },
      },
    ]);
  });

  it("lets only the responder and the account's alarms publish notifications (the follow-up reads them)", () => {
    expect(topicPolicy('NotificationTopic').Statement).toEqual([
      {
        Sid: 'DenyAllButTheResponderAndAlarms',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: { Ref: 'NotificationTopic' },
        Condition: {
          ArnNotEquals: {
            'aws:PrincipalArn': sub(
              'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/credential-responder-prod-<AWS::Region>-lambdaRole',
            ),
          },
          StringNotEquals: { 'aws:PrincipalServiceName': 'cloudwatch.amazonaws.com' },
        },
      },
      {
        Sid: 'AllowAlarmsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: 'NotificationTopic' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': sub(
              'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
            ),
          },
        },
      },
      {
        Sid: 'DenyWithoutTls',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: { Ref: 'NotificationTopic' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('creates a rotated key for the topics that the account, CloudWatch and EventBridge may use', () => {
    const key = template.Resources.TopicKey;
    const ofThisAccount = { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } };

    expect(key?.Type).toBe('AWS::KMS::Key');
    expect(key?.Properties.EnableKeyRotation).toBe(true);
    expect(key?.Properties.KeyPolicy.Statement).toEqual([
      {
        Sid: 'EnableIamPolicies',
        Effect: 'Allow',
        Principal: { AWS: sub('arn:<AWS::Partition>:iam::<AWS::AccountId>:root') },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'AllowCloudWatchAlarmsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: {
          StringEquals: ofThisAccount,
          ArnLike: {
            'aws:SourceArn': sub(
              'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
            ),
          },
        },
      },
      {
        Sid: 'AllowEventBridgeOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: ofThisAccount },
      },
    ]);
    // The role's policy names the key: the key's policy naming the role would be a cycle.
    expect(JSON.stringify(key)).not.toContain('IamRoleLambdaExecution');
    expect(template.Resources.TopicKeyAlias).toEqual({
      Type: 'AWS::KMS::Alias',
      Properties: {
        AliasName: 'alias/credential-responder-prod',
        TargetKeyId: { Ref: 'TopicKey' },
      },
    });
  });

  it('grants exactly the IAM, STS, CloudTrail and GuardDuty actions the code declares, IAM scoped to its own account', () => {
    const granted = roleAllows()
      .flatMap((s) => asList(s.Action))
      .filter((a) => /^(iam|sts|cloudtrail|guardduty|scheduler|organizations):/.test(a));

    expect(granted.sort()).toEqual(requiredPermissions());
    for (const statement of roleAllows().filter((s) =>
      asList(s.Action).some((a) => a.startsWith('iam:')),
    )) {
      for (const action of asList(statement.Action)) {
        expect(statement.Resource, action).toEqual(expectedIamResource(action));
      }
    }
  });

  it("reads GuardDuty findings only: this account's detectors in this region", () => {
    const guardDuty = roleAllows().filter((s) =>
      asList(s.Action).some((a) => a.startsWith('guardduty:')),
    );

    expect(guardDuty).toEqual([
      {
        Effect: 'Allow',
        Action: ['guardduty:GetFindings'],
        Resource: sub('arn:<AWS::Partition>:guardduty:<AWS::Region>:<AWS::AccountId>:detector/*'),
      },
    ]);
  });

  it("attaches and detaches only the responder's own managed policies (iam:PolicyARN)", () => {
    const attaching = roleAllows().filter((s) =>
      asList(s.Action).some((a) => /^iam:(Attach|Detach)/.test(a)),
    );

    expect(attaching).toEqual([
      {
        Effect: 'Allow',
        Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
        Resource: ofAccount('user/*'),
        Condition: { ArnLike: { 'iam:PolicyARN': ofAccount('policy/credential-responder/*') } },
      },
      {
        Effect: 'Allow',
        Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        Resource: ofAccount('role/*'),
        Condition: { ArnLike: { 'iam:PolicyARN': ofAccount('policy/credential-responder/*') } },
      },
    ]);
    // Every other IAM Allow is unconditional but PassRole's (tested with the schedules): the
    // condition belongs to these two only.
    for (const statement of roleAllows().filter(
      (s) =>
        asList(s.Action)[0]?.startsWith('iam:') &&
        !attaching.includes(s) &&
        !asList(s.Action).includes('iam:PassRole'),
    )) {
      expect(statement.Condition, JSON.stringify(statement.Action)).toBeUndefined();
    }
  });

  it('grants nothing else but logging, publishing to its topic (with its key) and the failure queue', () => {
    expect(roleAllows().length + roleDenies().length).toBe(roleStatements().length);
    for (const statement of roleAllows()) {
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
      if (service.has('kms')) {
        expect(actions.sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['TopicKey', 'Arn'] });
      }
      if (service.has('sqs')) {
        expect(actions).toEqual(['sqs:SendMessage']);
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['FailedIncidentsQueue', 'Arn'] });
      }
      expect([
        'logs',
        'sts',
        'iam',
        'cloudtrail',
        'guardduty',
        'scheduler',
        'organizations',
        'sns',
        'kms',
        'sqs',
      ]).toContain([...service][0]);
    }
  });

  it('asks for a root session only to delete root credentials, only in allowed accounts, and only with ROOT_KEYS=delete', () => {
    expect(roleAllows().filter((s) => asList(s.Action).includes('sts:AssumeRoot'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRoot'],
        Resource: sub('arn:<AWS::Partition>:iam::*:root'),
        Condition: {
          ArnEquals: {
            'sts:TaskPolicyArn': 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials',
          },
          StringEquals: {
            'aws:ResourceAccount': {
              'Fn::If': ['DeletesRootKeys', { 'Fn::Split': [',', ''] }, ['']],
            },
          },
        },
      },
    ]);
    expect(template.Conditions?.DeletesRootKeys).toEqual({ 'Fn::Equals': ['escalate', 'delete'] });
    // The role itself never deletes a key: only the root session, under AWS's task policy.
    expect(roleAllows().flatMap((s) => asList(s.Action))).not.toContain('iam:DeleteAccessKey');
  });

  it('assumes the member role only in the accounts of ALLOWED_ACCOUNT_IDS (none by default)', () => {
    const memberRole = sub('arn:<AWS::Partition>:iam::*:role/credential-responder-member');
    const allowed = { 'Fn::Split': [',', ''] };

    expect(roleAllows().filter((s) => asList(s.Action).includes('sts:AssumeRole'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: memberRole,
        Condition: { StringEquals: { 'aws:ResourceAccount': allowed } },
      },
    ]);
    // The Deny also covers a member role in the responder's own account, whose trust policy alone
    // would admit the responder; with no ALLOWED_ACCOUNT_IDS it has no condition at all.
    expect(template.Conditions?.HasAllowedAccounts).toEqual({
      'Fn::Not': [{ 'Fn::Equals': ['', ''] }],
    });
    expect(roleDenies()[0]).toEqual({
      Effect: 'Deny',
      Action: ['sts:AssumeRole'],
      Resource: memberRole,
      Condition: {
        'Fn::If': [
          'HasAllowedAccounts',
          { StringNotEquals: { 'aws:ResourceAccount': allowed } },
          { Ref: 'AWS::NoValue' },
        ],
      },
    });
  });

  it('denies the role any IAM write on itself and on the member role of its account', () => {
    // The role's own ARN, from the name the framework gives it: Fn::Join of strings and Refs.
    const roleName: { 'Fn::Join': [string, unknown[]] } =
      template.Resources.IamRoleLambdaExecution?.Properties.RoleName;
    const [separator, parts] = roleName['Fn::Join'];
    const name = parts
      .map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`))
      .join(separator);

    expect(name).toBe('credential-responder-prod-<AWS::Region>-lambdaRole');
    expect(roleDenies()).toHaveLength(2);
    expect(roleDenies()[1]).toEqual({
      Effect: 'Deny',
      Action: IAM_WRITE_VERBS,
      Resource: [
        sub(`arn:<AWS::Partition>:iam::<AWS::AccountId>:role/${name}`),
        sub('arn:<AWS::Partition>:iam::<AWS::AccountId>:role/credential-responder-member'),
      ],
    });
  });

  it('retries async invocations twice, then sends the event to the failure queue', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map((c) => c.Properties);

    expect(configs.map((c) => c.FunctionName.Ref).sort()).toEqual([
      'FollowUpLambdaFunction',
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
      'Errors',
      'Reapplied',
      'StillInUse',
    ]);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: 'NotificationTopic' }]);
  });

  it('has a dashboard of the metrics the code emits, and of every alarm', () => {
    const dashboard = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboard).toHaveLength(1);
    const body = dashboard[0]?.Properties.DashboardBody['Fn::Sub'] as string;
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': 'us-east-1',
      'AWS::AccountId': '123456789012',
    };
    const resolved = body.replace(/\$\{(AWS::\w+)\}/g, (_, name: string) => pseudo[name] ?? name);
    const widgets: { type: string; properties: Record<string, any> }[] =
      JSON.parse(resolved).widgets;
    const charted = JSON.stringify(widgets.filter((w) => w.type === 'metric'));

    // The metric names and dimension sets shared/metrics/ and the follow-up write.
    for (const search of [
      '{CredentialResponder,Outcome,Source,service} MetricName=\\"Incidents\\"',
      '{CredentialResponder,FindingType,Outcome,service} MetricName=\\"IncidentsByFindingType\\"',
      '{CredentialResponder,Source,service} MetricName=\\"TimeToContain\\"',
      '{CredentialResponder,Source,service} MetricName=\\"Escalations\\"',
      '{CredentialResponder,Source,service} MetricName=\\"Failures\\"',
    ]) {
      expect(charted, search).toContain(search);
    }
    for (const name of ['StillInUse', 'Reapplied', 'CreatedKeysContained']) {
      expect(charted).toContain(
        `["CredentialResponder","${name}","Service","credential-responder"`,
      );
    }
    const alarms = ofType('AWS::CloudWatch::Alarm').map(
      (a) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${a.Properties.AlarmName}`,
    );
    const shown = widgets.find((w) => w.type === 'alarm')?.properties.alarms;
    expect([...shown].sort()).toEqual(alarms.sort());
  });

  it('tells the functions where to publish reports, which topics to trust and whom', () => {
    for (const fn of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        NOTIFICATION_TOPIC_ARN: { Ref: 'NotificationTopic' },
        FINDINGS_TOPIC_ARN: { Ref: 'FindingsTopic' },
        RUNBOOK_TOPIC_ARN: { Ref: 'RunbookTopic' },
        RUNBOOK_PUBLISHERS: '',
        ALLOWED_ACCOUNT_IDS: '',
        MEMBER_ROLE_NAME: 'credential-responder-member',
        MIN_SEVERITY: 'MEDIUM',
        FINDING_TYPES: '',
        FOLLOW_UP_SWEEP: 'true',
        SWEEP_WINDOW_HOURS: '24',
        FOLLOW_UP_REGIONS: '',
        HOLD_CHECK: 'true',
        HOLD_CHECK_DELAY_MINUTES: '15',
        HOLD_CHECK_SCHEDULE_GROUP: 'credential-responder-prod',
        DRY_RUN: 'false',
        INSTANCE_REVOCATION: 'instance',
        PROTECTED_PRINCIPALS: '',
        REVOCATION_MARGIN_SECONDS: '30',
      });
    }
  });
});
