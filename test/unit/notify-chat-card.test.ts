import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { followUpRecord } from '../../shared/follow-up/follow-up-record';
import { chatCard } from '../../shared/notify/chat-card';
import { buildReport, type ReportParts } from '../../shared/report/build-report';
import type { Outcome } from '../../shared/report/report';

/**
 * Amazon Q Developer in chat applications (AWS Chatbot) custom notifications, as documented at
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html: version "1.0" and
 * source "custom" required, content.description required, textType only "client-markdown";
 * title at most 250 characters, description 8,000, each next step 350, each keyword 75;
 * additionalContext a string-to-string map. Strict: a field the docs do not name fails.
 */
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const customNotification = z.strictObject({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.optional(z.string()),
  content: z.strictObject({
    textType: z.optional(z.literal('client-markdown')),
    title: z.optional(text(250)),
    description: text(8000),
    nextSteps: z.optional(z.array(text(350))),
    keywords: z.optional(z.array(text(75))),
  }),
  metadata: z.optional(
    z.strictObject({
      threadId: z.optional(z.string()),
      summary: z.optional(z.string()),
      eventType: z.optional(z.string()),
      relatedResources: z.optional(z.array(z.string())),
      additionalContext: z.optional(z.record(z.string(), z.string())),
    }),
  ),
});

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
    finding: {
      id: 'f1',
      accountId: '123456789012',
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
      severity: 8,
      severityLabel: 'HIGH',
      region: 'us-east-1',
    },
    startedAt: new Date('2026-11-22T10:00:00Z'),
    finishedAt: new Date('2026-11-22T10:00:01Z'),
    ...parts,
  });

const OUTCOMES: Outcome[] = ['contained', 'released', 'planned', 'skipped', 'escalated', 'failed'];

