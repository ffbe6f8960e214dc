import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteUserCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Endpoint, uniqueName, useEndpoint } from '../support/endpoint';

/**
 * Customer managed policies as IAM's API reference documents them, over HTTP with the real SDK:
 * against the stand-in, or against `AWS_ENDPOINT_URL` when set.
 */
let endpoint: Endpoint;
let iam: IAMClient;
let accountId: string;

beforeAll(async () => {
  endpoint = await useEndpoint();
  // Without retries: the SDK retries LimitExceededException as throttling, and error tests
  // should see the first answer.
  const { config } = endpoint.clients.iam;
  iam = new IAMClient({
    region: config.region,
    endpoint: endpoint.url,
    credentials: config.credentials,
    maxAttempts: 1,
  });
  accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => endpoint.stop());

/** The exception an SDK call rejects with, for asserting on name and HTTP status. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  if (!error) throw new Error('expected the call to fail');
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

/** A valid identity policy; `key` makes versions tell apart. */
function document(key = 'a', resource = 'arn:aws:s3:::bucket/*') {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: key, Effect: 'Allow', Action: 's3:GetObject', Resource: resource }],
  });
}

/** A policy of exactly `chars` characters besides white space, pretty-printed with plenty. */
function documentOfSize(chars: number) {
  const padding = chars - document('a', '').length;
  const compact = document('a', 'x'.repeat(padding));
  expect(compact).toHaveLength(chars);
  return JSON.stringify(JSON.parse(compact), null, 8);
}

async function createPolicy(options: { path?: string; policyDocument?: string } = {}) {
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: uniqueName('policy'),
      Path: options.path,
      PolicyDocument: options.policyDocument ?? document(),
    }),
  );
  return { name: Policy?.PolicyName ?? '', arn: Policy?.Arn ?? '' };
}

async function createRole() {
  const RoleName = uniqueName('role');
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'sts:AssumeRole',
      },
    ],
  };
  await iam.send(
    new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  return RoleName;
}

async function createUser() {
  const UserName = uniqueName('user');
  await iam.send(new CreateUserCommand({ UserName }));
  return UserName;
}

const attachmentCount = async (arn: string) =>
  (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount;

async function versionsOf(arn: string) {
  const { Versions } = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
  return [...(Versions ?? [])].sort((a, b) => (a.VersionId ?? '').localeCompare(b.VersionId ?? ''));
}

describe('creating and reading managed policies', () => {
  it('creates a policy whose v1 is its default version, with an ANPA id and a path in its ARN', async () => {
    const name = uniqueName('policy');
    const policyDocument = document();

    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: name,
        Path: '/responder/',
        PolicyDocument: policyDocument,
        Description: 'Denies nothing yet',
        Tags: [{ Key: 'team', Value: 'security' }],
      }),
    );
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: created.Policy?.Arn }));
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: created.Policy?.Arn, VersionId: 'v1' }),
    );

    const expected = {
      PolicyName: name,
      Path: '/responder/',
      Arn: `arn:aws:iam::${accountId}:policy/responder/${name}`,
      PolicyId: expect.stringMatching(/^ANPA[A-Z0-9]{16}$/),
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      IsAttachable: true,
    };
    expect(created.Policy).toMatchObject(expected);
    expect(Policy).toMatchObject({
      ...expected,
      PolicyId: created.Policy?.PolicyId,
      Description: 'Denies nothing yet',
      Tags: [{ Key: 'team', Value: 'security' }],
    });
    expect(Policy?.CreateDate).toBeInstanceOf(Date);
    expect(PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    expect(PolicyVersion?.Document).toBe(encodeURIComponent(policyDocument));
  });

  it('lists local policies under a path prefix, and only attached ones when asked', async () => {
    const path = `/${uniqueName('list')}/`;
    const attached = await createPolicy({ path });
    const idle = await createPolicy({ path });
    await createPolicy({ path: `/${uniqueName('elsewhere')}/` });
    await iam.send(
      new AttachUserPolicyCommand({ UserName: await createUser(), PolicyArn: attached.arn }),
    );

    const all = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: path }));
    const onlyAttached = await iam.send(
      new ListPoliciesCommand({ Scope: 'Local', PathPrefix: path, OnlyAttached: true }),
    );

    expect(all.Policies?.map((p) => p.Arn).sort()).toEqual([attached.arn, idle.arn].sort());
    expect(onlyAttached.Policies?.map((p) => p.Arn)).toEqual([attached.arn]);
  });

  it('answers EntityAlreadyExists (409) for a name in use, whatever its case or path', async () => {
    const { name } = await createPolicy();

    const errors = await Promise.all([
      failure(iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document() }))),
      failure(
        iam.send(
          new CreatePolicyCommand({
            PolicyName: name.toUpperCase(),
            Path: '/other/',
            PolicyDocument: document(),
          }),
        ),
      ),
    ]);

    expect(errors).toMatchObject([
      { name: 'EntityAlreadyExistsException', status: 409 },
      { name: 'EntityAlreadyExistsException', status: 409 },
    ]);
  });

  it('answers MalformedPolicyDocument (400) for a document that is not JSON', async () => {
    const { arn } = await createPolicy();

    const errors = await Promise.all([
      failure(
        iam.send(new CreatePolicyCommand({ PolicyName: uniqueName('p'), PolicyDocument: '{"Ver' })),
      ),
      failure(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: '[' }))),
    ]);

    expect(errors).toMatchObject([
      { name: 'MalformedPolicyDocumentException', status: 400 },
      { name: 'MalformedPolicyDocumentException', status: 400 },
    ]);
  });

  it('limits a document to 6,144 characters, not counting white space (LimitExceeded)', async () => {
    const largest = documentOfSize(6144);
    expect(largest.length).toBeGreaterThan(6144 + 100);

    const { arn } = await createPolicy({ policyDocument: largest });
    const errors = await Promise.all([
      failure(
        iam.send(
          new CreatePolicyCommand({
            PolicyName: uniqueName('p'),
            PolicyDocument: documentOfSize(6145),
          }),
        ),
      ),
      failure(
        iam.send(
          new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: documentOfSize(6145) }),
        ),
      ),
    ]);

    expect(errors).toMatchObject([
      { name: 'LimitExceededException', status: 409 },
      { name: 'LimitExceededException', status: 409 },
    ]);
  });

  it('answers NoSuchEntity (404) for a policy that does not exist', async () => {
    const arn = `arn:aws:iam::${accountId}:policy/${uniqueName('missing')}`;

    const error = await failure(iam.send(new GetPolicyCommand({ PolicyArn: arn })));

    expect(error).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });
});

