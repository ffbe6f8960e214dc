import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { onFinding } from '../../functions/on-finding';
import { followUpRecord } from '../../shared/follow-up/follow-up-record';
import { publishRecord, reportSubject } from '../../shared/notify/publish-report';
import type { Report } from '../../shared/report/report';
import { captureLogs, loadEvent, TEST_CONFIG, testDeps } from '../support/deps';
import { mockAccount } from '../support/mock-aws';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:credential-responder-prod-notifications';
const context = { awsRequestId: 'req-1' };
let aws: ReturnType<typeof mockAccount>;
let sns: ReturnType<typeof mockSns>;
const mockSns = () => mockClient(SNSClient);

beforeEach(() => {
  aws = mockAccount();
  sns = mockSns();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterEach(() => {
  aws.restore();
  sns.restore();
  vi.restoreAllMocks();
});

/** The first published message, as the JSON structure SNS reads with MessageStructure json. */
const published = (): Record<string, unknown> =>
  JSON.parse(String(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message));

const notifying = (logger?: ReturnType<typeof captureLogs>['logger']) => ({
  ...testDeps(logger ? { logger } : {}),
  config: { ...TEST_CONFIG, notificationTopicArn: TOPIC },
});

describe('notifications', () => {
  it('publishes the report with a subject a person can triage', async () => {
    const [report] = await onFinding(
      loadEvent('guardduty-akia-iam-user.json'),
      context,
      notifying(),
    );

    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: '[CONTAINED] IAMUser demo-ci-deployer in 123456789012',
      MessageStructure: 'json',
      // What the followUp subscription's filter reads.
      MessageAttributes: {
        outcome: { DataType: 'String', StringValue: 'contained' },
        record: { DataType: 'String', StringValue: 'report' },
      },
    });
    const message = published();
    // Machine subscribers (the followUp function among them) get the report as JSON.
    for (const protocol of ['default', 'lambda', 'sqs', 'email-json', 'http']) {
      expect(JSON.parse(String(message[protocol]))).toEqual(report);
    }
    // Chat gets the card; email gets text for people.
    expect(JSON.parse(String(message.https))).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: 'CONTAINED: IAMUser demo-ci-deployer in 123456789012',
        nextSteps: expect.arrayContaining([expect.stringMatching(/^Rotate the key: /)]),
      },
      metadata: { threadId: report?.incidentId },
    });
    expect(String(message.email)).toMatch(
      /^CONTAINED: IAMUser demo-ci-deployer in 123456789012\n\nWhat a person must do:\n {2}1\. /,
    );
    expect(message).not.toHaveProperty('outcome');
  });

  it('publishes a follow-up record the same way', async () => {
    const record = followUpRecord({
      check: 'hold',
      incidentId: 'guardduty-f1',
      accessKeyId: 'AKIAEXAMPLEDEMO00001',
      outcome: 'still-in-use',
      reason: 'ALARM: key AKIAEXAMPLEDEMO00001 used successfully 1 time(s) after containment',
    });

    await publishRecord(
      '[FOLLOW-UP STILL-IN-USE] guardduty-f1',
      record,
      TOPIC,
      testDeps().clients,
      captureLogs().logger,
    );

    expect(sns).toHaveReceivedCommandExactlyOnceWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: '[FOLLOW-UP STILL-IN-USE] guardduty-f1',
      MessageStructure: 'json',
      // Never a containment to follow up: the followUp filter wants record: report.
      MessageAttributes: {
        outcome: { DataType: 'String', StringValue: 'still-in-use' },
        record: { DataType: 'String', StringValue: 'follow-up' },
      },
    });
    const message = published();
    expect(JSON.parse(String(message.lambda))).toEqual(record);
    expect(JSON.parse(String(message.https)).content.title).toBe(
      'FOLLOW-UP STILL-IN-USE: key AKIAEXAMPLEDEMO00001',
    );
  });

  it('notifies skipped findings too', async () => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    event.detail.severity = 2;

    const [report] = await onFinding(event, context, notifying());

    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
    expect(report).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/below MIN_SEVERITY/),
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      Subject: expect.stringMatching(/^\[SKIPPED\]/),
    });
  });

  it('logs a failed publish and keeps the containment', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AuthorizationError' }));
    const logs = captureLogs();

    const [report] = await onFinding(
      loadEvent('guardduty-akia-iam-user.json'),
      context,
      notifying(logs.logger),
    );

    expect(report?.outcome).toBe('contained');
    expect(aws.iam).toHaveReceivedCommandOnce(UpdateAccessKeyCommand);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/notification failed/),
        errorCode: 'AuthorizationError',
      }),
    );
  });

  it('publishes nothing when no topic is configured', async () => {
    await onFinding(loadEvent('guardduty-akia-iam-user.json'), context, testDeps());

    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});

describe('reportSubject', () => {
  const base = {
    outcome: 'failed',
    principal: null,
    accessKeyId: null,
    accountId: null,
  } as unknown as Report;

  it('names the input as invalid when nothing else is known', () => {
    expect(reportSubject(base)).toBe('[FAILED] invalid input');
  });

  it('keeps to 100 printable ASCII characters', () => {
    const long = {
      ...base,
      principal: { type: 'IAMUser', name: `é${'x'.repeat(200)}`, arn: null },
    } as Report;

    const subject = reportSubject(long);

    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});
