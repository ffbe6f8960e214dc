import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

export const ACCOUNT = '123456789012';
export const RESPONDER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/credential-responder/responder`;

const noSuchEntity = () => new NoSuchEntityException({ message: 'not found', $metadata: {} });
type Tag = { Key: string; Value: string };

/**
 * SDK mocks answering like a small account: user demo-ci-deployer owns every AKIA key asked about
 * (…00001 and …00002 to begin with), and role demo-app-role exists. Writes change what later
 * reads return, so read-backs verify for real.
 */
export function mockAccount() {
  const iam = mockClient(IAMClient);
  const sts = mockClient(STSClient);
  // CloudTrail knows nothing unless a test says otherwise.
  const cloudtrail = mockClient(CloudTrailClient);
  cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: RESPONDER_ARN });
  sts.on(GetAccessKeyInfoCommand).resolves({ Account: ACCOUNT });

  const keyStatus = new Map([
    ['AKIAEXAMPLEDEMO00001', 'Active'],
    ['AKIAEXAMPLEDEMO00002', 'Active'],
  ]);
  const tags = { user: new Map<string, string>(), role: new Map<string, string>() };
  const policies = { user: undefined as string | undefined, role: undefined as string | undefined };
  const tagList = (kind: 'user' | 'role'): Tag[] =>
    [...tags[kind]].map(([Key, Value]) => ({ Key, Value }));

  iam.on(GetAccessKeyLastUsedCommand).resolves({
    UserName: 'demo-ci-deployer',
    AccessKeyLastUsed: {
      LastUsedDate: new Date('2026-11-22T09:59:00Z'),
      ServiceName: 's3',
      Region: 'us-east-1',
    },
  });
  iam.on(GetUserCommand, { UserName: 'demo-ci-deployer' }).callsFake(() => ({
    User: {
      UserName: 'demo-ci-deployer',
      Arn: `arn:aws:iam::${ACCOUNT}:user/ci/demo-ci-deployer`,
      Path: '/ci/',
      UserId: 'AIDAEXAMPLEDEMO00001',
      CreateDate: new Date(),
      Tags: tagList('user'),
    },
  }));
  iam.on(ListAccessKeysCommand, { UserName: 'demo-ci-deployer' }).callsFake(() => ({
    AccessKeyMetadata: [...keyStatus].map(([AccessKeyId, Status]) => ({
      UserName: 'demo-ci-deployer',
      AccessKeyId,
      Status,
    })),
  }));
  iam.on(UpdateAccessKeyCommand).callsFake((input: { AccessKeyId: string; Status: string }) => {
    keyStatus.set(input.AccessKeyId, input.Status);
    return {};
  });
  iam.on(DeleteAccessKeyCommand).rejects(new Error('the responder must never delete a key'));

  iam.on(GetRoleCommand, { RoleName: 'demo-app-role' }).callsFake(() => ({
    Role: {
      RoleName: 'demo-app-role',
      Arn: `arn:aws:iam::${ACCOUNT}:role/demo-app-role`,
      Path: '/',
      RoleId: 'AROAEXAMPLEDEMO00001',
      CreateDate: new Date(),
      Tags: tagList('role'),
    },
  }));
  for (const kind of ['user', 'role'] as const) {
    const Get = kind === 'user' ? GetUserPolicyCommand : GetRolePolicyCommand;
    const Put = kind === 'user' ? PutUserPolicyCommand : PutRolePolicyCommand;
    const Tag = kind === 'user' ? TagUserCommand : TagRoleCommand;
    iam.on(Get as typeof GetUserPolicyCommand).callsFake(() => {
      const document = policies[kind];
      if (document === undefined) throw noSuchEntity();
      return { PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: encodeURIComponent(document) };
    });
    iam.on(Put as typeof PutUserPolicyCommand).callsFake((input: { PolicyDocument: string }) => {
      policies[kind] = input.PolicyDocument;
      return {};
    });
    iam.on(Tag as typeof TagUserCommand).callsFake((input: { Tags: Tag[] }) => {
      for (const tag of input.Tags) tags[kind].set(tag.Key, tag.Value);
      return {};
    });
  }

  return {
    iam,
    sts,
    cloudtrail,
    restore: () => {
      iam.restore();
      sts.restore();
      cloudtrail.restore();
    },
    /** CloudTrail records whose userIdentity is each of these, for any LookupEvents. */
    setCloudTrailIdentities: (...identities: object[]) =>
      cloudtrail.on(LookupEventsCommand).resolves({
        Events: identities.map((userIdentity, i) => ({
          EventId: `e-${i}`,
          CloudTrailEvent: JSON.stringify({ userIdentity }),
        })),
      }),
    setPolicy: (kind: 'user' | 'role', document: string) => {
      policies[kind] = document;
    },
    setTag: (kind: 'user' | 'role', key: string, value: string) => tags[kind].set(key, value),
    setKeyStatus: (status: string) => keyStatus.set('AKIAEXAMPLEDEMO00001', status),
  };
}
