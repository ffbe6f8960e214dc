import { describe, expect, it } from 'vitest';
import { planContainment } from '../../../shared/plan/plan-containment';
import type { Target } from '../../../shared/plan/target';
import type { ContainRequest } from '../../../shared/request';
import type { Facts, RoleFacts, UserFacts } from '../../../shared/resolve/facts';
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
  responderArn: `arn:aws:sts::${ACCOUNT}:assumed-role/credential-responder-prod-us-east-1-lambdaRole/fn`,
  keyAccountId: ACCOUNT,
};
const alice = { name: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, tags: {} };
const userFacts = (overrides: Partial<UserFacts> = {}): Facts => ({
  ...keyFacts,
  principal: {
    kind: 'user',
    keyOwner: 'alice',
    user: alice,
    existing: { kind: 'none' },
    ...overrides,
  },
});
const role = {
  name: 'app',
  arn: `arn:aws:iam::${ACCOUNT}:role/app`,
  path: '/',
  roleId: 'AROAEXAMPLEDEMO00001',
  tags: {},
};
const roleTarget: Extract<Target, { kind: 'role-sessions' }> = {
  kind: 'role-sessions',
  roleName: 'app',
  roleId: 'AROAEXAMPLEDEMO00001',
};
const roleFacts = (overrides: Partial<RoleFacts> = {}): Facts => ({
  ...keyFacts,
  principal: { kind: 'role', role, existing: { kind: 'none' }, ...overrides },
});
const existingCutoff = (iso: string) => ({
  existing: { kind: 'cutoff' as const, cutoff: new Date(iso), document: '{}', byResponder: false },
});
const stepNames = (plan: ReturnType<typeof planContainment>) =>
  plan.decision === 'act'
    ? plan.steps.map((s) => `${s.name}${s.alreadyInPlace ? ' (in place)' : ''}`)
    : [];

describe('planContainment for an IAM user key', () => {
  it('deactivates exactly the key and revokes the user sessions minted before now', () => {
    const plan = planContainment(request, { kind: 'user-key' }, userFacts(), now, TEST_CONFIG);

    expect(plan).toMatchObject({ decision: 'act', principal: { type: 'IAMUser', name: 'alice' } });
    expect(plan.decision === 'act' && plan.steps.map((s) => [s.name, s.params])).toEqual([
      ['deactivate-access-key', { userName: 'alice', accessKeyId: 'AKIAEXAMPLEDEMO00001' }],
      [
        'revoke-user-sessions',
        { name: 'alice', cutoff: '2026-11-22T10:00:30Z', mustCover: '2026-11-22T10:00:00.000Z' },
      ],
      [
        'mark-principal',
        {
          name: 'alice',
          tags: {
            'credential-responder:incident': 'i-1',
            'credential-responder:contained-at': '2026-11-22T10:00:00.000Z',
            'credential-responder:deactivated-keys': 'AKIAEXAMPLEDEMO00001',
            'credential-responder:revocation-cutoff': '2026-11-22T10:00:30Z',
          },
        },
      ],
    ]);
  });

  it('escalates when the finding and IAM disagree on the owner', () => {
    const plan = planContainment(
      request,
      { kind: 'user-key', userName: 'bob' },
      userFacts(),
      now,
      TEST_CONFIG,
    );

    expect(plan).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/names user bob but IAM says .* alice/),
    });
  });

  it('escalates when IAM names no owner', () => {
    const facts: Facts = {
      ...keyFacts,
      principal: { kind: 'user', user: 'not-found', existing: { kind: 'none' } },
    };

    expect(planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG)).toMatchObject({
      decision: 'escalate',
    });
  });

  it('writes nothing, and marks nothing, when all is already in place', () => {
    const facts = userFacts({ keyStatus: 'Inactive', ...existingCutoff('2026-11-22T10:00:10Z') });

    expect(
      stepNames(planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG)),
    ).toEqual(['deactivate-access-key (in place)', 'revoke-user-sessions (in place)']);
  });

  it('keeps the user key deactivation when the user policy is not a revocation, and says so', () => {
    const facts = userFacts({
      existing: { kind: 'unrecognised', document: '{}', problem: 'policy has no statements' },
    });

    const plan = planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG);

    expect(stepNames(plan)).toEqual(['deactivate-access-key', 'mark-principal']);
    expect(plan.notes.join(' ')).toMatch(/not overwriting it: revoke the user's sessions by hand/);
  });

  it("revokes a user's sessions for a session token, warning about the long-term key", () => {
    const asia = { ...request, accessKeyId: 'ASIAEXAMPLEDEMO00001' };

    const plan = planContainment(
      asia,
      { kind: 'user-sessions', userName: 'alice' },
      userFacts(),
      now,
      TEST_CONFIG,
    );

    // One write: the policy's Sid records that the responder wrote it; no tags are needed.
    expect(stepNames(plan)).toEqual(['revoke-user-sessions']);
    expect(plan.notes.join(' ')).toMatch(/long-term keys, which was probably stolen too/);
  });
});

