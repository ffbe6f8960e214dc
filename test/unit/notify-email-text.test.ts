import { describe, expect, it } from 'vitest';
import { followUpRecord } from '../../shared/follow-up/follow-up-record';
import { emailText } from '../../shared/notify/email-text';
import type { NotifiedRecord } from '../../shared/notify/notified-record';
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
      {
        name: 'revoke-user-sessions',
        target: 'user/alice policy AWSRevokeOlderSessions',
        status: 'verified',
        detail: 'denies sessions issued before 2026-11-22T10:00:30Z',
      },
    ],
    containMs: 47,
    notes: ['Only key AKIAEXAMPLEDEMO00001 is deactivated; other keys of alice are not touched.'],
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

const email = (record: NotifiedRecord) => emailText(record, { withJson: true });
const lines = (text: string) => text.split('\n');

/** The JSON at the end of the email, parsed. */
function jsonAtEnd(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('\n{\n') + 1));
}

describe('emailText', () => {
  it('puts what happened, to whom, and what to do first, then the facts, then the JSON', () => {
    const record = report();
    const text = email(record);

    expect(lines(text).slice(0, 4)).toEqual([
      'CONTAINED: IAMUser alice in 123456789012',
      '',
      'What a person must do:',
      '  1. Rotate the key: give the workloads of alice a new access key, then delete AKIAEXAMPLEDEMO00001 (it is deactivated, not deleted)',
    ]);
    expect(text).toContain(
      '     {"runbook":"release","incidentId":"guardduty-f1","accessKeyId":"AKIAEXAMPLEDEMO00001","reason":"false positive: …"}',
    );
    expect(text).toContain(
      'What happened:\n  IAMUser alice contained: GuardDuty finding UnauthorizedAccess:IAMUser/MaliciousIPCaller',
    );
    expect(text).toContain('Key:           AKIAEXAMPLEDEMO00001');
    expect(text).toContain('Principal ARN: arn:aws:iam::123456789012:user/alice');
    expect(text).toContain(
      'Finding:       UnauthorizedAccess:IAMUser/MaliciousIPCaller, severity 8 (HIGH), us-east-1',
    );
    expect(text).toContain('Actions:       2 verified');
    expect(text).toContain('Time:          2026-11-22T10:00:00.000Z, contained in 47 ms');
    expect(text).toContain(
      'Actions (2):\n  - deactivate-access-key on user/alice key AKIAEXAMPLEDEMO00001: verified\n      set to Inactive; read back: Inactive',
    );
    expect(text).toContain('  4. Only key AKIAEXAMPLEDEMO00001 is deactivated');
    expect(jsonAtEnd(text)).toEqual(record);
  });

  it('escalated: the instruction in the reason is the thing to do', () => {
    const text = email(
      report({
        outcome: 'escalated',
        principal: { type: 'Root', name: 'Root', arn: 'arn:aws:iam::123456789012:root' },
        reason:
          'the key belongs to the root user: root credentials cannot be deactivated by any IAM principal: sign in as the root user, deactivate or delete the key under Security credentials',
        actions: [],
        notes: [],
      }),
    );

    expect(lines(text)[0]).toBe('ESCALATED: Root Root in 123456789012');
    expect(lines(text)[3]).toBe(
      '  1. A person must act: the key belongs to the root user: root credentials cannot be deactivated by any IAM principal: sign in as the root user, deactivate or delete the key under Security credentials',
    );
    expect(text).toContain('Actions:       none');
  });

  it('failed on AWS: the error code, and how it is retried', () => {
    const text = email(
      report({
        outcome: 'failed',
        reason: 'containment of IAMUser alice failed: AccessDenied',
        errorCode: 'AccessDenied',
        actions: [
          {
            name: 'deactivate-access-key',
            target: 'user/alice key AKIAEXAMPLEDEMO00001',
            status: 'failed',
            detail: 'AccessDenied: not authorized to perform iam:UpdateAccessKey',
          },
        ],
        notes: [],
      }),
    );

    expect(lines(text)[0]).toBe('FAILED: IAMUser alice in 123456789012');
    expect(lines(text)[3]).toMatch(
      /^ {2}1\. Check AWS error AccessDenied .* to retry by hand, send$/,
    );
    expect(lines(text)[4]).toBe(
      '     {"runbook":"contain","accessKeyId":"AKIAEXAMPLEDEMO00001","reason":"…"}',
    );
    expect(text).toContain('Error code:    AccessDenied');
    expect(text).toContain('Actions:       1 failed');
  });

  it('a failed release asks for the release again, not for a containment', () => {
    const text = email(
      report({
        incidentId: 'console-req-9',
        source: 'runbook',
        trigger: 'console',
        outcome: 'failed',
        reason: 'release of IAMUser alice from incident guardduty-f1 failed: Throttling',
        errorCode: 'Throttling',
        actions: [
          {
            name: 'reactivate-access-key',
            target: 'user/alice key AKIAEXAMPLEDEMO00001',
            status: 'failed',
            detail: 'Throttling: Rate exceeded',
          },
        ],
        notes: [],
      }),
    );

    expect(lines(text)[3]).toBe(
      '  1. Check AWS error Throttling (permissions, limits, throttling), then send the release request again',
    );
    expect(text).not.toContain('"runbook":"contain"');
  });

  it('failed on bad input: nothing changed, fix the request', () => {
    const text = email(
      report({
        outcome: 'failed',
        accessKeyId: null,
        accountId: null,
        principal: null,
        finding: undefined,
        reason: 'invalid runbook request: accessKeyId: must be an access key id',
        actions: [],
        notes: [],
      }),
    );

    expect(lines(text)[0]).toBe('FAILED: invalid input');
    expect(lines(text)[3]).toBe(
      '  1. Nothing was changed: invalid runbook request: accessKeyId: must be an access key id. Fix the request and send it again',
    );
    expect(text).toMatch(/\nKey: +none \(the input named no valid key\)\n/);
    expect(text).not.toContain('Finding:');
  });

  it('skipped: nothing changed, and the request that contains the key anyway', () => {
    const text = email(
      report({
        outcome: 'skipped',
        reason:
          'severity LOW is below MIN_SEVERITY MEDIUM: not contained automatically (a runbook request or the contain function contains it)',
        actions: [],
        notes: [],
      }),
    );

    expect(lines(text)[0]).toBe('SKIPPED: IAMUser alice in 123456789012');
    expect(lines(text)[3]).toMatch(
      /^ {2}1\. Nothing was changed \(severity LOW is below MIN_SEVERITY MEDIUM: .*\)\. If the key must be contained anyway, send$/,
    );
    expect(lines(text)[4]).toBe(
      '     {"runbook":"contain","accessKeyId":"AKIAEXAMPLEDEMO00001","reason":"…"}',
    );
  });

  it('released: what was undone, and how to contain again', () => {
    const text = email(
      report({
        incidentId: 'console-req-9',
        source: 'runbook',
        trigger: 'console',
        outcome: 'released',
        reason: 'incident guardduty-f1 released: false positive: our CI runner',
        actions: [
          {
            name: 'reactivate-access-key',
            target: 'user/alice key AKIAEXAMPLEDEMO00001',
            status: 'verified',
            detail: 'set to Active; read back: Active',
          },
        ],
        finding: undefined,
        notes: [],
      }),
    );

    expect(lines(text)[0]).toBe('RELEASED: IAMUser alice in 123456789012');
    expect(lines(text)[3]).toBe(
      '  1. The containment was undone: incident guardduty-f1 released: false positive: our CI runner. Nothing more to do unless the release was a mistake; to contain the key again, send',
    );
    expect(text).toContain('Source:        runbook via console');
  });

  it('planned: a dry run changed nothing', () => {
    const text = email(
      report({
        outcome: 'planned',
        dryRun: true,
        reason: 'dry run: would contain IAMUser alice',
        actions: [
          {
            name: 'deactivate-access-key',
            target: 'user/alice key AKIAEXAMPLEDEMO00001',
            status: 'planned',
            detail: 'would set to Inactive',
          },
        ],
        notes: [],
      }),
    );

    expect(lines(text)[0]).toBe('PLANNED: IAMUser alice in 123456789012');
    expect(lines(text)[3]).toMatch(/^ {2}1\. Dry run: nothing was changed\./);
    expect(text).toContain('Outcome:       planned (dry run: nothing changed)');
    expect(text).toContain('Actions:       1 planned');
  });

  it('a follow-up record: what the stolen key left behind, and what to check', () => {
    const record = followUpRecord({
      check: 'sweep',
      incidentId: 'guardduty-f1',
      accessKeyId: 'AKIAEXAMPLEDEMO00001',
      accountId: '123456789012',
      principal: { type: 'IAMUser', name: 'alice', arn: null },
      outcome: 'found',
      reason: 'the key created 1 access key and 1 user',
      containedAt: '2026-11-22T10:00:00.047Z',
      cloudTrail: {
        regions: ['us-east-1'],
        since: '2026-11-21T10:00:00Z',
        until: '2026-11-22T10:01:00Z',
        events: 12,
        pages: 1,
        truncated: false,
      },
      createdKeys: [
        {
          accessKeyId: 'AKIAEXAMPLEDEMO00002',
          userName: 'alice',
          eventTime: '2026-11-22T09:58:00Z',
          eventId: 'e1',
          incidentId: 'guardduty-f1-created-AKIAEXAMPLEDEMO00002',
          outcome: 'contained',
        },
      ],
      review: [
        {
          eventName: 'CreateUser',
          eventTime: '2026-11-22T09:59:00Z',
          eventId: 'e2',
          target: 'user/backdoor',
          review: 'delete the user if nobody expected it',
        },
      ],
      notes: ['Hold check scheduled for 2026-11-22T10:15:00.047Z'],
    });
    const text = email(record);

    expect(lines(text).slice(0, 5)).toEqual([
      'FOLLOW-UP FOUND: IAMUser alice in 123456789012',
      '',
      'What a person must do:',
      '  1. Check CreateUser on user/backdoor: delete the user if nobody expected it',
      '  2. Key AKIAEXAMPLEDEMO00002 that the stolen key created was contained (incident guardduty-f1-created-AKIAEXAMPLEDEMO00002): follow its own notification',
    ]);
    expect(text).toContain('Check:        persistence sweep');
    expect(text).toContain(
      'CloudTrail:   12 event(s) in us-east-1, 2026-11-21T10:00:00Z to 2026-11-22T10:01:00Z',
    );
    expect(text).toContain(
      'Keys it created (1):\n  - AKIAEXAMPLEDEMO00002 (alice) at 2026-11-22T09:58:00Z: contained',
    );
    expect(text).toContain('The full record (JSON):');
    expect(jsonAtEnd(text)).toEqual(record);
  });

  it('says where the JSON is when it is left out', () => {
    const text = emailText(report(), { withJson: false });

    expect(text).not.toContain('"finishedAt"');
    expect(text).toMatch(/The full report \(JSON\) is too large to repeat here/);
  });
});
