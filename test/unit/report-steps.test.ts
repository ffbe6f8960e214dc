import { describe, expect, it } from 'vitest';
import { nextSteps } from '../../shared/notify/next-steps';
import { buildReport, type ReportParts } from '../../shared/report/build-report';

/** What a person is told to do after a root key incident: never a release, and requests that work. */
const rootReport = (parts: Partial<ReportParts>) =>
  buildReport({
    incidentId: 'guardduty-root1',
    source: 'guardduty',
    trigger: 'eventbridge',
    accessKeyId: 'AKIAEXAMPLEMEMROOT01',
    accountId: '210987654321',
    principal: { type: 'Root', name: 'root', arn: 'arn:aws:iam::210987654321:root' },
    outcome: 'contained',
    reason: 'Root root contained',
    actions: [
      {
        name: 'delete-root-access-key',
        target: 'root user of account 210987654321 key AKIAEXAMPLEMEMROOT01',
        status: 'verified',
        detail: 'deleted (this cannot be undone); read back: the key is gone',
      },
    ],
    notes: ['Review the root user activity.'],
    startedAt: new Date('2026-11-22T10:00:00Z'),
    finishedAt: new Date('2026-11-22T10:00:01Z'),
    ...parts,
  });

describe('next steps of a root key incident', () => {
  it('says a deletion cannot be undone and offers no release', () => {
    const steps = nextSteps(rootReport({}));

    expect(steps[0]?.text).toMatch(/deleted: this cannot be undone or released/);
    expect(JSON.stringify(steps)).not.toMatch(/"runbook":"release"|false positive/);
    expect(steps.map((s) => s.text)).toContain('Review the root user activity.');
  });

  it('offers a retry request that takes the root-key path ("rootKey": true, a boolean)', () => {
    const steps = nextSteps(
      rootReport({ outcome: 'failed', reason: 'x', errorCode: 'Throttling' }),
    );

    expect(steps[0]?.request).toEqual({
      runbook: 'contain',
      accessKeyId: 'AKIAEXAMPLEMEMROOT01',
      reason: '…',
      rootKey: true,
    });
  });
});