describe('planContainment protections', () => {
  it('never touches a user tagged protected', () => {
    const facts = userFacts({
      user: { ...alice, tags: { 'credential-responder:protected': 'true' } },
    });

    expect(planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG)).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/tagged credential-responder:protected=true/),
    });
  });

  it('never touches a principal matched by PROTECTED_PRINCIPALS', () => {
    const config = { ...TEST_CONFIG, protectedPrincipals: ['arn:aws:iam::*:role/break-glass-*'] };
    const facts = roleFacts({
      role: {
        ...role,
        name: 'break-glass-admin',
        arn: `arn:aws:iam::${ACCOUNT}:role/break-glass-admin`,
      },
    });

    expect(
      planContainment(
        request,
        { ...roleTarget, roleName: 'break-glass-admin' },
        facts,
        now,
        config,
      ),
    ).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(
        /PROTECTED_PRINCIPALS \(arn:aws:iam::\*:role\/break-glass-\*\)/,
      ),
    });
  });

  it("never revokes the responder's own role", () => {
    const own = { ...role, name: 'credential-responder-prod-us-east-1-lambdaRole' };

    expect(
      planContainment(request, roleTarget, roleFacts({ role: own }), now, TEST_CONFIG),
    ).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/responder's own identity/),
    });
  });
});

describe('planContainment across accounts', () => {
  it('escalates a key of another account without acting', () => {
    const facts: Facts = {
      ...keyFacts,
      keyAccountId: '210987654321',
      accessRefused: 'the key belongs to account 210987654321, which is not in ALLOWED_ACCOUNT_IDS',
    };

    expect(planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG)).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/210987654321, which is not in ALLOWED_ACCOUNT_IDS/),
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

    expect(
      planContainment(withFinding, { kind: 'user-key' }, userFacts(), now, TEST_CONFIG),
    ).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/inconsistent/),
    });
  });
});

describe('planContainment for role sessions', () => {
  it('sets the cutoff to now plus the margin, in UTC with Z', () => {
    const plan = planContainment(request, roleTarget, roleFacts(), now, TEST_CONFIG);

    expect(plan.decision === 'act' && plan.steps[0]).toMatchObject({
      name: 'revoke-role-sessions',
      target: 'role/app',
      params: {
        name: 'app',
        cutoff: '2026-11-22T10:00:30Z',
        mustCover: '2026-11-22T10:00:00.000Z',
      },
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

    expect(plan.decision === 'act' && plan.steps[0]).toMatchObject({
      params: { cutoff: '2026-11-22T10:00:30Z' },
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
    ).toMatchObject({
      decision: 'escalate',
    });
  });

  it('points at the instance when the session name is an EC2 instance id', () => {
    const target = { ...roleTarget, sessionName: 'i-0123456789abcdef0' };

    expect(planContainment(request, target, roleFacts(), now, TEST_CONFIG).notes.join(' ')).toMatch(
      /i-0123456789abcdef0 is an EC2 instance id/,
    );
  });
});
