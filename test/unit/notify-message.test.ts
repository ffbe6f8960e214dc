import { describe, expect, it } from 'vitest';
import {
  type FollowUpOutcome,
  type FollowUpRecord,
  followUpRecord,
} from '../../shared/follow-up/follow-up-record';
import { chatCard } from '../../shared/notify/chat-card';
import { emailText } from '../../shared/notify/email-text';
import {
  MAX_MESSAGE_BYTES,
  messageBytes,
  type NotificationMessage,
  notificationMessage,
} from '../../shared/notify/message';
import { buildReport, type ReportParts } from '../../shared/report/build-report';

const report = (parts: Partial<ReportParts> = {}) =>
  buildReport({
    incidentId: 'guardduty-f1',
    source: 'guardduty',
    trigger: 'eventbridge',
    accessKeyId: 'AKIAEXAMPLEDEMO00001',
    accountId: '123456789012',
    principal: { type: 'IAMUser', name: 'alice', arn: 'arn:aws:iam::123456789012:user/alice' },
    outcome: 'contained',
    reason:
      'IAMUser alice contained: GuardDuty finding UnauthorizedAccess:IAMUser/MaliciousIPCaller',
    actions: [
      {
        name: 'deactivate-access-key',
        target: 'user/alice key AKIAEXAMPLEDEMO00001',
        status: 'verified',
        detail: 'set to Inactive; read back: Inactive',
      },
    ],
    notes: ['Only key AKIAEXAMPLEDEMO00001 is deactivated.'],
    startedAt: new Date('2026-11-22T10:00:00Z'),
    finishedAt: new Date('2026-11-22T10:00:01Z'),
    ...parts,
  });

const followUp = (outcome: FollowUpOutcome): FollowUpRecord =>
  followUpRecord({
    check: 'hold',
    incidentId: 'guardduty-f1',
    accessKeyId: 'AKIAEXAMPLEDEMO00001',
    outcome,
    reason: `hold check: ${outcome}`,
  });

/** Protocol keys SNS knows (Publish, MessageStructure json). */
const KEYS = ['default', 'lambda', 'sqs', 'email-json', 'http', 'https', 'email', 'sms'];

/** What SNS delivers to `protocol`: its own key, or `default`. */
const delivered = (
  message: NotificationMessage,
  protocol: 'lambda' | 'sqs' | 'email-json' | 'http',
) => message[protocol] ?? message.default;

/** A report with `actions` long actions and 10 long notes, as a busy containment could write. */
const busy = (actions = 100, quoted = 12) =>
  report({
    actions: Array.from({ length: actions }, (_, n) => ({
      name: 'revoke-role-sessions',
      target: `role/app-${n} policy AWSRevokeOlderSessions`,
      status: 'verified' as const,
      detail: `inline policy AWSRevokeOlderSessions denies every session of role app-${n} issued before 2026-11-22T10:00:30Z; read back: cutoff 2026-11-22T10:00:30Z ${'"quoted" é '.repeat(quoted)}`,
    })),
    notes: Array.from(
      { length: 10 },
      (_, n) =>
        `Note ${n}: every workload that uses the role must refresh its credentials. ${'x'.repeat(800)}`,
    ),
  });

describe('notificationMessage', () => {
  it('gives machine subscribers the exact record as JSON', () => {
    const record = report();
    const message = notificationMessage(record);

    for (const key of ['default', 'lambda', 'sqs', 'email-json', 'http'] as const) {
      expect(JSON.parse(message[key] ?? '')).toEqual(record);
    }
  });

  it('gives chat the card, email the text, SMS a line', () => {
    const record = report();
    const message = notificationMessage(record);

    expect(JSON.parse(message.https)).toEqual(chatCard(record));
    expect(message.email).toBe(emailText(record, { withJson: true }));
    expect(message.sms).toBe('CONTAINED: IAMUser alice in 123456789012');
    expect(Object.keys(message).sort()).toEqual([...KEYS].sort());
  });

  it('does the same for a follow-up record', () => {
    const record = followUp('still-in-use');
    const message = notificationMessage(record);

    expect(JSON.parse(message.lambda ?? '')).toEqual(record);
    expect(JSON.parse(message.https).content.title).toBe(
      'FOLLOW-UP STILL-IN-USE: key AKIAEXAMPLEDEMO00001',
    );
    expect(message.email.split('\n')[0]).toBe('FOLLOW-UP STILL-IN-USE: key AKIAEXAMPLEDEMO00001');
  });

  it('stays under 256 KB for a report with 100 actions and long notes', () => {
    const record = busy();
    const message = notificationMessage(record);

    expect(Buffer.byteLength(JSON.stringify(record))).toBeGreaterThan(40_000);
    expect(Buffer.byteLength(JSON.stringify(message), 'utf8')).toBeLessThanOrEqual(262_144);
    expect(messageBytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(JSON.parse(message.default)).toEqual(record);
    expect(JSON.parse(delivered(message, 'lambda'))).toEqual(record);
    expect(JSON.parse(delivered(message, 'sqs'))).toEqual(record);
    const card = JSON.parse(message.https);
    expect(card.content.description.length).toBeLessThanOrEqual(8000);
    expect(card.content.nextSteps.every((step: string) => step.length <= 350)).toBe(true);
    expect(message.email.split('\n')[0]).toBe('CONTAINED: IAMUser alice in 123456789012');
  });

  it.each([
    { actions: 20, quoted: 1, copies: ['lambda', 'sqs', 'email-json', 'http'], emailJson: true },
    { actions: 80, quoted: 12, copies: ['lambda', 'sqs'], emailJson: true },
    { actions: 100, quoted: 12, copies: ['lambda', 'sqs'], emailJson: false },
    { actions: 150, quoted: 20, copies: [], emailJson: false },
  ])(
    'with $actions actions, fits by dropping what SNS would give from default first: keeps $copies',
    ({ actions, quoted, copies, emailJson }) => {
      const record = busy(actions, quoted);
      const message = notificationMessage(record);

      expect(messageBytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
      const present = ['lambda', 'sqs', 'email-json', 'http'].filter((key) => key in message);
      expect(present).toEqual(copies);
      expect(message.email.includes('"finishedAt"')).toBe(emailJson);
      // Whatever was dropped, every machine protocol still receives the full record.
      for (const protocol of ['lambda', 'sqs', 'email-json', 'http'] as const) {
        expect(JSON.parse(delivered(message, protocol))).toEqual(record);
      }
    },
  );

  it('keeps every ASCII-only SMS line to one message', () => {
    const message = notificationMessage(
      report({ principal: { type: 'IAMUser', name: `é${'a'.repeat(300)}`, arn: null } }),
    );

    expect(message.sms.length).toBeLessThanOrEqual(140);
    expect(message.sms).toMatch(/^[\x20-\x7e]+$/);
  });
});