describe('policy versions', () => {
  it('adds versions, moves the default and never reuses a version id', async () => {
    const { arn } = await createPolicy();

    const v2 = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document('b') }),
    );
    const v3 = await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: document('c'),
        SetAsDefault: true,
      }),
    );
    const defaultAfterV3 = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    const v4 = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document('d') }),
    );
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }),
    );

    expect(v2.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: false });
    expect(v3.PolicyVersion).toMatchObject({ VersionId: 'v3', IsDefaultVersion: true });
    expect(defaultAfterV3?.DefaultVersionId).toBe('v3');
    expect(v4.PolicyVersion?.VersionId).toBe('v4');
    expect(await versionsOf(arn)).toEqual([
      { VersionId: 'v1', IsDefaultVersion: true, CreateDate: expect.any(Date) },
      { VersionId: 'v3', IsDefaultVersion: false, CreateDate: expect.any(Date) },
      { VersionId: 'v4', IsDefaultVersion: false, CreateDate: expect.any(Date) },
    ]);
    expect(decodeURIComponent(PolicyVersion?.Document ?? '')).toBe(document('c'));
    expect(PolicyVersion?.IsDefaultVersion).toBe(false);
  });

  it('refuses a sixth version with LimitExceeded (409) until one is deleted', async () => {
    const { arn } = await createPolicy();
    for (const key of ['b', 'c', 'd', 'e']) {
      await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document(key) }),
      );
    }

    const error = await failure(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document('f') })),
    );
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    const next = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document('f') }),
    );

    expect(error).toMatchObject({ name: 'LimitExceededException', status: 409 });
    expect(next.PolicyVersion?.VersionId).toBe('v6');
    expect((await versionsOf(arn)).map((v) => v.VersionId)).toEqual(['v1', 'v2', 'v4', 'v5', 'v6']);
  });

  it('answers NoSuchEntity (404) for a version that does not exist', async () => {
    const { arn } = await createPolicy();

    const errors = await Promise.all([
      failure(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))),
      failure(iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))),
      failure(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))),
    ]);

    expect(errors.map((e) => [e.name, e.status])).toEqual([
      ['NoSuchEntityException', 404],
      ['NoSuchEntityException', 404],
      ['NoSuchEntityException', 404],
    ]);
  });
});

