import type { StandInAdmin } from './admin';
import { DEFAULT_ACCOUNT_ID } from './state';

/**
 * The demo account: exactly the principals and key ids the files in events/ name, so those files
 * work unchanged against the stand-in (`npm run demo`, `osls invoke local`). Stand-in-only: it
 * writes state directly, because AWS's API cannot create a key with a chosen id.
 */
export const DEMO = {
  accountId: DEFAULT_ACCOUNT_ID,
  /** Each user's id and keys, as the events name them. */
  users: {
    'demo-ci-deployer': user(1, 'AKIAEXAMPLEDEMO00001', 'AKIAEXAMPLEDEMO00002'),
    'demo-analyst': user(2, 'AKIAEXAMPLEDEMO00003'),
    'demo-backup-bot': user(3, 'AKIAEXAMPLEDEMO00004'),
    'demo-data-exporter': user(4, 'AKIAEXAMPLEDEMO00005'),
    'demo-web-uploader': user(5, 'AKIAEXAMPLEDEMO00006'),
    'demo-report-builder': user(6, 'AKIAEXAMPLEDEMO00007'),
    'demo-batch-job': user(7, 'AKIAEXAMPLEDEMO00008'),
    // Attack sequences: the key in the sequence, the key only in the finding its signal names
    // (DEMO.guardDuty), and a principal named with no key at all.
    'demo-etl-runner': user(9, 'AKIAEXAMPLEDEMO00009'),
    'demo-ml-trainer': user(10, 'AKIAEXAMPLEDEMO00010'),
    'demo-contractor': user(13, 'AKIAEXAMPLEDEMO00013'),
    // A Security Hub OCSF finding, and an S3 Protection finding that names a key.
    'demo-image-builder': user(11, 'AKIAEXAMPLEDEMO00011'),
    'demo-s3-reader': user(12, 'AKIAEXAMPLEDEMO00012'),
  },
  roles: [
    { name: 'demo-app-role', id: 'AROAEXAMPLEDEMO00001', tags: [] },
    // A CI pipeline's deployment role: its sessions are not an instance's.
    { name: 'demo-deploy-role', id: 'AROAEXAMPLEDEMO00003', tags: [] },
    // A break-glass role the responder must never revoke.
    {
      name: 'demo-break-glass',
      id: 'AROAEXAMPLEDEMO00002',
      tags: [{ Key: 'credential-responder:protected', Value: 'true' }],
    },
  ],
  sessions: [
    { accessKeyId: 'ASIAEXAMPLEDEMO00001', role: 'demo-app-role', name: 'i-0123456789abcdef0' },
    { accessKeyId: 'ASIAEXAMPLEDEMO00002', role: 'demo-break-glass', name: 'oncall-jane' },
    { accessKeyId: 'ASIAEXAMPLEDEMO00004', role: 'demo-deploy-role', name: 'github-actions' },
  ],
  /** The detector events/ name, and the finding events/guardduty-attack-sequence-signals.json
   * points to: GuardDuty serves it to `guardduty:GetFindings`. */
  guardDuty: {
    detectorId: 'exampledetector',
    findings: [
      {
        schemaVersion: '2.0',
        accountId: DEFAULT_ACCOUNT_ID,
        region: 'us-east-1',
        partition: 'aws',
        id: 'example0underlying0finding00001',
        arn: `arn:aws:guardduty:us-east-1:${DEFAULT_ACCOUNT_ID}:detector/exampledetector/finding/example0underlying0finding00001`,
        type: 'Discovery:IAMUser/AnomalousBehavior',
        resource: {
          resourceType: 'AccessKey',
          accessKeyDetails: {
            accessKeyId: 'AKIAEXAMPLEDEMO00010',
            principalId: 'AIDAEXAMPLEDEMO00010',
            userName: 'demo-ml-trainer',
            userType: 'IAMUser',
          },
        },
        service: { serviceName: 'guardduty', detectorId: 'exampledetector', count: 1 },
        severity: 5,
        createdAt: '2026-11-22T09:41:00.000Z',
        updatedAt: '2026-11-22T09:41:00.000Z',
        title: 'Example underlying finding written for credential-responder',
        description: 'Example finding with made-up values.',
      },
    ],
  },
  /** A member account of the organization, reached through the member role. */
  member: {
    accountId: '210987654321',
    roleName: 'credential-responder-member',
    user: 'demo-member-dev',
    key: 'AKIAEXAMPLEMEMBER001',
  },
} as const;

