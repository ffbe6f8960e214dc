import { describe, expect, it } from 'vitest';
import { intakeEvent } from '../../../shared/intake/any-event';
import type { Intake } from '../../../shared/request';
import { loadEvent } from '../../support/deps';

const intake = (event: unknown): Intake[] => intakeEvent(event, 'eventbridge', 'e', 'findings');
const ocsf = () => loadEvent('securityhub-ocsf-guardduty.json');
const findingOf = (event: any) => event.detail.findings[0];

describe('Security Hub OCSF findings (Findings Imported V2)', () => {
  it("a GuardDuty finding: the actor's key, principal, account and severity", () => {
    expect(intake(ocsf())).toEqual([
      {
        kind: 'request',
        request: expect.objectContaining({
          source: 'securityhub',
          incidentId: expect.stringMatching(/^securityhub-[0-9a-f]{24}$/),
          accessKeyId: 'AKIAEXAMPLEDEMO00011',
          finding: expect.objectContaining({
            type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
            accountId: '123456789012',
            severity: 4,
            severityLabel: 'HIGH',
            principal: {
              userType: 'IAMUser',
              userName: 'demo-image-builder',
              principalId: 'AIDAEXAMPLEDEMO00011',
            },
          }),
        }),
      },
    ]);
  });

  it.each([
    'arn:aws:securityhub:us-east-1:123456789012:productv2/123456789012/default',
    'arn:aws:securityhub:us-east-1::productv2/partner/scanner',
    'arn:aws:securityhub:us-east-1::product/aws/guardduty',
  ])('a finding of another product (%s) is refused, its key not echoed', (uid) => {
    const event = ocsf();
    findingOf(event).metadata.product.uid = uid;

    const [only] = intake(event);
    expect(only).toMatchObject({
      kind: 'rejected',
      rejected: {
        outcome: 'failed',
        reason: expect.stringMatching(/not produced by an AWS service/),
      },
    });
    expect(JSON.stringify(only)).not.toContain('AKIAEXAMPLEDEMO00011');
  });

  it("a role session's key: the role's name comes from the session issuer", () => {
    const event = ocsf();
    findingOf(event).actor = {
      user: {
        type: 'AssumedRole',
        name: 'i-0123456789abcdef0',
        uid: 'AROAEXAMPLEDEMO00001:i-0123456789abcdef0',
      },
      session: {
        issuer: 'arn:aws:iam::123456789012:role/service/demo-app-role',
        credential_uid: 'ASIAEXAMPLEDEMO00001',
      },
    };
    findingOf(event).resources = [];

    expect(intake(event)).toMatchObject([
      {
        kind: 'request',
        request: {
          accessKeyId: 'ASIAEXAMPLEDEMO00001',
          finding: {
            principal: {
              userType: 'AssumedRole',
              userName: 'demo-app-role',
              principalId: 'AROAEXAMPLEDEMO00001:i-0123456789abcdef0',
            },
          },
        },
      },
    ]);
  });

  it("keys in evidences' actors and in access-key resources: one incident each", () => {
    const event = ocsf();
    findingOf(event).evidences = [{ actor: { user: { credential_uid: 'AKIAEXAMPLEDEMO00003' } } }];
    findingOf(event).resources.push({ type: 'AWS::IAM::AccessKey', uid: 'AKIAEXAMPLEDEMO00004' });

    const requests = intake(event).flatMap((i) => (i.kind === 'request' ? [i.request] : []));
    expect(requests.map((r) => [r.accessKeyId, r.incidentId.endsWith(r.accessKeyId)])).toEqual([
      ['AKIAEXAMPLEDEMO00011', true],
      ['AKIAEXAMPLEDEMO00003', true],
      ['AKIAEXAMPLEDEMO00004', true],
    ]);
    // Only the actor that used a key claims it.
    expect(requests[1]?.finding?.principal).toBeUndefined();
  });

  it.each([
    ['closed', { activity_name: 'Close' }, /closed/],
    ['suppressed', { status: 'Suppressed' }, /status is Suppressed/],
    [
      'a sample',
      {
        actor: {
          user: {
            name: 'GeneratedFindingUserName',
            type: 'IAMUser',
            credential_uid: 'AKIAEXAMPLEDEMO00011',
          },
        },
      },
      /sample/,
    ],
    ['without a key', { actor: {}, resources: [] }, /names no access key/],
  ])('skips a finding that is %s', (_what, change, reason) => {
    const event = ocsf();
    Object.assign(findingOf(event), change);

    expect(intake(event)).toMatchObject([
      { rejected: { outcome: 'skipped', reason: expect.stringMatching(reason) } },
    ]);
  });

  it('a malformed finding fails with the field named', () => {
    const event = ocsf();
    findingOf(event).cloud.account.uid = '1234';

    expect(intake(event)).toMatchObject([
      {
        rejected: {
          outcome: 'failed',
          reason: expect.stringMatching(/not a valid OCSF finding: cloud\.account\.uid/),
        },
      },
    ]);
  });

  it('maps OCSF severity ids, falling back to the name', () => {
    const label = (change: Record<string, unknown>) => {
      const event = ocsf();
      Object.assign(findingOf(event), change);
      const [only] = intake(event);
      return only?.kind === 'request' ? only.request.finding?.severityLabel : undefined;
    };
    expect(label({ severity_id: 5 })).toBe('CRITICAL');
    expect(label({ severity_id: 6 })).toBe('CRITICAL');
    expect(label({ severity_id: 2 })).toBe('LOW');
    expect(label({ severity_id: 99, severity: 'Medium' })).toBe('MEDIUM');
    expect(label({ severity_id: 0, severity: 'Unknown' })).toBe('INFORMATIONAL');
  });
});
