import { randomBytes } from 'node:crypto';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccessKeyLastUsedCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListRolePoliciesCommand,
  ListUserTagsCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const DEFAULT_ACCOUNT = '123456789012';
const ADMIN: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
});
afterAll(() => standIn.stop());

/** Real SDK clients, without retries so error tests see the first answer. */
function clients(credentials: Credentials = ADMIN, region = 'us-east-1') {
  const config = { region, endpoint: standIn.url, credentials, maxAttempts: 1 };
  return { iam: new IAMClient(config), sts: new STSClient(config) };
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** The exception an SDK call rejects with, for asserting on name and HTTP status. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  if (!error) throw new Error('expected the call to fail');
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

async function userWithKey(iam: IAMClient) {
  const userName = unique('user');
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const credentials = {
    accessKeyId: AccessKey?.AccessKeyId ?? '',
    secretAccessKey: AccessKey?.SecretAccessKey ?? '',
  };
  return { userName, credentials };
}

function trustPolicy(condition?: object) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${DEFAULT_ACCOUNT}:root` },
        Action: 'sts:AssumeRole',
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
}

async function role(iam: IAMClient, condition?: object) {
  const out = await iam.send(
    new CreateRoleCommand({
      RoleName: unique('role'),
      AssumeRolePolicyDocument: trustPolicy(condition),
    }),
  );
  return { name: out.Role?.RoleName ?? '', arn: out.Role?.Arn ?? '', id: out.Role?.RoleId ?? '' };
}

describe('users and access keys', () => {
  it('creates a user and a key shaped like AWS ones', async () => {
    const { iam } = clients();
    const userName = unique('user');

    const { User } = await iam.send(
      new CreateUserCommand({
        UserName: userName,
        Path: '/ci/',
        Tags: [{ Key: 'team', Value: 'a+b=c @d' }],
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));

    expect(User).toMatchObject({
      UserName: userName,
      Path: '/ci/',
      Arn: `arn:aws:iam::${DEFAULT_ACCOUNT}:user/ci/${userName}`,
      UserId: expect.stringMatching(/^AIDA[A-Z2-7]{16}$/),
      Tags: [{ Key: 'team', Value: 'a+b=c @d' }],
    });
    expect(User?.CreateDate).toBeInstanceOf(Date);
    expect(AccessKey).toMatchObject({
      UserName: userName,
      AccessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/),
      SecretAccessKey: expect.stringMatching(/^.{40}$/),
      Status: 'Active',
    });
  });

  it('tags and untags a user, keys matching case-insensitively', async () => {
    const { iam } = clients();
    const userName = unique('user');
    await iam.send(
      new CreateUserCommand({ UserName: userName, Tags: [{ Key: 'Team', Value: 'a' }] }),
    );

    await iam.send(
      new TagUserCommand({
        UserName: userName,
        Tags: [
          { Key: 'team', Value: 'b' },
          { Key: 'x', Value: '' },
        ],
      }),
    );
    await iam.send(new UntagUserCommand({ UserName: userName, TagKeys: ['X'] }));

    const { Tags } = await iam.send(new ListUserTagsCommand({ UserName: userName }));
    expect(Tags).toEqual([{ Key: 'team', Value: 'b' }]);
  });

  it('lists a deactivated key as Inactive', async () => {
    const { iam } = clients();
    const { userName, credentials } = await userWithKey(iam);

    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: userName,
        AccessKeyId: credentials.accessKeyId,
        Status: 'Inactive',
      }),
    );

    const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
    expect(AccessKeyMetadata).toEqual([
      {
        UserName: userName,
        AccessKeyId: credentials.accessKeyId,
        Status: 'Inactive',
        CreateDate: expect.any(Date),
      },
    ]);
  });

  it("answers NoSuchEntity when updating another user's key", async () => {
    const { iam } = clients();
    const owner = await userWithKey(iam);
    const other = unique('user');
    await iam.send(new CreateUserCommand({ UserName: other }));

    const error = await failure(
      iam.send(
        new UpdateAccessKeyCommand({
          UserName: other,
          AccessKeyId: owner.credentials.accessKeyId,
          Status: 'Inactive',
        }),
      ),
    );

    expect(error).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `The Access Key with id ${owner.credentials.accessKeyId} cannot be found.`,
    });
  });

  it("applies UpdateAccessKey without UserName to the calling user's keys only", async () => {
    const admin = clients();
    const caller = await userWithKey(admin.iam);
    const second = await admin.iam.send(new CreateAccessKeyCommand({ UserName: caller.userName }));
    const stranger = await userWithKey(admin.iam);
    const asCaller = clients(caller.credentials);

    await asCaller.iam.send(
      new UpdateAccessKeyCommand({
        AccessKeyId: second.AccessKey?.AccessKeyId,
        Status: 'Inactive',
      }),
    );
    const error = await failure(
      asCaller.iam.send(
        new UpdateAccessKeyCommand({
          AccessKeyId: stranger.credentials.accessKeyId,
          Status: 'Inactive',
        }),
      ),
    );

    const { AccessKeyMetadata } = await admin.iam.send(
      new ListAccessKeysCommand({ UserName: caller.userName }),
    );
    expect(
      AccessKeyMetadata?.find((k) => k.AccessKeyId === second.AccessKey?.AccessKeyId)?.Status,
    ).toBe('Inactive');
    expect(error.name).toBe('NoSuchEntityException');
  });

  it('refuses requests signed with a deactivated key', async () => {
    const { iam } = clients();
    const { userName, credentials } = await userWithKey(iam);
    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: userName,
        AccessKeyId: credentials.accessKeyId,
        Status: 'Inactive',
      }),
    );

    const error = await failure(clients(credentials).sts.send(new GetCallerIdentityCommand({})));

    expect(error).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });

  it('answers LimitExceeded (409) for a third key', async () => {
    const { iam } = clients();
    const { userName } = await userWithKey(iam);
    await iam.send(new CreateAccessKeyCommand({ UserName: userName }));

    const error = await failure(iam.send(new CreateAccessKeyCommand({ UserName: userName })));

    expect(error).toEqual({
      name: 'LimitExceededException',
      status: 409,
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
    });
  });

  it('describes the calling user when GetUser has no UserName', async () => {
    const { iam } = clients();
    const { userName, credentials } = await userWithKey(iam);

    const { User } = await clients(credentials).iam.send(new GetUserCommand({}));

    expect(User?.UserName).toBe(userName);
  });
});

describe('key lookups', () => {
  it('names the owner and reports N/A for a key never used', async () => {
    const { iam } = clients();
    const { userName, credentials } = await userWithKey(iam);

    const out = await iam.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: credentials.accessKeyId }),
    );

    expect(out.UserName).toBe(userName);
    expect(out.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
  });

  it('records the service, region and time of the last signed request', async () => {
    const { iam } = clients();
    const { credentials } = await userWithKey(iam);
    const before = Math.floor(Date.now() / 1000) * 1000;

    await clients(credentials, 'eu-west-1').sts.send(new GetCallerIdentityCommand({}));

    const out = await iam.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: credentials.accessKeyId }),
    );
    expect(out.AccessKeyLastUsed).toMatchObject({ ServiceName: 'sts', Region: 'eu-west-1' });
    expect(out.AccessKeyLastUsed?.LastUsedDate?.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('answers AccessDenied for the last use of a key outside the account', async () => {
    const { iam } = clients();

    const error = await failure(
      iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' })),
    );

    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('returns the issuing account from GetAccessKeyInfo', async () => {
    const { iam, sts } = clients();
    const { credentials } = await userWithKey(iam);

    const issued = await sts.send(
      new GetAccessKeyInfoCommand({ AccessKeyId: credentials.accessKeyId }),
    );
    const foreign = await sts.send(
      new GetAccessKeyInfoCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }),
    );

    expect(issued.Account).toBe(DEFAULT_ACCOUNT);
    // The account AWS's key-id encoding yields for the documentation's example key.
    expect(foreign.Account).toBe('581039954779');
  });
});

describe('assuming roles', () => {
  it('returns ASIA credentials that act as the assumed role', async () => {
    const { iam, sts } = clients();
    const target = await role(iam);

    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: target.arn, RoleSessionName: 'incident-1' }),
    );
    const identity = await clients({
      accessKeyId: out.Credentials?.AccessKeyId ?? '',
      secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
      sessionToken: out.Credentials?.SessionToken ?? '',
    }).sts.send(new GetCallerIdentityCommand({}));

    const arn = `arn:aws:sts::${DEFAULT_ACCOUNT}:assumed-role/${target.name}/incident-1`;
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(out.AssumedRoleUser).toEqual({ Arn: arn, AssumedRoleId: `${target.id}:incident-1` });
    expect(identity).toMatchObject({
      Arn: arn,
      UserId: `${target.id}:incident-1`,
      Account: DEFAULT_ACCOUNT,
    });
  });

  it('records when each temporary credential was issued', async () => {
    const { iam, sts } = clients();
    const target = await role(iam);
    const before = Date.now();

    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: target.arn, RoleSessionName: 's1' }),
    );

    const record = standInAdmin(standIn).temporaryCredential(out.Credentials?.AccessKeyId ?? '');
    expect(record?.principal).toMatchObject({
      kind: 'assumed-role',
      roleName: target.name,
      accountId: DEFAULT_ACCOUNT,
    });
    expect(record?.issuedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(record?.issuedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('answers AccessDenied (403) for a role that does not exist', async () => {
    const { sts } = clients();
    const roleArn = `arn:aws:iam::${DEFAULT_ACCOUNT}:role/${unique('missing')}`;

    const error = await failure(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1' })),
    );

    expect(error).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::${DEFAULT_ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    });
  });

  it('requires the ExternalId the trust policy names', async () => {
    const { iam, sts } = clients();
    const target = await role(iam, { StringEquals: { 'sts:ExternalId': 'expected-id' } });

    const wrong = await failure(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: target.arn,
          RoleSessionName: 's1',
          ExternalId: 'other-id',
        }),
      ),
    );
    const missing = await failure(
      sts.send(new AssumeRoleCommand({ RoleArn: target.arn, RoleSessionName: 's1' })),
    );
    const right = await sts.send(
      new AssumeRoleCommand({
        RoleArn: target.arn,
        RoleSessionName: 's1',
        ExternalId: 'expected-id',
      }),
    );

    expect([wrong.name, missing.name]).toEqual(['AccessDenied', 'AccessDenied']);
    expect(right.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it('refuses temporary credentials with a wrong or expired session token', async () => {
    const { iam, sts } = clients();
    const target = await role(iam);
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: target.arn, RoleSessionName: 's1' }),
    );
    const credentials = { accessKeyId: Credentials?.AccessKeyId ?? '', secretAccessKey: 'x' };

    const forged = await failure(
      clients({ ...credentials, sessionToken: 'forged' }).sts.send(
        new GetCallerIdentityCommand({}),
      ),
    );
    const record = standInAdmin(standIn).temporaryCredential(credentials.accessKeyId);
    if (record) record.expiration = new Date(Date.now() - 1000);
    const expired = await failure(
      clients({ ...credentials, sessionToken: Credentials?.SessionToken ?? '' }).sts.send(
        new GetCallerIdentityCommand({}),
      ),
    );

    expect(forged).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    expect(expired).toMatchObject({ name: 'ExpiredToken', status: 403 });
  });

  it('issues session tokens that act as the calling user', async () => {
    const { iam } = clients();
    const { userName, credentials } = await userWithKey(iam);

    const { Credentials } = await clients(credentials).sts.send(new GetSessionTokenCommand({}));
    const identity = await clients({
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    }).sts.send(new GetCallerIdentityCommand({}));

    expect(Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(identity.Arn).toBe(`arn:aws:iam::${DEFAULT_ACCOUNT}:user/${userName}`);
  });

  it('reports a role with its tags and an empty RoleLastUsed before first use', async () => {
    const { iam } = clients();
    const name = unique('role');
    await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: trustPolicy(),
        Tags: [{ Key: 'env', Value: 'test' }],
      }),
    );

    const { Role } = await iam.send(new GetRoleCommand({ RoleName: name }));

    expect(Role).toMatchObject({
      RoleName: name,
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'env', Value: 'test' }],
    });
    expect(Role?.RoleLastUsed).toEqual({});
    expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')).toBe(trustPolicy());
  });
});

describe('inline policies', () => {
  const document = JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { DateLessThan: { 'aws:TokenIssueTime': '2030-01-01T00:00:00Z' } },
        },
      ],
    },
    null,
    2,
  );

  it('round-trips a role policy document, URL-encoded as AWS returns it', async () => {
    const { iam } = clients();
    const target = await role(iam);

    await iam.send(
      new PutRolePolicyCommand({
        RoleName: target.name,
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: document,
      }),
    );
    const out = await iam.send(
      new GetRolePolicyCommand({ RoleName: target.name, PolicyName: 'AWSRevokeOlderSessions' }),
    );
    const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName: target.name }));

    expect(out.PolicyDocument).toBe(encodeURIComponent(document));
    expect(decodeURIComponent(out.PolicyDocument ?? '')).toBe(document);
    expect(PolicyNames).toEqual(['AWSRevokeOlderSessions']);
  });

  it('answers MalformedPolicyDocument for a document that is not JSON', async () => {
    const { iam } = clients();
    const target = await role(iam);

    const error = await failure(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: target.name,
          PolicyName: 'p',
          PolicyDocument: '{"Version":',
        }),
      ),
    );

    expect(error).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
  });

  it('limits the aggregate size of inline policies, not counting white space', async () => {
    const { iam } = clients();
    const target = await role(iam);
    const { userName } = await userWithKey(iam);
    const sized = (chars: number) => JSON.stringify({ Statement: [], Pad: 'x'.repeat(chars - 25) });
    expect(sized(1000)).toHaveLength(1000);

    await iam.send(
      new PutRolePolicyCommand({
        RoleName: target.name,
        PolicyName: 'a',
        PolicyDocument: sized(10_000),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: target.name,
        PolicyName: 'b',
        PolicyDocument: `  ${sized(240)}\n\n`,
      }),
    );
    const roleError = await failure(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: target.name,
          PolicyName: 'c',
          PolicyDocument: sized(30),
        }),
      ),
    );
    const userError = await failure(
      iam.send(
        new PutUserPolicyCommand({
          UserName: userName,
          PolicyName: 'a',
          PolicyDocument: sized(2049),
        }),
      ),
    );

    expect(roleError).toMatchObject({ name: 'LimitExceededException', status: 409 });
    expect(userError).toMatchObject({
      name: 'LimitExceededException',
      message: `Maximum policy size of 2048 bytes exceeded for user ${userName}`,
    });
  });
});

describe('errors', () => {
  it('surfaces each AWS error code as the SDK exception with its HTTP status', async () => {
    const { iam, sts } = clients();
    const userName = unique('user');
    await iam.send(new CreateUserCommand({ UserName: userName }));

    const cases = await Promise.all([
      failure(iam.send(new GetUserCommand({ UserName: 'no-such-user' }))),
      failure(iam.send(new CreateUserCommand({ UserName: userName }))),
      failure(iam.send(new CreateUserCommand({ UserName: '<not> & valid' }))),
      failure(iam.send(new GetRoleCommand({ RoleName: undefined }))),
      failure(
        sts.send(
          new AssumeRoleCommand({
            RoleArn: 'arn:aws:iam::123456789012:user/x',
            RoleSessionName: 's1',
          }),
        ),
      ),
    ]);

    expect(cases).toEqual([
      {
        name: 'NoSuchEntityException',
        status: 404,
        message: 'The user with name no-such-user cannot be found.',
      },
      {
        name: 'EntityAlreadyExistsException',
        status: 409,
        message: `User with name ${userName} already exists.`,
      },
      {
        name: 'ValidationError',
        status: 400,
        message:
          "1 validation error detected: Value '<not> & valid' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      },
      {
        name: 'ValidationError',
        status: 400,
        message:
          "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null",
      },
      { name: 'ValidationError', status: 400, message: 'Request ARN is invalid' },
    ]);
  });

  it('has the SDK retry injected Throttling and surface ServiceFailure as a 500', async () => {
    const admin = standInAdmin(standIn);
    const retrying = new STSClient({
      region: 'us-east-1',
      endpoint: standIn.url,
      credentials: ADMIN,
      maxAttempts: 3,
    });
    standIn.resetCalls();

    admin.injectFault('Throttling', { action: 'GetCallerIdentity', times: 2 });
    const identity = await retrying.send(new GetCallerIdentityCommand({}));
    admin.injectFault('ServiceFailure', { action: 'GetCallerIdentity' });
    const error = await failure(clients().sts.send(new GetCallerIdentityCommand({})));

    expect(identity.Account).toBe(DEFAULT_ACCOUNT);
    expect(standIn.calls.get('GetCallerIdentity')).toBe(4);
    expect(error).toMatchObject({ name: 'ServiceFailure', status: 500 });
  });
});

describe('accounts', () => {
  it('assumes a role in another account and then acts in that account', async () => {
    const otherAccount = '210987654321';
    const other = clients(standInAdmin(standIn).rootCredentials(otherAccount));
    const target = await role(other.iam);
    await other.iam.send(new CreateUserCommand({ UserName: 'only-there' }));

    const { Credentials } = await clients().sts.send(
      new AssumeRoleCommand({ RoleArn: target.arn, RoleSessionName: 'cross' }),
    );
    const assumed = clients({
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    });
    const identity = await assumed.sts.send(new GetCallerIdentityCommand({}));
    const { User } = await assumed.iam.send(new GetUserCommand({ UserName: 'only-there' }));
    const info = await clients().sts.send(
      new GetAccessKeyInfoCommand({ AccessKeyId: Credentials?.AccessKeyId }),
    );
    const notHere = await failure(
      clients().iam.send(new GetUserCommand({ UserName: 'only-there' })),
    );

    expect(target.arn).toBe(`arn:aws:iam::${otherAccount}:role/${target.name}`);
    expect(identity.Arn).toBe(`arn:aws:sts::${otherAccount}:assumed-role/${target.name}/cross`);
    expect(User?.Arn).toBe(`arn:aws:iam::${otherAccount}:user/only-there`);
    expect(info.Account).toBe(otherAccount);
    expect(notHere.name).toBe('NoSuchEntityException');
  });
});

describe('instrumentation', () => {
  it('counts requests per action until reset', async () => {
    const { iam, sts } = clients();
    standIn.resetCalls();

    await sts.send(new GetCallerIdentityCommand({}));
    await sts.send(new GetCallerIdentityCommand({}));
    await failure(iam.send(new GetUserCommand({ UserName: 'no-such-user' })));

    expect(Object.fromEntries(standIn.calls)).toEqual({ GetCallerIdentity: 2, GetUser: 1 });
  });

  it('adds the configured latency to every response', async () => {
    const slow = await startStandIn({ latencyMs: 150 });
    try {
      const sts = new STSClient({ region: 'us-east-1', endpoint: slow.url, credentials: ADMIN });
      const started = performance.now();
      await sts.send(new GetCallerIdentityCommand({}));
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await slow.stop();
    }
  });
});