describe('chatCard', () => {
  it.each(OUTCOMES)('is a documented custom notification for a %s report', (outcome) => {
    const card = chatCard(report({ outcome }));

    expect(customNotification.safeParse(card).error).toBeUndefined();
    expect(card.content.title).toBe(`${outcome.toUpperCase()}: IAMUser alice in 123456789012`);
  });

  it('says what happened, to whom, and what a person must do', () => {
    const card = chatCard(report());

    expect(card.content.title).toBe('CONTAINED: IAMUser alice in 123456789012');
    expect(card.content.description).toMatch(/^IAMUser alice contained: GuardDuty finding/);
    expect(card.content.description).toContain('Key: `AKIAEXAMPLEDEMO00001`');
    expect(card.content.description).toContain(
      'Finding: UnauthorizedAccess:IAMUser/MaliciousIPCaller, severity 8 (HIGH), us-east-1',
    );
    expect(card.content.description).toContain('Actions: 1 verified');
    expect(card.content.nextSteps[0]).toMatch(/^Rotate the key: .* delete AKIAEXAMPLEDEMO00001/);
    expect(card.content.nextSteps).toContainEqual(expect.stringMatching(/^Review in CloudTrail/));
    expect(card.content.nextSteps).toContain('Only key AKIAEXAMPLEDEMO00001 is deactivated.');
    // The release request to copy, whole, in a code block.
    const request = /```\n(.*)\n```/.exec(card.content.description)?.[1] ?? '';
    expect(JSON.parse(request)).toEqual({
      runbook: 'release',
      incidentId: 'guardduty-f1',
      accessKeyId: 'AKIAEXAMPLEDEMO00001',
      reason: 'false positive: …',
    });
  });

  it('a role containment: the alert first, and the release names the role and its account', () => {
    const card = chatCard(
      report({
        accessKeyId: 'ASIAEXAMPLEDEMO00001',
        principal: {
          type: 'AssumedRole',
          name: 'app',
          arn: 'arn:aws:iam::210987654321:role/app',
        },
        accountId: '210987654321',
        reason:
          'AssumedRole app contained: GuardDuty finding X; ALERT: AWSRevokeOlderSessions may have been planted to block containment',
      }),
    );

    expect(card.content.nextSteps[0]).toBe(
      'ALERT: AWSRevokeOlderSessions may have been planted to block containment',
    );
    expect(card.content.nextSteps[1]).toBe(
      'Find how ASIAEXAMPLEDEMO00001 leaked and close that path',
    );
    const request = /```\n(.*)\n```/.exec(card.content.description)?.[1] ?? '';
    expect(JSON.parse(request)).toEqual({
      runbook: 'release',
      incidentId: 'guardduty-f1',
      roleName: 'app',
      accountId: '210987654321',
      reason: 'false positive: …',
    });
  });

  it('threads a containment and its follow-ups by incident id', () => {
    const containment = chatCard(report());
    const followUp = chatCard(
      followUpRecord({
        check: 'sweep',
        incidentId: 'guardduty-f1',
        accessKeyId: 'AKIAEXAMPLEDEMO00001',
        outcome: 'clean',
        reason: 'nothing left behind',
      }),
    );

    expect(containment.metadata.threadId).toBe('guardduty-f1');
    expect(followUp.metadata.threadId).toBe('guardduty-f1');
    expect(followUp.metadata.eventType).toBe('credential-responder-follow-up-clean');
    expect(containment.metadata.additionalContext).toMatchObject({
      incidentId: 'guardduty-f1',
      outcome: 'contained',
      findingType: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
    });
  });

  it('names the escalation instruction as the thing to do', () => {
    const card = chatCard(
      report({
        outcome: 'escalated',
        principal: { type: 'Root', name: 'Root', arn: 'arn:aws:iam::123456789012:root' },
        reason:
          'the key belongs to the root user: sign in as the root user, deactivate or delete the key',
        actions: [],
        notes: [],
      }),
    );

    expect(card.content.title).toBe('ESCALATED: Root Root in 123456789012');
    expect(card.content.nextSteps[0]).toBe(
      'A person must act: the key belongs to the root user: sign in as the root user, deactivate or delete the key',
    );
  });

  it('raises the alarm for a key still in use after containment', () => {
    const card = chatCard(
      followUpRecord({
        check: 'hold',
        incidentId: 'guardduty-f1',
        accessKeyId: 'AKIAEXAMPLEDEMO00001',
        accountId: '123456789012',
        principal: { type: 'IAMUser', name: 'alice', arn: null },
        outcome: 'still-in-use',
        reason: 'ALARM: key AKIAEXAMPLEDEMO00001 used successfully 1 time(s) after containment',
        usedAfterContainment: [
          {
            eventName: 'ListBuckets',
            eventSource: 's3.amazonaws.com',
            eventTime: '2026-11-22T10:05:00Z',
            eventId: 'e1',
            errorCode: 'AccessDenied',
          },
          {
            eventName: 'GetCallerIdentity',
            eventSource: 'sts.amazonaws.com',
            eventTime: '2026-11-22T10:06:00Z',
            eventId: 'e2',
            errorCode: null,
          },
        ],
      }),
    );

    expect(customNotification.safeParse(card).error).toBeUndefined();
    expect(card.content.title).toBe('FOLLOW-UP STILL-IN-USE: IAMUser alice in 123456789012');
    expect(card.content.nextSteps[0]).toMatch(
      /^ALARM: find how AKIAEXAMPLEDEMO00001 is still used: AWS accepted 1 call\(s\).*sts\.amazonaws\.com GetCallerIdentity/,
    );
    // The accepted call is listed first.
    expect(card.content.description).toContain(
      'Used after containment (2):\n• 2026-11-22T10:06:00Z sts.amazonaws.com GetCallerIdentity: ACCEPTED',
    );
  });

  it('keeps to the documented limits with long lists, notes and names', () => {
    const long = 'x'.repeat(5000);
    const card = chatCard(
      report({
        reason: long,
        principal: { type: 'IAMUser', name: 'a'.repeat(300), arn: null },
        actions: Array.from({ length: 100 }, (_, n) => ({
          name: `action-${n}`,
          target: long,
          status: 'verified' as const,
          detail: long,
        })),
        notes: Array.from({ length: 30 }, () => long),
        finding: {
          id: 'f1',
          accountId: '123456789012',
          type: long,
          severity: 8,
          severityLabel: 'CRITICAL',
          region: 'us-east-1',
        },
      }),
    );

    expect(customNotification.safeParse(card).error).toBeUndefined();
    expect(card.content.nextSteps.length).toBeLessThanOrEqual(8);
    expect(card.content.nextSteps.at(-1)).toMatch(/^…and \d+ more in the email/);
    expect(card.content.description).toContain('• …and 95 more (in the email and the JSON report)');
    // The request block is never cut.
    expect(card.content.description).toMatch(/```\n\{"runbook":"release".*\}\n```$/);
  });

  it('passes no chat markup through from the record', () => {
    const card = chatCard(
      report({ outcome: 'escalated', reason: 'hello <!channel> `x` <https://evil|click>' }),
    );
    const text = JSON.stringify(card.content);

    expect(text).not.toMatch(/<!channel>|<https:|`x`/);
    expect(card.content.nextSteps[0]).toBe(
      "A person must act: hello ‹!channel› 'x' ‹https://evil|click›",
    );
  });
});
