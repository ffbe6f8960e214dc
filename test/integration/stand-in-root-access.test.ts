import { request } from 'node:http';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  AssumeRootCommand,
  type AssumeRootCommandInput,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StandIn, type StandInAdmin, standInAdmin, startStandIn } from '../stand-in/server';
import { clientsAt } from '../support/endpoint';

/**
 * Centralized root access on the stand-in (DOMAIN.md section 8): organizations, root users' access
 * keys and `sts:AssumeRoot` sessions can only be seeded through its admin controls, so these tests
 * run on it alone.
 */
const MANAGEMENT = '111111111111';
const MEMBER = '210987654321';
const DELEGATED = '333333333333';
const OUTSIDER = '444444444444';
const ROOT_TASK = 'arn:aws:iam::aws:policy/root-task/';
const DELETE_TASK = `${ROOT_TASK}IAMDeleteRootUserCredentials`;
const AUDIT_TASK = `${ROOT_TASK}IAMAuditRootUserCredentials`;

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let standIn: StandIn;
let admin: StandInAdmin;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
  admin = standInAdmin(standIn);
});
afterAll(() => standIn.stop());
beforeEach(() =>
  admin.organization({
    managementAccountId: MANAGEMENT,
    memberAccountIds: [MEMBER, DELEGATED],
    delegatedAdministratorId: DELEGATED,
  }),
);

/** Real SDK clients, without retries so error tests see the first answer. */
function clients(credentials: Credentials) {
  const config = { region: 'us-east-1', endpoint: standIn.url, credentials, maxAttempts: 1 };
  return { iam: new IAMClient(config), sts: new STSClient(config) };
}

let users = 0;

/** An IAM user's key in `accountId`, made through that account's root user. */
async function userKey(accountId: string): Promise<Credentials & { userName: string }> {
  const { iam } = clients(admin.rootCredentials(accountId));
  const userName = `responder-${++users}`;
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return {
    userName,
    accessKeyId: AccessKey?.AccessKeyId ?? '',
    secretAccessKey: AccessKey?.SecretAccessKey ?? '',
  };
}

/** AssumeRoot of MEMBER's root with the delete task, unless `input` says otherwise. */
function assumeRoot(caller: Credentials, input: Partial<AssumeRootCommandInput> = {}) {
  return clients(caller).sts.send(
    new AssumeRootCommand({
      TargetPrincipal: MEMBER,
      TaskPolicyArn: { arn: DELETE_TASK },
      DurationSeconds: 120,
      ...input,
    }),
  );
}

/** The credentials of an AssumeRoot (or AssumeRole) answer. */
function sessionOf(out: {
  Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string };
}): Credentials {
  return {
    accessKeyId: out.Credentials?.AccessKeyId ?? '',
    secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
    sessionToken: out.Credentials?.SessionToken ?? '',
  };
}

/** Clients signing with a root session of MEMBER taken by a management account user. */
async function rootSession(task = DELETE_TASK) {
  const out = await assumeRoot(await userKey(MANAGEMENT), { TaskPolicyArn: { arn: task } });
  const credentials = sessionOf(out);
  return { ...clients(credentials), credentials, out };
}

/** The exception an SDK call rejects with, for asserting on name, HTTP status and message. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  if (!error) throw new Error('expected the call to fail');
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

/** A POST the SDK would not make (a chosen Host header, a raw JSON target); unsigned, as the
 * stand-in reads only the credential scope. */
function post(headers: Record<string, string>, body: string) {
  const url = new URL(standIn.url);
  return new Promise<{ status: number; errorType: unknown; text: string }>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: '/', method: 'POST', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            errorType: res.headers['x-amzn-errortype'],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const authorization = (accessKeyId: string, service: string) =>
  `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;

function organizations(caller: Credentials, operation = 'DescribeOrganization') {
  return post(
    {
      authorization: authorization(caller.accessKeyId, 'organizations'),
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSOrganizationsV20161128.${operation}`,
      ...(caller.sessionToken !== undefined && { 'x-amz-security-token': caller.sessionToken }),
    },
    '{}',
  );
}

