import {
  GetRoleCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onFinding } from '../../functions/on-finding';
import { loadEvent, testDeps } from '../support/deps';
import { ACCOUNT, mockAccount } from '../support/mock-aws';

const context = { awsRequestId: 'req-1' };
let aws: ReturnType<typeof mockAccount>;

beforeEach(() => {
  aws = mockAccount();
});
afterEach(() => {
  aws.restore();
});

function finding(accessKeyId: string, details: Record<string, string>) {
  const event = loadEvent('guardduty-asia-assumed-role.json');
  event.detail.resource.accessKeyDetails = { accessKeyId, ...details };
  return event;
}

function roleAt(name: string, path: string) {
  aws.iam.on(GetRoleCommand, { RoleName: name }).resolves({
    Role: {
      RoleName: name,
      Path: path,
      RoleId: 'AROAEXAMPLEDEMO00009',
      Arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
      CreateDate: new Date(),
    },
  });
}

const WRITES = [
  UpdateAccessKeyCommand,
  PutUserPolicyCommand,
  PutRolePolicyCommand,
  TagUserCommand,
  TagRoleCommand,
];

describe('principals the responder never acts on', () => {
  it.each([
    [
      'root, long-term key',
      'AKIAEXAMPLEDEMO00001',
      { userType: 'Root', userName: 'Root', principalId: ACCOUNT },
      undefined,
      /root user/,
    ],
    [
      'root, temporary key',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'Root', userName: 'Root', principalId: ACCOUNT },
      undefined,
      /root user/,
    ],
    [
      'a service-linked role',
      'ASIAEXAMPLEDEMO00001',
      {
        userType: 'AssumedRole',
        userName: 'AWSServiceRoleForSupport',
        principalId: 'AROAEXAMPLEDEMO00009:s',
      },
      ['AWSServiceRoleForSupport', '/aws-service-role/support.amazonaws.com/'],
      /service-linked/,
    ],
    [
      'an Identity Center role',
      'ASIAEXAMPLEDEMO00001',
      {
        userType: 'AssumedRole',
        userName: 'AWSReservedSSO_Admin_0123456789abcdef',
        principalId: 'AROAEXAMPLEDEMO00009:jane',
      },
      ['AWSReservedSSO_Admin_0123456789abcdef', '/aws-reserved/sso.amazonaws.com/'],
      /Identity Center/,
    ],
    [
      'an AWS service',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'AWSService', userName: 'ec2.amazonaws.com' },
      undefined,
      /AWS service/,
    ],
    [
      'an unknown principal type',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'Robot', userName: 'r2' },
      undefined,
      /unknown principal type/,
    ],
    [
      'a federated user CloudTrail cannot trace',
      'ASIAEXAMPLEDEMO00001',
      { userType: 'FederatedUser', userName: 'contractor', principalId: `${ACCOUNT}:contractor` },
      undefined,
      /holder of this temporary key is unknown/,
    ],
  ])('escalates %s and changes nothing', async (_label, key, details, role, reason) => {
    if (role) roleAt(role[0] ?? '', role[1] ?? '/');

    const [report] = await onFinding(
      finding(key, details as Record<string, string>),
      context,
      testDeps(),
    );

    expect(report).toMatchObject({ outcome: 'escalated', reason: expect.stringMatching(reason) });
    for (const write of WRITES) expect(aws.iam).not.toHaveReceivedCommand(write as never);
  });
});
