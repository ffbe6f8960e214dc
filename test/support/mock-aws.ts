import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

export const ACCOUNT = '123456789012';
export const RESPONDER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/credential-responder/responder`;

const noSuchEntity = () => new NoSuchEntityException({ message: 'not found', $metadata: {} });

/**
 * SDK mocks answering like a small account: user demo-ci-deployer owns every AKIA key asked about
 * (…00001 and …00002 to begin with), and role demo-app-role exists.
 */
export function mockAccount() {
  const iam = mockClient(IAMClient);
  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: RESPONDER_ARN });
  sts.on(GetAccessKeyInfoCommand).resolves({ Account: ACCOUNT });

  const keyStatus = new Map([
    ['AKIAEXAMPLEDEMO00001', 'Active'],
    ['AKIAEXAMPLEDEMO00002', 'Active'],
  ]);
  iam.on(GetAccessKeyLastUsedCommand).resolves({
    UserName: 'demo-ci-deployer',
    AccessKeyLastUsed: {
      LastUsedDate: new Date('2026-11-22T09:59:00Z'),
      ServiceName: 's3',
      Region: 'us-east-1',
    },
  });
  iam.on(GetUserCommand, { UserName: 'demo-ci-deployer' }).resolves({
    User: {
      UserName: 'demo-ci-deployer',
      Arn: `arn:aws:iam::${ACCOUNT}:user/ci/demo-ci-deployer`,
      Path: '/ci/',
      UserId: 'AIDAEXAMPLEDEMO00001',
      CreateDate: new Date(),
    },
  });
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

  let rolePolicy: string | undefined;
  iam.on(GetRoleCommand, { RoleName: 'demo-app-role' }).resolves({
    Role: {
      RoleName: 'demo-app-role',
      Arn: `arn:aws:iam::${ACCOUNT}:role/demo-app-role`,
      Path: '/',
      RoleId: 'AROAEXAMPLEDEMO00001',
      CreateDate: new Date(),
    },
  });
  iam.on(GetRolePolicyCommand).callsFake(() => {
    if (rolePolicy === undefined) throw noSuchEntity();
    return {
      RoleName: 'demo-app-role',
      PolicyName: 'AWSRevokeOlderSessions',
      PolicyDocument: encodeURIComponent(rolePolicy),
    };
  });
  iam.on(PutRolePolicyCommand).callsFake((input: { PolicyDocument: string }) => {
    rolePolicy = input.PolicyDocument;
    return {};
  });

  return {
    iam,
    sts,
    setRolePolicy: (document: string) => {
      rolePolicy = document;
    },
    setKeyStatus: (status: string) => {
      keyStatus.set('AKIAEXAMPLEDEMO00001', status);
    },
  };
}
