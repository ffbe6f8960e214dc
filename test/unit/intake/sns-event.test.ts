import { describe, expect, it } from 'vitest';
import { intakeEvent } from '../../../shared/intake/any-event';
import { intakeSnsEvent } from '../../../shared/intake/sns-event';
import { loadEvent, TOPICS } from '../../support/deps';

describe('intakeSnsEvent', () => {
  it('reads the runbook request inside the message string', () => {
    const [intake] = intakeSnsEvent(loadEvent('sns-runbook-contain.json'), 'fallback', TOPICS);

    expect(intake).toEqual({
      kind: 'request',
      request: {
        incidentId: 'sns-5d5e2a8c-1111-4222-8333-944455556666',
        source: 'runbook',
        trigger: 'sns',
        accessKeyId: 'AKIAEXAMPLEDEMO00004',
        reason: 'key found in a public repository',
      },
    });
  });

  it('gives one intake per record, a bad record failing on its own', () => {
    const event = loadEvent('sns-runbook-contain.json');
    const bad = structuredClone(event.Records[0]);
    bad.Sns.MessageId = 'second';
    bad.Sns.Message = '{"runbook": "contain", "accessKeyId": ';
    event.Records.push(bad);

    const intakes = intakeSnsEvent(event, 'fallback', TOPICS);

    expect(intakes.map((i) => i.kind)).toEqual(['request', 'rejected']);
    expect(intakes[1]).toMatchObject({
      rejected: {
        incidentId: 'sns-second',
        outcome: 'failed',
        reason: expect.stringMatching(/not JSON/),
      },
    });
  });

  it('accepts a GuardDuty event fanned out through the findings topic', () => {
    const [intake] = intakeSnsEvent(loadEvent('sns-guardduty-finding.json'), 'fallback', TOPICS);

    expect(intake).toMatchObject({
      kind: 'request',
      request: { accessKeyId: 'AKIAEXAMPLEDEMO00007', source: 'guardduty', trigger: 'sns' },
    });
  });

  it('refuses a finding event on the runbook topic', () => {
    const event = loadEvent('sns-runbook-contain.json');
    event.Records[0].Sns.Message = JSON.stringify(loadEvent('guardduty-akia-iam-user.json'));

    expect(intakeSnsEvent(event, 'fallback', TOPICS)).toMatchObject([
      { rejected: { outcome: 'failed', reason: expect.stringMatching(/runbook requests only/) } },
    ]);
  });

  it('refuses a runbook request on the findings topic', () => {
    const event = loadEvent('sns-guardduty-finding.json');
    event.Records[0].Sns.Message = JSON.stringify({
      runbook: 'contain',
      accessKeyId: 'AKIAEXAMPLEDEMO00007',
    });

    expect(intakeSnsEvent(event, 'fallback', TOPICS)).toMatchObject([
      { rejected: { outcome: 'failed', reason: expect.stringMatching(/only AWS finding events/) } },
    ]);
  });

  it.each([
    ['another topic', 'arn:aws:sns:us-east-1:123456789012:anyone-can-publish'],
    [
      'a topic of the same name in another account',
      TOPICS.runbookTopicArn.replace('123456789012', '999999999999'),
    ],
  ])('refuses a message from %s', (_label, topicArn) => {
    const event = loadEvent('sns-runbook-contain.json');
    event.Records[0].Sns.TopicArn = topicArn;

    expect(intakeSnsEvent(event, 'fallback', TOPICS)).toMatchObject([
      {
        rejected: {
          outcome: 'failed',
          reason: expect.stringMatching(/neither RUNBOOK_TOPIC_ARN nor FINDINGS_TOPIC_ARN/),
        },
      },
    ]);
  });

  it('refuses every message when no topic is configured', () => {
    expect(intakeSnsEvent(loadEvent('sns-runbook-contain.json'), 'fallback', {})).toMatchObject([
      { rejected: { outcome: 'failed' } },
    ]);
  });

  it('fails an event with no records', () => {
    expect(intakeSnsEvent({ Records: [] }, 'fallback', TOPICS)).toMatchObject([
      { rejected: { outcome: 'failed', reason: expect.stringMatching(/Records/) } },
    ]);
  });
});

/** The first (here: only) intake of an event. */
const intakeFirst = (body: unknown, trigger: 'console', id: string) =>
  intakeEvent(body, trigger, id, 'anything')[0];

describe('intakeEvent', () => {
  it('accepts a runbook request without a reason', () => {
    expect(
      intakeFirst({ runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00003' }, 'console', 'c-1'),
    ).toEqual({
      kind: 'request',
      request: {
        incidentId: 'c-1',
        source: 'runbook',
        trigger: 'console',
        accessKeyId: 'AKIAEXAMPLEDEMO00003',
        reason: 'manual request (no reason given)',
      },
    });
  });

  it('refuses an unknown field without echoing its value', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const intake = intakeFirst(
      { runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00003', secretAccessKey: secret },
      'console',
      'c-1',
    );

    expect(intake).toMatchObject({
      rejected: { outcome: 'failed', reason: expect.stringMatching(/1 unknown field/) },
    });
    expect(JSON.stringify(intake)).not.toContain(secret);
  });

  it('refuses an unknown runbook', () => {
    expect(
      intakeFirst({ runbook: 'delete', accessKeyId: 'AKIAEXAMPLEDEMO00003' }, 'console', 'c-1'),
    ).toMatchObject({
      rejected: { outcome: 'failed', reason: expect.stringMatching(/runbook/) },
    });
  });

  it.each([null, 'contain', 42, [], {}])('refuses %j as an unrecognised event', (body) => {
    expect(intakeFirst(body, 'console', 'c-1')).toMatchObject({
      rejected: { outcome: 'failed', reason: expect.stringMatching(/unrecognised event/) },
    });
  });
});
