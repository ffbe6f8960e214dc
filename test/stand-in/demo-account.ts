import type { StandInAdmin } from './admin';
import { DEFAULT_ACCOUNT_ID } from './state';

/**
 * The demo account: exactly the principals and key ids the files in events/ name, so those files
 * work unchanged against the stand-in (`npm run demo`, `osls invoke local`). Stand-in-only: it
 * writes state directly, because AWS's API cannot create a key with a chosen id.
 */
export const DEMO = {
  accountId: DEFAULT_ACCOUNT_ID,
  users: {
    'demo-ci-deployer': ['AKIAEXAMPLEDEMO00001', 'AKIAEXAMPLEDEMO00002'],
    'demo-analyst': ['AKIAEXAMPLEDEMO00003'],
    'demo-backup-bot': ['AKIAEXAMPLEDEMO00004'],
    'demo-data-exporter': ['AKIAEXAMPLEDEMO00005'],
    'demo-web-uploader': ['AKIAEXAMPLEDEMO00006'],
    'demo-report-builder': ['AKIAEXAMPLEDEMO00007'],
    'demo-batch-job': ['AKIAEXAMPLEDEMO00008'],
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
  /** A member account of the organization, reached through the member role. */
  member: {
    accountId: '210987654321',
    roleName: 'credential-responder-member',
    user: 'demo-member-dev',
    key: 'AKIAEXAMPLEMEMBER001',
  },
} as const;

export function seedDemoAccount(admin: StandInAdmin, now = new Date()): void {
  const { state } = admin;
  seedMemberAccount(admin, now);
  const account = state.account(DEMO.accountId);
  let n = 0;
  for (const [name, keys] of Object.entries(DEMO.users)) {
    n += 1;
    account.users.set(name, {
      name,
      path: '/',
      id: `AIDAEXAMPLEDEMO0000${n}`,
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