describe('deleting managed policies', () => {
  it('refuses to delete the default version, or a policy with other versions (DeleteConflict)', async () => {
    const { arn } = await createPolicy();
    await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document('b') }),
    );

    const defaultVersion = await failure(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })),
    );
    const withVersions = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    const gone = await failure(iam.send(new GetPolicyCommand({ PolicyArn: arn })));

    expect(defaultVersion).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    expect(withVersions).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  it('refuses to delete a policy while it is attached (DeleteConflict)', async () => {
    const { arn } = await createPolicy();
    const roleName = await createRole();
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));

    const attached = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
    await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));

    expect(attached).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    expect(await failure(iam.send(new GetPolicyCommand({ PolicyArn: arn })))).toMatchObject({
      name: 'NoSuchEntityException',
    });
  });
});

describe('attaching managed policies', () => {
  it('attaches, lists and detaches policies for a role, counting attachments', async () => {
    const roleName = await createRole();
    const tagged = await createPolicy({ path: '/incident/' });
    const plain = await createPolicy();

    for (const { arn } of [tagged, plain]) {
      await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
    }
    const listed = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    const underPath = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: roleName, PathPrefix: '/incident/' }),
    );
    const countWhileAttached = await attachmentCount(tagged.arn);
    await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: tagged.arn }));
    const afterDetach = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));

    const byName = (a: { PolicyName?: string }, b: { PolicyName?: string }) =>
      (a.PolicyName ?? '').localeCompare(b.PolicyName ?? '');
    expect([...(listed.AttachedPolicies ?? [])].sort(byName)).toEqual(
      [
        { PolicyName: tagged.name, PolicyArn: tagged.arn },
        { PolicyName: plain.name, PolicyArn: plain.arn },
      ].sort(byName),
    );
    expect(underPath.AttachedPolicies).toEqual([
      { PolicyName: tagged.name, PolicyArn: tagged.arn },
    ]);
    expect(countWhileAttached).toBe(1);
    expect(afterDetach.AttachedPolicies).toEqual([
      { PolicyName: plain.name, PolicyArn: plain.arn },
    ]);
    expect(await attachmentCount(tagged.arn)).toBe(0);
  });

  it('attaches, lists and detaches a policy for a user, counted with its roles', async () => {
    const userName = await createUser();
    const roleName = await createRole();
    const policy = await createPolicy();

    await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policy.arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.arn }));
    const listed = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
    const countWithBoth = await attachmentCount(policy.arn);
    await iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policy.arn }));
    const afterDetach = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));

    expect(listed.AttachedPolicies).toEqual([{ PolicyName: policy.name, PolicyArn: policy.arn }]);
    expect(countWithBoth).toBe(2);
    expect(afterDetach.AttachedPolicies).toEqual([]);
    expect(await attachmentCount(policy.arn)).toBe(1);
  });

  it('answers NoSuchEntity (404) for a policy that does not exist or is not attached', async () => {
    const roleName = await createRole();
    const userName = await createUser();
    const missing = `arn:aws:iam::${accountId}:policy/${uniqueName('missing')}`;
    const { arn: notAttached } = await createPolicy();

    const errors = await Promise.all([
      failure(iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: missing }))),
      failure(iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: missing }))),
      failure(iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: missing }))),
      failure(
        iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: notAttached })),
      ),
      failure(
        iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: notAttached })),
      ),
    ]);

    expect(errors.map((e) => [e.name, e.status])).toEqual(
      Array.from({ length: 5 }, () => ['NoSuchEntityException', 404]),
    );
  });

  it('limits a role and a user to 10 managed policies each (LimitExceeded)', async () => {
    const roleName = await createRole();
    const userName = await createUser();
    const policies = await Promise.all(Array.from({ length: 11 }, () => createPolicy()));
    const [eleventh, ...ten] = policies.map((p) => p.arn);
    for (const arn of ten) {
      await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
      await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: arn }));
    }

    const forRole = await failure(
      iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: eleventh })),
    );
    const forUser = await failure(
      iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: eleventh })),
    );

    expect(forRole).toEqual({
      name: 'LimitExceededException',
      status: 409,
      message: 'Cannot exceed quota for PoliciesPerRole: 10',
    });
    expect(forUser).toMatchObject({ name: 'LimitExceededException', status: 409 });
    expect(await attachmentCount(eleventh ?? '')).toBe(0);
  });

  it('refuses DeleteRole and DeleteUser while managed policies are attached (DeleteConflict)', async () => {
    const roleName = await createRole();
    const userName = await createUser();
    const { arn } = await createPolicy();
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
    await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: arn }));

    const role = await failure(iam.send(new DeleteRoleCommand({ RoleName: roleName })));
    const user = await failure(iam.send(new DeleteUserCommand({ UserName: userName })));
    await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
    await iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: arn }));
    await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
    await iam.send(new DeleteUserCommand({ UserName: userName }));

    expect(role).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    expect(user).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    expect(await attachmentCount(arn)).toBe(0);
  });
});
