import { describe, expect, it } from 'vitest';
import { targetOf } from '../../../shared/plan/target';
import type { ContainRequest, FindingPrincipal } from '../../../shared/request';

const request = (accessKeyId: string, principal?: FindingPrincipal): ContainRequest => ({
  incidentId: 'i-1',
  source: 'guardduty',
  trigger: 'eventbridge',
  accessKeyId,
  reason: 'test',
  ...(principal
    ? {
        finding: {
          id: 'f',
          type: 't',
          accountId: '123456789012',
          region: 'us-east-1',
          severity: 8,
          severityLabel: 'HIGH',
          principal,
        },
      }
    : {}),
});

describe('targetOf', () => {
  it('targets the named user for an AKIA key of an IAM user', () => {
    expect(
      targetOf(request('AKIAEXAMPLEDEMO00001', { userType: 'IAMUser', userName: 'alice' })),
    ).toEqual({ kind: 'user-key', userName: 'alice' });
  });

  it('targets an unknown user for a bare AKIA key', () => {
    expect(targetOf(request('AKIAEXAMPLEDEMO00001'))).toEqual({ kind: 'user-key' });
  });

  it('targets the role, its id and session for an assumed-role ASIA key', () => {
    const principal = {
      userType: 'AssumedRole',
      userName: 'app',
      principalId: 'AROAEXAMPLEDEMO00001:i-0123456789abcdef0',
    };

    expect(targetOf(request('ASIAEXAMPLEDEMO00001', principal))).toEqual({
      kind: 'role-sessions',
      roleName: 'app',
      sessionName: 'i-0123456789abcdef0',
      proof: { by: 'principal-id', id: 'AROAEXAMPLEDEMO00001' },
    });
  });

  it('targets the user sessions for a session token of an IAM user, to be proven by its user id', () => {
    const principal = {
      userType: 'IAMUser',
      userName: 'alice',
      principalId: 'AIDAEXAMPLEDEMO00001',
    };

    expect(targetOf(request('ASIAEXAMPLEDEMO00001', principal))).toEqual({
      kind: 'user-sessions',
      userName: 'alice',
      proof: { by: 'principal-id', id: 'AIDAEXAMPLEDEMO00001' },
    });
  });

  it('takes the holder CloudTrail found as the proof', () => {
    const holder = {
      userType: 'AssumedRole',
      userName: 'app',
      principalId: 'AROAEXAMPLEDEMO00001:s',
    };

    expect(targetOf(request('ASIAEXAMPLEDEMO00001'), holder)).toMatchObject({
      kind: 'role-sessions',
      proof: { by: 'cloudtrail', id: 'AROAEXAMPLEDEMO00001' },
    });
  });

  it('hands a root AKIA key to the root-key path (which escalates unless ROOT_KEYS=delete)', () => {
    expect(
      targetOf(request('AKIAEXAMPLEDEMO00001', { userType: 'Root', userName: 'Root' })),
    ).toEqual({ kind: 'root-key' });
  });

  it.each([
    [
      'a root ASIA key',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'Root', userName: 'Root' },
      /session of the root user/,
    ],
    ['a bare ASIA key', 'ASIAEXAMPLEDEMO00001', undefined, /CloudTrail/],
    [
      'a role claimed for an ASIA key without its id',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'AssumedRole', userName: 'prod-payments-role' },
      /not acted on without proof/,
    ],
    [
      'a role claimed with a malformed id',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'AssumedRole', userName: 'app', principalId: 'made-up' },
      /not acted on without proof/,
    ],
    [
      'a federated user',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'FederatedUser', userName: 'bob' },
      /GetFederationToken/,
    ],
    [
      'an AWS service',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'AWSService', userName: 'x' },
      /AWS service/,
    ],
    [
      'an unknown principal type',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'Martian', userName: 'x' },
      /unknown principal type Martian/,
    ],
    [
      'an AKIA key said to be a role',
      'AKIAEXAMPLEDEMO00001',
      { userType: 'AssumedRole', userName: 'app' },
      /inconsistent/,
    ],
  ])('escalates %s', (_label, key, principal, reason) => {
    expect(targetOf(request(key, principal))).toMatchObject({
      kind: 'escalate',
      reason: expect.stringMatching(reason),
    });
  });
});