describe('sts:AssumeRoot', () => {
  it("gives the management account a session acting as the member account's root user", async () => {
    const { sts, out } = await rootSession();

    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const lifetime = (out.Credentials?.Expiration?.getTime() ?? 0) - Date.now();

    expect(identity).toMatchObject({
      Arn: `arn:aws:iam::${MEMBER}:root`,
      UserId: MEMBER,
      Account: MEMBER,
    });
    expect(lifetime).toBeGreaterThan(115_000);
    expect(lifetime).toBeLessThanOrEqual(120_000);
    expect(admin.temporaryCredential(out.Credentials?.AccessKeyId ?? '')).toMatchObject({
      taskPolicyArn: DELETE_TASK,
    });
  });

  it('takes the root user ARN as the target and lasts 900 s by default', async () => {
    const out = await assumeRoot(await userKey(MANAGEMENT), {
      TargetPrincipal: `arn:aws:iam::${MEMBER}:root`,
      DurationSeconds: undefined,
    });

    const lifetime = (out.Credentials?.Expiration?.getTime() ?? 0) - Date.now();
    const identity = await clients(sessionOf(out)).sts.send(new GetCallerIdentityCommand({}));

    expect(lifetime).toBeGreaterThan(895_000);
    expect(lifetime).toBeLessThanOrEqual(900_000);
    expect(identity.Account).toBe(MEMBER);
  });

  it('is open to the IAM delegated administrator, and to a role session of the management account', async () => {
    const { iam } = clients(admin.rootCredentials(MANAGEMENT));
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: MANAGEMENT }, Action: 'sts:AssumeRole' }],
    };
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: 'responder',
        AssumeRolePolicyDocument: JSON.stringify(trust),
      }),
    );
    const role = await clients(await userKey(MANAGEMENT)).sts.send(
      new AssumeRoleCommand({ RoleArn: Role?.Arn, RoleSessionName: 'incident' }),
    );

    const delegated = await assumeRoot(await userKey(DELEGATED));
    const fromRole = await assumeRoot(sessionOf(role));

    expect(delegated.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(fromRole.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it('refuses root user credentials', async () => {
    const error = await failure(assumeRoot(admin.rootCredentials(MANAGEMENT)));

    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(error.message).toMatch(/cannot use root user credentials/);
  });

  it('refuses a member account that is not the delegated administrator', async () => {
    const caller = await userKey(MEMBER);

    const error = await failure(assumeRoot(caller));

    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(error.message).toBe(
      `User: arn:aws:iam::${MEMBER}:user/${caller.userName} is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::${MEMBER}:root because account ${MEMBER} is neither the management account nor the delegated administrator for IAM of organization ${admin.state.organization?.id}`,
    );
  });

  it('refuses an account in no organization', async () => {
    const error = await failure(assumeRoot(await userKey(OUTSIDER)));

    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(error.message).toMatch(/account 444444444444 is not in an organization/);
  });

  it.each([
    { trustedAccess: false },
    { rootCredentialsManagement: false },
    { rootSessions: false },
  ])('refuses while centralized root access is not enabled (%o)', async (off) => {
    admin.organization({
      managementAccountId: MANAGEMENT,
      memberAccountIds: [MEMBER, DELEGATED],
      delegatedAdministratorId: DELEGATED,
      ...off,
    });

    const error = await failure(assumeRoot(await userKey(MANAGEMENT)));

    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(error.message).toMatch(/centralized root access is not enabled/);
  });

  it("refuses the management account's own root user as the target", async () => {
    const error = await failure(
      assumeRoot(await userKey(DELEGATED), { TargetPrincipal: MANAGEMENT }),
    );

    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(error.message).toMatch(/is the management account of organization/);
  });

  it('refuses a target outside the organization', async () => {
    const error = await failure(
      assumeRoot(await userKey(MANAGEMENT), { TargetPrincipal: OUTSIDER }),
    );

    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(error.message).toMatch(/account 444444444444 is not a member account/);
  });

  it.each([
    [{ TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }, /TaskPolicyArn/],
    [{ DurationSeconds: 901 }, /less than or equal to 900/],
    [{ TargetPrincipal: `arn:aws:iam::${MEMBER}:user/someone` }, /TargetPrincipal/],
  ])('answers ValidationError for %o', async (input, message) => {
    const error = await failure(assumeRoot(await userKey(MANAGEMENT), input));

    expect(error).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(error.message).toMatch(message);
  });

  it("refuses STS's global endpoint", async () => {
    const caller = await userKey(MANAGEMENT);
    const form = new URLSearchParams({
      Action: 'AssumeRoot',
      Version: '2011-06-15',
      TargetPrincipal: MEMBER,
      'TaskPolicyArn.arn': DELETE_TASK,
    });

    const answer = await post(
      {
        host: 'sts.amazonaws.com',
        authorization: authorization(caller.accessKeyId, 'sts'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      form.toString(),
    );

    expect(answer.status).toBe(403);
    expect(answer.text).toMatch(/<Code>AccessDenied<\/Code>.*global endpoint/);
  });
});

describe('a root session limited to IAMDeleteRootUserCredentials', () => {
  it("lists and reads the root user's keys, deletes one, which is then refused", async () => {
    const lastUsed = { date: new Date('2026-01-02T03:04:05Z'), service: 's3', region: 'eu-west-1' };
    const used = admin.rootCredentials(MEMBER, { lastUsed });
    const unused = admin.rootCredentials(MEMBER);
    const { iam } = await rootSession();

    const before = await iam.send(new ListAccessKeysCommand({}));
    const usedLastUse = await iam.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: used.accessKeyId }),
    );
    const unusedLastUse = await iam.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: unused.accessKeyId }),
    );
    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: used.accessKeyId }));
    const after = await iam.send(new ListAccessKeysCommand({}));
    const refused = await failure(clients(used).sts.send(new GetCallerIdentityCommand({})));
    const again = await failure(
      iam.send(new DeleteAccessKeyCommand({ AccessKeyId: used.accessKeyId })),
    );

    expect(before.AccessKeyMetadata).toEqual(
      expect.arrayContaining([
        { AccessKeyId: used.accessKeyId, Status: 'Active', CreateDate: expect.any(Date) },
        { AccessKeyId: unused.accessKeyId, Status: 'Active', CreateDate: expect.any(Date) },
      ]),
    );
    expect(usedLastUse.UserName).toBeUndefined();
    expect(usedLastUse.AccessKeyLastUsed).toEqual({
      LastUsedDate: lastUsed.date,
      ServiceName: 's3',
      Region: 'eu-west-1',
    });
    expect(unusedLastUse.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
    expect(after.AccessKeyMetadata?.map((k) => k.AccessKeyId)).not.toContain(used.accessKeyId);
    expect(after.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toContain(unused.accessKeyId);
    expect(refused).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    expect(again).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `The Access Key with id ${used.accessKeyId} cannot be found.`,
    });
  });

  it('cannot deactivate a root key: UpdateAccessKey is not in the task policy', async () => {
    const key = admin.rootCredentials(MEMBER);
    const { iam } = await rootSession();

    const error = await failure(
      iam.send(new UpdateAccessKeyCommand({ AccessKeyId: key.accessKeyId, Status: 'Inactive' })),
    );
    const keys = await iam.send(new ListAccessKeysCommand({}));

    expect(error).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::${MEMBER}:root is not authorized to perform: iam:UpdateAccessKey because no session policy allows the iam:UpdateAccessKey action`,
    });
    expect(keys.AccessKeyMetadata?.find((k) => k.AccessKeyId === key.accessKeyId)?.Status).toBe(
      'Active',
    );
  });

  it('may call nothing else but GetCallerIdentity', async () => {
    const { iam, sts, credentials } = await rootSession();

    const createUser = await failure(iam.send(new CreateUserCommand({ UserName: 'intruder' })));
    const describe = await organizations(credentials);
    const identity = await sts.send(new GetCallerIdentityCommand({}));

    expect(createUser).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(createUser.message).toMatch(/no session policy allows the iam:CreateUser action/);
    expect(describe.status).toBe(400);
    expect(describe.errorType).toBe('AccessDeniedException');
    expect(JSON.parse(describe.text).message).toMatch(
      /not authorized to perform: organizations:DescribeOrganization because no session policy/,
    );
    expect(identity.Account).toBe(MEMBER);
  });

  it("does not delete an IAM user's key, which it does not find among the root user's", async () => {
    const user = await userKey(MEMBER);
    const { iam } = await rootSession();

    const error = await failure(
      iam.send(new DeleteAccessKeyCommand({ AccessKeyId: user.accessKeyId })),
    );
    const lastUse = await iam.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: user.accessKeyId }),
    );

    expect(error).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(lastUse.UserName).toBe(user.userName);
    expect((await clients(user).sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:iam::${MEMBER}:user/${user.userName}`,
    );
  });

  it('is recorded in the member account as the root user, and AssumeRoot in the caller’s', async () => {
    const key = admin.rootCredentials(MEMBER);
    const { iam, out } = await rootSession();
    const sessionKey = out.Credentials?.AccessKeyId ?? '';

    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: key.accessKeyId }));

    const deletion = admin
      .cloudTrailEvents(MEMBER)
      .find((e) => e.record.userIdentity.accessKeyId === sessionKey);
    const assumed = admin
      .cloudTrailEvents(MANAGEMENT)
      .find(
        (e) =>
          e.record.eventName === 'AssumeRoot' &&
          JSON.stringify(e.record.responseElements).includes(sessionKey),
      );
    expect(deletion?.username).toBe('root');
    expect(deletion?.record).toMatchObject({
      eventName: 'DeleteAccessKey',
      eventSource: 'iam.amazonaws.com',
      recipientAccountId: MEMBER,
      userIdentity: {
        type: 'Root',
        principalId: MEMBER,
        arn: `arn:aws:iam::${MEMBER}:root`,
        accountId: MEMBER,
        sessionContext: { assumedRoot: 'true', attributes: { mfaAuthenticated: 'false' } },
      },
      requestParameters: { accessKeyId: key.accessKeyId },
    });
    expect(assumed?.record).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      readOnly: true,
      userIdentity: { type: 'IAMUser' },
      requestParameters: {
        targetPrincipal: MEMBER,
        taskPolicyArn: { arn: DELETE_TASK },
        durationSeconds: 120,
      },
      responseElements: { credentials: { accessKeyId: sessionKey } },
    });
  });
});