/** A demo user: id AIDAEXAMPLEDEMO000nn, and its keys. */
function user(n: number, ...keys: string[]) {
  return { id: `AIDAEXAMPLEDEMO${String(n).padStart(5, '0')}`, keys };
}

export function seedDemoAccount(admin: StandInAdmin, now = new Date()): void {
  const { state } = admin;
  seedMemberAccount(admin, now);
  admin.addGuardDutyFindings(DEMO.accountId, DEMO.guardDuty.findings, {
    id: DEMO.guardDuty.detectorId,
  });
  const account = state.account(DEMO.accountId);
  for (const [name, { id: userId, keys }] of Object.entries(DEMO.users)) {
    account.users.set(name, {
      name,
      path: '/',
      id: userId,
      arn: `arn:aws:iam::${DEMO.accountId}:user/${name}`,
      createDate: now,
      tags: [],
      policies: new Map(),
    });
    for (const id of keys) {
      const lastUsed = {
        date: new Date(now.getTime() - 60_000),
        service: 's3',
        region: 'us-east-1',
      };
      account.accessKeys.set(id, {
        id,
        secret: `demo-secret-${id}`,
        userName: name,
        status: 'Active',
        createDate: now,
        lastUsed,
      });
      state.keyAccounts.set(id, DEMO.accountId);
    }
  }

  const trust = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };
  for (const role of DEMO.roles) {
    account.roles.set(role.name, {
      name: role.name,
      path: '/',
      id: role.id,
      arn: `arn:aws:iam::${DEMO.accountId}:role/${role.name}`,
      createDate: now,
      trustPolicy: JSON.stringify(trust),
      maxSessionDuration: 3600,
      tags: role.tags.map((t) => ({ ...t })),
      policies: new Map(),
    });
  }
  // Sessions issued ten minutes ago: the ones the findings report.
  const issuedAt = new Date(now.getTime() - 10 * 60_000);
  for (const session of DEMO.sessions) {
    const role = DEMO.roles.find((r) => r.name === session.role);
    state.temporary.set(session.accessKeyId, {
      accessKeyId: session.accessKeyId,
      secretAccessKey: 'demo-session-secret',
      sessionToken: 'demo-session-token',
      principal: {
        kind: 'assumed-role',
        accountId: DEMO.accountId,
        arn: `arn:aws:sts::${DEMO.accountId}:assumed-role/${session.role}/${session.name}`,
        userId: `${role?.id}:${session.name}`,
        roleName: session.role,
        sessionName: session.name,
      },
      issuedAt,
      expiration: new Date(issuedAt.getTime() + 6 * 3600_000),
    });
  }
}

/** The member account: one user with one key, and the member role the responder assumes. */
function seedMemberAccount({ state }: StandInAdmin, now: Date): void {
  const { accountId, roleName, user, key } = DEMO.member;
  const account = state.account(accountId);
  account.users.set(user, {
    name: user,
    path: '/',
    id: 'AIDAEXAMPLEMEMBER001',
    arn: `arn:aws:iam::${accountId}:user/${user}`,
    createDate: now,
    tags: [],
    policies: new Map(),
  });
  account.accessKeys.set(key, {
    id: key,
    secret: `demo-secret-${key}`,
    userName: user,
    status: 'Active',
    createDate: now,
  });
  state.keyAccounts.set(key, accountId);
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${DEMO.accountId}:root` },
        Action: 'sts:AssumeRole',
      },
    ],
  };
  account.roles.set(roleName, {
    name: roleName,
    path: '/',
    id: 'AROAEXAMPLEMEMBER001',
    arn: `arn:aws:iam::${accountId}:role/${roleName}`,
    createDate: now,
    trustPolicy: JSON.stringify(trust),
    maxSessionDuration: 3600,
    tags: [{ Key: 'credential-responder:protected', Value: 'true' }],
    policies: new Map(),
  });
}
