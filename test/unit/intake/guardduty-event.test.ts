import { describe, expect, it } from 'vitest';
import { intakeGuardDutyEvent as intakeAll } from '../../../shared/intake/guardduty-event';
import type { Intake, Trigger } from '../../../shared/request';
import { loadEvent } from '../../support/deps';

/** The one intake a finding about one key gives. */
function intakeGuardDutyEvent(event: unknown, trigger: Trigger, fallbackId: string): Intake {
  const all = intakeAll(event, trigger, fallbackId);
  expect(all).toHaveLength(1);
  return all[0] as Intake;
}

describe('intakeGuardDutyEvent', () => {
  it('turns an IAM user finding into a request for that key and user', () => {
    const intake = intakeGuardDutyEvent(
      loadEvent('guardduty-akia-iam-user.json'),
      'eventbridge',
      'fallback',
    );

    expect(intake).toEqual({
      kind: 'request',
      request: expect.objectContaining({
        incidentId: 'guardduty-example0akia0iam0user0finding01',
        source: 'guardduty',
        trigger: 'eventbridge',
        accessKeyId: 'AKIAEXAMPLEDEMO00001',
        finding: expect.objectContaining({
          accountId: '123456789012',
          severity: 8,
          principal: {
            userType: 'IAMUser',
            userName: 'demo-ci-deployer',
            principalId: 'AIDAEXAMPLEDEMO00001',
          },
        }),
      }),
    });
  });

  it('keeps the role name and session of an assumed-role finding', () => {
    const intake = intakeGuardDutyEvent(
      loadEvent('guardduty-asia-assumed-role.json'),
      'eventbridge',
      'fallback',
    );

    expect(intake.kind === 'request' && intake.request.finding?.principal).toEqual({
      userType: 'AssumedRole',
      userName: 'demo-app-role',
      principalId: 'AROAEXAMPLEDEMO00001:i-0123456789abcdef0',
    });
  });

  it('skips a sample finding flagged sample: true', () => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    event.detail.service.additionalInfo = { sample: true };

    const intake = intakeGuardDutyEvent(event, 'eventbridge', 'fallback');

    expect(intake).toMatchObject({
      kind: 'rejected',
      rejected: { outcome: 'skipped', reason: expect.stringMatching(/sample finding/) },
    });
  });

  it('skips a sample finding that only carries GeneratedFinding placeholders', () => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    event.detail.resource.accessKeyDetails.accessKeyId = 'GeneratedFindingAccessKeyId';

    const intake = intakeGuardDutyEvent(event, 'eventbridge', 'fallback');

    expect(intake).toMatchObject({ kind: 'rejected', rejected: { outcome: 'skipped' } });
  });

  it('skips findings about resources other than access keys', () => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    event.detail.resource = { resourceType: 'Instance' };

    expect(intakeGuardDutyEvent(event, 'eventbridge', 'fallback')).toMatchObject({
      kind: 'rejected',
      rejected: {
        outcome: 'skipped',
        reason: expect.stringMatching(/resource of type Instance and names no access key/),
      },
    });
  });

  it('skips archived findings', () => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    event.detail.service.archived = true;

    expect(intakeGuardDutyEvent(event, 'eventbridge', 'fallback')).toMatchObject({
      rejected: { outcome: 'skipped', reason: 'finding is archived' },
    });
  });

  it.each([
    ['a user id instead of a key id', 'AIDAEXAMPLEDEMO00001'],
    ['a lower-case key id', 'akiaexampledemo00001'],
    ['a key id one character short', 'AKIAEXAMPLEDEMO0000'],
    ['a number', 12345],
  ])('fails on %s and does not echo the value', (_label, value) => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    event.detail.resource.accessKeyDetails.accessKeyId = value;

    const intake = intakeGuardDutyEvent(event, 'eventbridge', 'fallback');

    expect(intake).toMatchObject({ kind: 'rejected', rejected: { outcome: 'failed' } });
    expect(JSON.stringify(intake)).not.toContain(String(value));
  });

  it('fails on a user name IAM would not accept', () => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    event.detail.resource.accessKeyDetails.userName = 'alice/../admin';

    expect(intakeGuardDutyEvent(event, 'eventbridge', 'fallback')).toMatchObject({
      rejected: {
        outcome: 'failed',
        reason: expect.stringMatching(/principal name is not a valid IAM/),
        accessKeyId: 'AKIAEXAMPLEDEMO00001',
      },
    });
  });

  it('names the missing field of a truncated event', () => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    delete event.detail.accountId;

    expect(intakeGuardDutyEvent(event, 'eventbridge', 'fallback')).toMatchObject({
      rejected: {
        incidentId: 'fallback',
        outcome: 'failed',
        reason: expect.stringMatching(/detail\.accountId/),
      },
    });
  });
});
