import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import userEvent from '../../events/guardduty-akia-iam-user.json';
import roleEvent from '../../events/guardduty-asia-assumed-role.json';
import type { AwsClients } from '../../shared/aws-clients';
import { uniqueName } from './endpoint';

/**
 * Seeding through the public API only, so it works against any IAM/STS endpoint. No vitest here:
 * the benchmark seeds with these too.
 */
export async function seedUserWithKeys(clients: AwsClients, keys = 2) {
  const userName = uniqueName('ci-deployer');
  const created = await clients.iam.send(new CreateUserCommand({ UserName: userName }));
  const userId = created.User?.UserId ?? '';
  const accessKeyIds: string[] = [];
  const secrets: string[] = [];
  for (let i = 0; i < keys; i++) {
    const out = await clients.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    accessKeyIds.push(out.AccessKey?.AccessKeyId ?? '');
    secrets.push(out.AccessKey?.SecretAccessKey ?? '');
  }
  return { userName, userId, accessKeyIds, secrets };
}

/**
 * A role trusting its own account, and one session of it. Name the session after an instance id
 * (`i-…`) for EC2 instance credentials; the default is a workload's session.
 */
export async function seedRoleSession(
  clients: AwsClients,
  {
    prefix = 'app-role',
    path,
    sessionName = 'app-session',
  }: { prefix?: string; path?: string; sessionName?: string } = {},
) {
  const { Account: accountId } = await clients.sts.send(new GetCallerIdentityCommand({}));
  const roleName = uniqueName(prefix);
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
  const role = await clients.iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify(trust),
      ...(path ? { Path: path } : {}),
    }),
  );
  const issuedAt = new Date();
  const session = await clients.sts.send(
    new AssumeRoleCommand({ RoleArn: role.Role?.Arn, RoleSessionName: sessionName }),
  );
  return {
    accountId: accountId ?? '',
    roleName,
    roleId: role.Role?.RoleId ?? '',
    roleArn: role.Role?.Arn ?? '',
    sessionName,
    accessKeyId: session.Credentials?.AccessKeyId ?? '',
    issuedAt,
    credentials: {
      accessKeyId: session.Credentials?.AccessKeyId ?? '',
      secretAccessKey: session.Credentials?.SecretAccessKey ?? '',
      sessionToken: session.Credentials?.SessionToken ?? '',
    },
  };
}

/**
 * events/ files with the seeded ids in place of their example values. A user's id matters only
 * for its session tokens (ASIA), where it is the proof that the user holds the key.
 */
export function userFindingEvent(
  accountId: string,
  userName: string,
  accessKeyId: string,
  userId = 'AIDAEXAMPLEDEMO00001',
) {
  const event: Record<string, any> = structuredClone(userEvent);
  event.account = accountId;
  event.detail.accountId = accountId;
  event.detail.resource.accessKeyDetails = {
    accessKeyId,
    principalId: userId,
    userName,
    userType: 'IAMUser',
  };
  return event;
}

export function roleFindingEvent(
  accountId: string,
  roleName: string,
  roleId: string,
  accessKeyId: string,
  sessionName = 'app-session',
) {
  const event: Record<string, any> = structuredClone(roleEvent);
  event.account = accountId;
  event.detail.accountId = accountId;
  event.detail.resource.accessKeyDetails = {
    accessKeyId,
    principalId: `${roleId}:${sessionName}`,
    userName: roleName,
    userType: 'AssumedRole',
  };
  return event;
}

/** The member-account role the responder assumes, trusting the responder's account. */
export async function seedMemberRole(
  member: AwsClients,
  trustedAccount: string,
  roleName: string,
  externalId?: string,
) {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${trustedAccount}:root` },
        Action: 'sts:AssumeRole',
        ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
      },
    ],
  };
  await member.iam.send(
    new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
}

/** The SNS event Lambda receives for one message published to `topicArn`. */
export function snsEvent(topicArn: string, message: unknown, messageId: string) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:0b4e7a4c-1111-4222-8333-944455556666`,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: topicArn,
          Subject: null,
          Message: JSON.stringify(message),
          Timestamp: new Date().toISOString(),
          MessageAttributes: {},
        },
      },
    ],
  };
}
