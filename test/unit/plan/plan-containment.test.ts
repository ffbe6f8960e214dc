import { describe, expect, it } from 'vitest';
import { planContainment } from '../../../shared/plan/plan-containment';
import type { Target } from '../../../shared/plan/target';
import type { ContainRequest } from '../../../shared/request';
import type { Facts, RoleFacts } from '../../../shared/resolve/facts';
import { NOW, TEST_CONFIG } from '../../support/deps';

const ACCOUNT = '123456789012';
const now = new Date(NOW);
const request: ContainRequest = {
  incidentId: 'i-1',
  source: 'runbook',
  trigger: 'console',
  accessKeyId: 'AKIAEXAMPLEDEMO00001',
  reason: 'test',
};
const keyFacts = {
  responderAccountId: ACCOUNT,
  responderArn: `arn:aws:iam::${ACCOUNT}:role/responder`,
  keyAccountId: ACCOUNT,
};
const role = {
  name: 'app',
  arn: `arn:aws:iam::${ACCOUNT}:role/app`,
  path: '/',
  roleId: 'AROAEXAMPLEDEMO00001',
};
const roleTarget: Extract<Target, { kind: 'role-sessions' }> = {
  kind: 'role-sessions',
  roleName: 'app',
  roleId: 'AROAEXAMPLEDEMO00001',
};
const roleFacts = (overrides: Partial<RoleFacts> = {}): Facts => ({
  ...keyFacts,
  principal: { kind: 'role-sessions', role, existing: { kind: 'none' }, ...overrides },
});
const existingCutoff = (iso: string): Partial<RoleFacts> => ({
  existing: { kind: 'cutoff', cutoff: new Date(iso), document: '{}' },
});

describe('planContainment for a user key', () => {
  it('deactivates exactly the key, for the owner IAM names', () => {
    const facts: Facts = { ...keyFacts, principal: { kind: 'user-key', keyOwner: 'alice' } };

    const plan = planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG);

    expect(plan).toMatchObject({
      decision: 'act',
      principal: { type: 'IAMUser', name: 'alice' },
      steps: [
        {
          name: 'deactivate-access-key',
          target: 'user/alice key AKIAEXAMPLEDEMO00001',
          params: { userName: 'alice', accessKeyId: 'AKIAEXAMPLEDEMO00001' },
        },
      ],
    });
  });

  it('escalates when the finding and IAM disagree on the owner', () => {
    const facts: Facts = { ...keyFacts, principal: { kind: 'user-key', keyOwner: 'mallory' } };

    const plan = planContainment(
      request,
      { kind: 'user-key', userName: 'alice' },
      facts,
      now,
      TEST_CONFIG,
    );

    expect(plan).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/names user alice but IAM says .* mallory/),
    });
  });

  it('escalates when IAM names no owner', () => {
    const facts: Facts = { ...keyFacts, principal: { kind: 'user-key' } };

    expect(planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG)).toMatchObject({
      decision: 'escalate',
    });
  });

  it('notes a key that is already inactive instead of writing again', () => {
    const facts: Facts = {
      ...keyFacts,
      principal: { kind: 'user-key', keyOwner: 'alice', keyStatus: 'Inactive' },
    };

    const plan = planContainment(
      request,
      { kind: 'user-key', userName: 'alice' },
      facts,
      now,
      TEST_CONFIG,
    );

    expect(plan).toMatchObject({
      decision: 'act',
      steps: [{ alreadyInPlace: 'the key was already Inactive' }],
    });
  });
});

describe('planContainment across accounts', () => {
  it('escalates a key of another account without acting', () => {
    const facts: Facts = { ...keyFacts, keyAccountId: '210987654321' };

    expect(planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG)).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(
        /account 210987654321, not this responder's account 123456789012/,
      ),
    });
  });

  it('escalates when the finding names another account than the key', () => {
    const withFinding: ContainRequest = {
      ...request,
      finding: {
        id: 'f',
        type: 't',
        accountId: '210987654321',
        region: 'us-east-1',
        severity: 8,
        severityLabel: 'HIGH',
      },
    };
    const facts: Facts = { ...keyFacts, principal: { kind: 'user-key', keyOwner: 'alice' } };

    expect(
      planContainment(withFinding, { kind: 'user-key' }, facts, now, TEST_CONFIG),
    ).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/inconsistent/),
    });
  });
});

describe('planContainment for role sessions', () => {
  it('sets the cutoff to now plus the margin, in UTC with Z', () => {
    const plan = planContainment(request, roleTarget, roleFacts(), now, TEST_CONFIG);

    expect(plan.decision).toBe('act');
    expect(plan.decision === 'act' && plan.steps[0]).toMatchObject({
      name: 'revoke-role-sessions',
      target: 'role/app',
      params: { roleName: 'app', cutoff: '2026-11-22T10:00:30Z' },
    });
    expect(plan.notes.join(' ')).toMatch(/must fetch new credentials/);
  });

  it('keeps the later cutoff when one exists', () => {
    const plan = planContainment(
      request,
      roleTarget,
      roleFacts(existingCutoff('2026-11-22T11:00:00Z')),
      now,
      TEST_CONFIG,
    );

    expect(plan).toMatchObject({
      decision: 'act',
      steps: [{ alreadyInPlace: expect.stringMatching(/2026-11-22T11:00:00Z/) }],
    });
  });

  it('replaces a cutoff in the past with a later one', () => {
    const plan = planContainment(
      request,
      roleTarget,
      roleFacts(existingCutoff('2026-11-21T10:00:00Z')),
      now,
      TEST_CONFIG,
    );

    expect(plan).toMatchObject({
      decision: 'act',
      steps: [{ params: { cutoff: '2026-11-22T10:00:30Z' } }],
    });
    expect(plan.decision === 'act' && plan.steps[0]?.alreadyInPlace).toBeUndefined();
  });

  it.each([
    [
      'a service-linked role',
      { ...role, path: '/aws-service-role/ops.amazonaws.com/' },
      /service-linked/,
    ],
    [
      'an Identity Center role',
      {
        ...role,
        name: 'AWSReservedSSO_Admin_0123456789abcdef',
        path: '/aws-reserved/sso.amazonaws.com/',
      },
      /Identity Center/,
    ],
    [
      'a role re-created under the same name',
      { ...role, roleId: 'AROAEXAMPLEDEMO99999' },
      /differs/,
    ],
  ])('escalates %s', (_label, actual, reason) => {
    expect(
      planContainment(request, roleTarget, roleFacts({ role: actual }), now, TEST_CONFIG),
    ).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(reason),
    });
  });

  it('escalates rather than overwrite a policy it does not understand', () => {
    const facts = roleFacts({
      existing: { kind: 'unrecognised', document: '{}', problem: 'policy has no statements' },
    });

    expect(planContainment(request, roleTarget, facts, now, TEST_CONFIG)).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/not overwriting/),
    });
  });

  it('escalates a role that does not exist', () => {
    expect(
      planContainment(request, roleTarget, roleFacts({ role: 'not-found' }), now, TEST_CONFIG),
    ).toMatchObject({ decision: 'escalate' });
  });

  it('points at the instance when the session name is an EC2 instance id', () => {
    const target = { ...roleTarget, sessionName: 'i-0123456789abcdef0' };

    expect(planContainment(request, target, roleFacts(), now, TEST_CONFIG).notes.join(' ')).toMatch(
      /i-0123456789abcdef0 is an EC2 instance id/,
    );
  });
});
