import { describe, expect, it } from 'vitest';
import { planContainment } from '../../../shared/plan/plan-containment';
import type { Target } from '../../../shared/plan/target';
import type { ContainRequest } from '../../../shared/request';
import type { Facts, RoleFacts, UserFacts } from '../../../shared/resolve/facts';
import {
  policyOf,
  readRevocationPolicy,
  responderStatement,
  revocationPolicy,
} from '../../../shared/revocation/revocation-policy';
import { consoleRevocationPolicy } from '../../support/console-policy';
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
const alice = {
  name: 'alice',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  userId: 'AIDAEXAMPLEDEMO00001',
  tags: {},
};
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
  proof: { by: 'principal-id', id: 'AROAEXAMPLEDEMO00001' },
};
const roleFacts = (overrides: Partial<RoleFacts> = {}): Facts => ({
  ...keyFacts,
  principal: { kind: 'role', role, existing: { kind: 'none' }, ...overrides },
});
/** A person's console revocation with this cutoff, as the facts would read it. */
const existingCutoff = (iso: string) => ({
  existing: readRevocationPolicy(consoleRevocationPolicy(iso)),
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
        'record-deactivation',
        {
          userName: 'alice',
          accessKeyId: 'AKIAEXAMPLEDEMO00001',
          record: 'i-1 2026-11-22T10:00:00Z',
        },
      ],
      [
        'revoke-user-sessions',
        {
          name: 'alice',
          policyName: 'AWSRevokeOlderSessions',
          cutoff: '2026-11-22T10:00:30Z',
          mustCover: '2026-11-22T10:00:00.000Z',
          document: revocationPolicy('2026-11-22T10:00:30Z', 'i-1'),
        },
      ],
    ]);
  });

  it('records the deactivation alongside it, never after: a failed record cannot hold it back', () => {
    const plan = planContainment(request, { kind: 'user-key' }, userFacts(), now, TEST_CONFIG);

    expect(plan.decision === 'act' && plan.steps.map((s) => [s.name, s.phase])).toEqual([
      ['deactivate-access-key', 'contain'],
      ['record-deactivation', 'record'],
      ['revoke-user-sessions', 'contain'],
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

  it('writes nothing, and records nothing, when all is already in place', () => {
    const facts = userFacts({ keyStatus: 'Inactive', ...existingCutoff('2026-11-22T10:00:10Z') });

    expect(
      stepNames(planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG)),
    ).toEqual(['deactivate-access-key (in place)', 'revoke-user-sessions (in place)']);
  });

  it("revokes through the responder's own policy when the user's is not a revocation, and alerts", () => {
    const facts = userFacts({
      existing: { kind: 'unrecognised', document: '{}', problem: 'policy has no statements' },
    });

    const plan = planContainment(request, { kind: 'user-key' }, facts, now, TEST_CONFIG);

    expect(plan.decision === 'act' && plan.steps.map((s) => s.target)).toEqual([
      'user/alice key AKIAEXAMPLEDEMO00001',
      'user/alice key AKIAEXAMPLEDEMO00001',
      'user/alice policy CredentialResponderRevokeOlderSessions',
    ]);
    expect(plan).toMatchObject({ alert: expect.stringMatching(/planted to block containment/) });
    expect(plan.notes.join(' ')).toMatch(/TAMPERING\?/);
  });

  it("revokes a user's sessions for a session token, warning about the long-term key", () => {
    const asia = { ...request, accessKeyId: 'ASIAEXAMPLEDEMO00001' };

    const plan = planContainment(
      asia,
      { kind: 'user-sessions', userName: 'alice', proof: { by: 'principal-id', id: alice.userId } },
      userFacts(),
      now,
      TEST_CONFIG,
    );

    // One write: the policy's Sid records which incident wrote it; no tags are needed.
    expect(stepNames(plan)).toEqual(['revoke-user-sessions']);
    expect(plan.notes.join(' ')).toMatch(/long-term keys, which was probably stolen too/);
  });

  it("escalates a session token whose user id is not the user's", () => {
    const asia = { ...request, accessKeyId: 'ASIAEXAMPLEDEMO00001' };
    const proof = { by: 'principal-id' as const, id: 'AIDAEXAMPLEDEMO99999' };

    expect(
      planContainment(
        asia,
        { kind: 'user-sessions', userName: 'alice', proof },
        userFacts(),
        now,
        TEST_CONFIG,
      ),
    ).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/user id AIDAEXAMPLEDEMO99999/),
    });
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
      target: 'role/app policy AWSRevokeOlderSessions',
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

  it("keeps a person's earlier revocation beside its own, unchanged", () => {
    const person = JSON.parse(consoleRevocationPolicy('2026-11-22T09:00:00Z')).Statement[0];

    const plan = planContainment(
      request,
      roleTarget,
      roleFacts(existingCutoff('2026-11-22T09:00:00Z')),
      now,
      TEST_CONFIG,
    );

    expect(plan.decision === 'act' && plan.steps[0]?.params).toMatchObject({
      document: {
        Statement: [person, revocationPolicy('2026-11-22T10:00:30Z', 'i-1').Statement[0]],
      },
    });
  });

  it("keeps another incident's statement that can still matter, and drops one 12 h past", () => {
    const older = revocationPolicy('2026-11-22T08:00:00Z', 'earlier').Statement[0];
    const stale = revocationPolicy('2026-11-21T21:59:59Z', 'long-ago').Statement[0];
    const existing = readRevocationPolicy(
      JSON.stringify({ Version: '2012-10-17', Statement: [stale, older] }),
    );

    const plan = planContainment(request, roleTarget, roleFacts({ existing }), now, TEST_CONFIG);

    expect(plan.decision === 'act' && plan.steps[0]?.params).toMatchObject({
      document: {
        Statement: [older, revocationPolicy('2026-11-22T10:00:30Z', 'i-1').Statement[0]],
      },
    });
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
      /role id AROAEXAMPLEDEMO00001 is not role app's/,
    ],
  ])('escalates %s', (_label, actual, reason) => {
    expect(
      planContainment(request, roleTarget, roleFacts({ role: actual }), now, TEST_CONFIG),
    ).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(reason),
    });
  });

  it('contains through its own policy, never overwriting one it does not understand', () => {
    const facts = roleFacts({
      existing: { kind: 'unrecognised', document: '{}', problem: 'policy has no statements' },
    });

    const plan = planContainment(request, roleTarget, facts, now, TEST_CONFIG);

    expect(plan).toMatchObject({
      decision: 'act',
      alert: expect.stringMatching(/not a session revocation \(policy has no statements\)/),
      steps: [
        {
          target: 'role/app policy CredentialResponderRevokeOlderSessions',
          params: { policyName: 'CredentialResponderRevokeOlderSessions' },
        },
      ],
    });
  });

  it('counts a cutoff in its own policy, and only there, when the standard one is not a revocation', () => {
    const facts = roleFacts({
      existing: { kind: 'unrecognised', document: '{}', problem: 'planted' },
      ...{ owned: readRevocationPolicy(JSON.stringify(revocationPolicy('2026-11-22T11:00:00Z'))) },
    });

    expect(planContainment(request, roleTarget, facts, now, TEST_CONFIG)).toMatchObject({
      steps: [{ alreadyInPlace: expect.stringMatching(/2026-11-22T11:00:00Z/) }],
    });
  });

  it('escalates a temporary key whose finding gave no role id and CloudTrail did not confirm', () => {
    const target = {
      ...roleTarget,
      proof: { by: 'cloudtrail' as const, id: 'AROAEXAMPLEDEMO77777' },
    };

    expect(planContainment(request, target, roleFacts(), now, TEST_CONFIG)).toMatchObject({
      decision: 'escalate',
      reason: expect.stringMatching(/CloudTrail role id AROAEXAMPLEDEMO77777 is not role app's/),
    });
  });

  it('escalates a role that does not exist', () => {
    expect(
      planContainment(request, roleTarget, roleFacts({ role: 'not-found' }), now, TEST_CONFIG),
    ).toMatchObject({
      decision: 'escalate',
    });
  });

  it('revokes only the instance when the session name is an EC2 instance id', () => {
    const target = { ...roleTarget, sessionName: 'i-0123456789abcdef0' };

    const plan = planContainment(request, target, roleFacts(), now, TEST_CONFIG);

    expect(plan).toMatchObject({
      decision: 'act',
      steps: [
        {
          target: 'role/app policy CredentialResponderRevokeInstanceSessions',
          params: {
            userId: 'AROAEXAMPLEDEMO00001:i-0123456789abcdef0',
            cutoff: '2026-11-22T10:00:30Z',
          },
        },
      ],
    });
    expect(plan.notes.join(' ')).toMatch(/other instances and sessions were left alone/);
    expect(plan.notes.join(' ')).toMatch(/IMDSv2/);
  });

  it('revokes the whole role for an instance with INSTANCE_REVOCATION=role', () => {
    const target = { ...roleTarget, sessionName: 'i-0123456789abcdef0' };
    const config = { ...TEST_CONFIG, instanceRevocation: 'role' as const };

    const plan = planContainment(request, target, roleFacts(), now, config);

    expect(plan.decision === 'act' && plan.steps[0]?.target).toBe(
      'role/app policy AWSRevokeOlderSessions',
    );
    expect(plan.notes.join(' ')).toMatch(/i-0123456789abcdef0 is an EC2 instance id/);
  });

  it('says why a session that is not an instance revokes the whole role', () => {
    const target = { ...roleTarget, sessionName: 'deploy-pipeline' };

    expect(planContainment(request, target, roleFacts(), now, TEST_CONFIG).notes.join(' ')).toMatch(
      /can assume it again under another session name/,
    );
  });

  it('writes nothing for an instance a role-wide cutoff still covers, or its own', () => {
    const target = { ...roleTarget, sessionName: 'i-0123456789abcdef0' };
    const own = readRevocationPolicy(
      JSON.stringify(
        policyOf([
          responderStatement(
            'earlier',
            '2026-11-22T11:00:00Z',
            'AROAEXAMPLEDEMO00001:i-0123456789abcdef0',
          ),
        ]),
      ),
      'instance',
    );
    const other = readRevocationPolicy(
      JSON.stringify(
        policyOf([
          responderStatement(
            'earlier',
            '2026-11-22T11:00:00Z',
            'AROAEXAMPLEDEMO00001:i-0fffffffffffffff0',
          ),
        ]),
      ),
      'instance',
    );

    const step = (facts: Facts) => {
      const plan = planContainment(request, target, facts, now, TEST_CONFIG);
      return plan.decision === 'act' ? plan.steps[0]?.alreadyInPlace : 'no plan';
    };

    expect(step(roleFacts(existingCutoff('2026-11-22T11:00:00Z')))).toMatch(/2026-11-22T11:00:00Z/);
    expect(step(roleFacts({ instance: own }))).toMatch(/2026-11-22T11:00:00Z/);
    expect(step(roleFacts({ instance: other }))).toBeUndefined();
  });
});