describe('a root session limited to IAMAuditRootUserCredentials', () => {
  it('reads the root user’s keys but deletes none', async () => {
    const key = admin.rootCredentials(MEMBER);
    const { iam } = await rootSession(AUDIT_TASK);

    const keys = await iam.send(new ListAccessKeysCommand({}));
    const error = await failure(
      iam.send(new DeleteAccessKeyCommand({ AccessKeyId: key.accessKeyId })),
    );

    expect(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toContain(key.accessKeyId);
    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});

describe("a root user's own access keys", () => {
  it('are listed by the root user, and refused once deactivated', async () => {
    const own = admin.rootCredentials('555555555555');
    const other = admin.rootCredentials('555555555555');
    const { iam } = clients(own);

    await iam.send(
      new UpdateAccessKeyCommand({ AccessKeyId: other.accessKeyId, Status: 'Inactive' }),
    );
    const keys = await iam.send(new ListAccessKeysCommand({}));
    const refused = await failure(clients(other).sts.send(new GetCallerIdentityCommand({})));

    expect(keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      [own.accessKeyId, 'Active'],
      [other.accessKeyId, 'Inactive'],
    ]);
    expect(refused).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });

  it('record their last use, and an inactive one made by the admin is refused', async () => {
    const own = admin.rootCredentials('666666666666');
    const inactive = admin.rootCredentials('666666666666', { status: 'Inactive' });

    await clients(own).sts.send(new GetCallerIdentityCommand({}));
    const lastUse = await clients(own).iam.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: own.accessKeyId }),
    );
    const refused = await failure(clients(inactive).sts.send(new GetCallerIdentityCommand({})));

    expect(lastUse.AccessKeyLastUsed).toMatchObject({ ServiceName: 'iam', Region: 'us-east-1' });
    expect(refused).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });
});

