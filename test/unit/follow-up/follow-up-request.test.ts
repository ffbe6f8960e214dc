import { describe, expect, it } from 'vitest';
import { type FollowUpIntake, intakeFollowUp } from '../../../shared/follow-up/follow-up-request';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:credential-responder-prod-notifications';
const OTHER_TOPIC = 'arn:aws:sns:us-east-1:123456789012:someone-elses-topic';
const KEY = 'AKIAEXAMPLEFOLLOW001';
const INCIDENT = 'guardduty-follow0up0test0001-AKIAEXAMPLEFOLLOW001';

/** A report as publish-report.ts puts it on the notification topic (the parts read, and some more). */
const report = (parts: Record<string, unknown> = {}) => ({
  incidentId: INCIDENT,
  accessKeyId: KEY,
  outcome: 'contained',
  startedAt: '2026-11-22T09:50:00.000Z',
  containMs: 2_500,
  reason: 'contained',
  actions: [],
  ...parts,
});

const snsRecord = (message: unknown, topicArn = TOPIC) => ({
  EventSource: 'aws:sns',
  EventVersion: '1.0',
  Sns: {
    Type: 'Notification',
    MessageId: 'm-1',
    TopicArn: topicArn,
    Subject: '[CONTAINED] x',
    Message: typeof message === 'string' ? message : JSON.stringify(message, null, 2),
    Timestamp: '2026-11-22T09:50:03.000Z',
  },
});
const sns = (...records: ReturnType<typeof snsRecord>[]) => ({ Records: records });

const ignored = (intakes: FollowUpIntake[]) =>
  intakes.map((i) => (i.kind === 'ignored' ? i.reason : `request ${i.request.incidentId}`));

describe('reports from the notification topic', () => {
  it('turns a contained report into a sweep that schedules the hold check', () => {
    const intakes = intakeFollowUp(sns(snsRecord(report())), TOPIC);

    expect(intakes).toEqual([
      {
        kind: 'request',
        request: {
          check: 'sweep',
          incidentId: INCIDENT,
          accessKeyId: KEY,
          containedAt: new Date('2026-11-22T09:50:02.500Z'),
          scheduleHoldCheck: true,
        },
      },
    ]);
  });

  it('sweeps after a root key deletion but schedules no hold check: a deleted key cannot come back', () => {
    const root = report({
      principal: { type: 'Root', name: 'root', arn: 'arn:aws:iam::210987654321:root' },
    });
    const [intake] = intakeFollowUp(sns(snsRecord(root)), TOPIC);

    expect(intake).toMatchObject({
      kind: 'request',
      request: { check: 'sweep', scheduleHoldCheck: false },
    });
  });

  it('takes the start of the incident as the containment when containMs is null', () => {
    const [intake] = intakeFollowUp(sns(snsRecord(report({ containMs: null }))), TOPIC);
    expect(intake?.kind === 'request' && intake.request.containedAt).toEqual(
      new Date('2026-11-22T09:50:00.000Z'),
    );
  });

  it('answers each record of a batch on its own', () => {
    const intakes = intakeFollowUp(
      sns(
        snsRecord(report()),
        snsRecord(report({ outcome: 'escalated' })),
        snsRecord(report({ incidentId: 'second', accessKeyId: 'ASIAEXAMPLEFOLLOW002' })),
      ),
      TOPIC,
    );

    expect(intakes.map((i) => i.kind)).toEqual(['request', 'ignored', 'request']);
    expect(intakes[2]).toMatchObject({
      request: { incidentId: 'second', accessKeyId: 'ASIAEXAMPLEFOLLOW002', check: 'sweep' },
    });
  });

  it('ignores a report from any other topic', () => {
    const intakes = intakeFollowUp(sns(snsRecord(report(), OTHER_TOPIC)), TOPIC);
    expect(intakes).toEqual([
      { kind: 'ignored', reason: expect.stringMatching(/not NOTIFICATION_TOPIC_ARN/) },
    ]);
  });

  it('ignores every SNS report when no notification topic is configured', () => {
    expect(ignored(intakeFollowUp(sns(snsRecord(report())), undefined))).toEqual([
      expect.stringMatching(/not NOTIFICATION_TOPIC_ARN/),
    ]);
  });

  it('quotes at most 256 characters of a foreign topic name', () => {
    const [intake] = intakeFollowUp(sns(snsRecord(report(), `arn:${'x'.repeat(500)}`)), TOPIC);
    expect(intake?.kind).toBe('ignored');
    expect(intake?.kind === 'ignored' && intake.reason).not.toContain('x'.repeat(257));
  });

  it.each(['escalated', 'planned', 'released', 'skipped', 'failed', 'CONTAINED'])(
    'ignores a report whose outcome is %s',
    (outcome) => {
      expect(ignored(intakeFollowUp(sns(snsRecord(report({ outcome }))), TOPIC))).toEqual([
        expect.stringMatching(/nothing to follow up/),
      ]);
    },
  );

  it.each<[string, Record<string, unknown>]>([
    ['no access key (a role release)', { accessKeyId: null }],
    ['an empty access key', { accessKeyId: '' }],
    ['a user id instead of a key', { accessKeyId: 'AIDAEXAMPLEFOLLOW001' }],
    ['a lower-case key', { accessKeyId: 'akiaexamplefollow001' }],
    ['a key with trailing text', { accessKeyId: `${KEY} ` }],
  ])('ignores a contained report with %s', (_, parts) => {
    const intakes = intakeFollowUp(sns(snsRecord(report(parts))), TOPIC);
    expect(intakes).toHaveLength(1);
    expect(intakes[0]?.kind).toBe('ignored');
  });

  it.each<[string, unknown]>([
    ['not JSON', 'CONTAINED: AKIAEXAMPLEFOLLOW001'],
    ['JSON that is not an object', '"contained"'],
    ['a report without an incident id', report({ incidentId: undefined })],
    ['a report with a bad incident id', report({ incidentId: 'has spaces' })],
    ['a report with no start', report({ startedAt: undefined })],
    ['a report with a bad start', report({ startedAt: 'yesterday' })],
    ['a report with containMs as text', report({ containMs: '2500' })],
    ['a report with a long outcome', report({ outcome: 'c'.repeat(33) })],
    ['a report with a containMs past any date', report({ containMs: 1e20 })],
    ['a report with a negative containMs', report({ containMs: -1 })],
    ['a report whose start is not ISO (Date.parse would take "1")', report({ startedAt: '1' })],
    ['a report whose start has no zone', report({ startedAt: '2026-11-22T10:00:00' })],
  ])('ignores %s', (_, message) => {
    const intakes = intakeFollowUp(sns(snsRecord(message as string)), TOPIC);
    expect(intakes).toEqual([{ kind: 'ignored', reason: expect.any(String) }]);
  });

  it('ignores a batch of more than 100 records entirely', () => {
    const records = Array.from({ length: 101 }, () => snsRecord(report()));
    const intakes = intakeFollowUp({ Records: records }, TOPIC);
    expect(intakes).toEqual([
      { kind: 'ignored', reason: expect.stringMatching(/^not a valid SNS event/) },
    ]);
  });

  it('accepts a batch of exactly 100 records', () => {
    const records = Array.from({ length: 100 }, () => snsRecord(report()));
    expect(intakeFollowUp({ Records: records }, TOPIC).every((i) => i.kind === 'request')).toBe(
      true,
    );
  });

  it.each<[string, unknown]>([
    ['no records', { Records: [] }],
    ['records that are not SNS', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }],
    ['a message that is not a string', { Records: [{ Sns: { TopicArn: TOPIC, Message: {} } }] }],
  ])('ignores an SNS-looking event with %s', (_, event) => {
    expect(intakeFollowUp(event, TOPIC)).toEqual([
      { kind: 'ignored', reason: expect.stringMatching(/^not a valid SNS event/) },
    ]);
  });
});