describe("an IAM user's access key", () => {
  it('is listed, read and deleted by name exactly as before', async () => {
    const user = await userKey(MEMBER);
    const { iam } = clients(admin.rootCredentials(MEMBER));

    const listed = await iam.send(new ListAccessKeysCommand({ UserName: user.userName }));
    const own = await clients(user).iam.send(new ListAccessKeysCommand({}));
    const lastUse = await iam.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: user.accessKeyId }),
    );
    const rootless = await failure(
      iam.send(new DeleteAccessKeyCommand({ AccessKeyId: user.accessKeyId })),
    );
    await iam.send(
      new DeleteAccessKeyCommand({ UserName: user.userName, AccessKeyId: user.accessKeyId }),
    );
    const refused = await failure(clients(user).sts.send(new GetCallerIdentityCommand({})));

    expect(listed.AccessKeyMetadata).toEqual([
      {
        UserName: user.userName,
        AccessKeyId: user.accessKeyId,
        Status: 'Active',
        CreateDate: expect.any(Date),
      },
    ]);
    expect(own.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([user.accessKeyId]);
    expect(lastUse.UserName).toBe(user.userName);
    expect(rootless).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(refused).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });
});

describe('organizations:DescribeOrganization', () => {
  it('describes the organization to any of its accounts', async () => {
    const member = await userKey(MEMBER);
    standIn.resetCalls();

    const answer = await organizations(member);
    const management = await clientsAt(standIn.url, member, 1).organizations.managementAccount();

    const id = admin.state.organization?.id ?? '';
    expect(id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({
      Organization: {
        Id: id,
        Arn: `arn:aws:organizations::${MANAGEMENT}:organization/${id}`,
        FeatureSet: 'ALL',
        MasterAccountArn: `arn:aws:organizations::${MANAGEMENT}:account/${id}/${MANAGEMENT}`,
        MasterAccountId: MANAGEMENT,
        MasterAccountEmail: expect.stringContaining('@'),
        AvailablePolicyTypes: [],
      },
    });
    expect(management).toBe(MANAGEMENT);
    expect(standIn.calls.get('DescribeOrganization')).toBe(2);
    expect(
      admin
        .cloudTrailEvents(MEMBER)
        .filter((e) => e.record.userIdentity.accessKeyId === member.accessKeyId)
        .map((e) => [e.record.eventSource, e.record.eventName]),
    ).toEqual([
      ['organizations.amazonaws.com', 'DescribeOrganization'],
      ['organizations.amazonaws.com', 'DescribeOrganization'],
    ]);
  });

  it('tells an account in no organization so', async () => {
    const outsider = await userKey(OUTSIDER);

    const answer = await organizations(outsider);
    const management = await clientsAt(standIn.url, outsider, 1).organizations.managementAccount();

    expect(answer.status).toBe(400);
    expect(answer.errorType).toBe('AWSOrganizationsNotInUseException');
    expect(JSON.parse(answer.text)).toEqual({
      __type: 'AWSOrganizationsNotInUseException',
      message: 'Your account is not a member of an organization.',
    });
    expect(management).toBeUndefined();
  });

  it('answers UnknownOperationException for an operation it does not serve', async () => {
    const member = await userKey(MEMBER);

    const answer = await organizations(member, 'ListAccounts');

    expect(answer.status).toBe(400);
    expect(answer.errorType).toBe('UnknownOperationException');
  });
});

describe('standInAdmin().organization', () => {
  it('refuses an organization AWS could not have', () => {
    const base = { managementAccountId: MANAGEMENT, memberAccountIds: [MEMBER] };

    expect(() => admin.organization({ ...base, delegatedAdministratorId: DELEGATED })).toThrow(
      /not a member account/,
    );
    expect(() => admin.organization({ ...base, delegatedAdministratorId: MANAGEMENT })).toThrow(
      /cannot be a delegated administrator/,
    );
    expect(() => admin.organization({ ...base, memberAccountIds: ['12345'] })).toThrow(
      /not an account id/,
    );
  });
});