describe('direct requests (the hold-check schedule, or a person)', () => {
  it.each(['sweep', 'hold-check'] as const)('accepts a %s request', (followUp) => {
    expect(intakeFollowUp({ followUp, incidentId: INCIDENT, accessKeyId: KEY }, TOPIC)).toEqual([
      {
        kind: 'request',
        request: {
          check: followUp,
          incidentId: INCIDENT,
          accessKeyId: KEY,
          scheduleHoldCheck: false,
        },
      },
    ]);
  });

  it('reads containedAt as a date, and never schedules a hold check from a direct request', () => {
    const [intake] = intakeFollowUp(
      {
        followUp: 'hold-check',
        incidentId: INCIDENT,
        accessKeyId: 'ASIAEXAMPLEFOLLOW001',
        containedAt: '2026-11-22T09:50:02.500Z',
      },
      undefined,
    );
    expect(intake).toEqual({
      kind: 'request',
      request: {
        check: 'hold-check',
        incidentId: INCIDENT,
        accessKeyId: 'ASIAEXAMPLEFOLLOW001',
        containedAt: new Date('2026-11-22T09:50:02.500Z'),
        scheduleHoldCheck: false,
      },
    });
  });

  it('rejects an unknown field without naming it', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const intakes = intakeFollowUp(
      { followUp: 'sweep', incidentId: INCIDENT, accessKeyId: KEY, [secret]: 'x' },
      TOPIC,
    );
    expect(intakes).toEqual([
      { kind: 'ignored', reason: expect.stringMatching(/unknown field\(s\)/) },
    ]);
    expect(JSON.stringify(intakes)).not.toContain(secret);
  });

  it.each<[string, Record<string, unknown>]>([
    ['scheduleHoldCheck smuggled in', { scheduleHoldCheck: true }],
    ['an unknown check', { followUp: 'release' }],
    ['no check', { followUp: undefined }],
    ['a bad key id', { accessKeyId: 'AKIA123' }],
    ['a user id', { accessKeyId: 'AIDAEXAMPLEFOLLOW001' }],
    ['no key', { accessKeyId: undefined }],
    ['an incident id with spaces', { incidentId: 'incident 1' }],
    ['an incident id with a newline', { incidentId: 'incident\n1' }],
    ['an incident id of 257 characters', { incidentId: 'i'.repeat(257) }],
    ['an empty incident id', { incidentId: '' }],
    ['a containedAt that is no date', { containedAt: 'not a date' }],
    ['a containedAt that is too long', { containedAt: `2026-11-22T09:50:00Z${' '.repeat(40)}` }],
    ['a containedAt that is a number', { containedAt: 1_795_340_000_000 }],
  ])('ignores a request with %s', (_, parts) => {
    const intakes = intakeFollowUp(
      { followUp: 'sweep', incidentId: INCIDENT, accessKeyId: KEY, ...parts },
      TOPIC,
    );
    expect(intakes).toEqual([
      { kind: 'ignored', reason: expect.stringMatching(/^not a follow-up request/) },
    ]);
  });

  it.each([null, undefined, 'sweep', 42, []])('ignores %j', (event) => {
    expect(intakeFollowUp(event, TOPIC)).toEqual([
      { kind: 'ignored', reason: expect.stringMatching(/^not a follow-up request/) },
    ]);
  });
});
