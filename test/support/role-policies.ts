import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { AwsClients } from '../../shared/aws-clients';

const decode = (document: string | undefined) =>
  JSON.parse(
    (document ?? '{}').startsWith('%') ? decodeURIComponent(document ?? '') : (document ?? '{}'),
  );

/** Every policy document a role has: its inline policies and the default version of each attached one. */
export async function rolePolicies({ iam }: AwsClients, roleName: string): Promise<unknown[]> {
  const [inline, attached] = await Promise.all([
    iam.send(new ListRolePoliciesCommand({ RoleName: roleName })),
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
  ]);
  const inlineDocuments = await Promise.all(
    (inline.PolicyNames ?? []).map(async (PolicyName) =>
      decode(
        (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName })))
          .PolicyDocument,
      ),
    ),
  );
  const attachedDocuments = await Promise.all(
    (attached.AttachedPolicies ?? []).map(async ({ PolicyArn }) => {
      const policy = await iam.send(new GetPolicyCommand({ PolicyArn }));
      const version = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn, VersionId: policy.Policy?.DefaultVersionId }),
      );
      return decode(version.PolicyVersion?.Document);
    }),
  );
  return [...inlineDocuments, ...attachedDocuments];
}

/**
 * Whether a request made with a role's credentials is explicitly denied by the role's policies,
 * evaluated by an IAM policy simulator next to an allow-all policy: what the policies mean, not
 * how they are written. `userId` is `aws:userid` (`<role id>:<session name>`); `issuedAt` is
 * `aws:TokenIssueTime` (none: a long-term key, which has none).
 */
export async function roleDenies(
  policies: unknown[],
  accountId: string,
  request: { userId: string; issuedAt?: Date },
): Promise<boolean> {
  const allowAll = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  };
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${accountId}:assumed-role/app/${request.userId.split(':')[1]}`,
        action: 's3:ListBucket',
        resource: { resource: 'arn:aws:s3:::example-bucket', accountId },
        contextVariables: {
          'aws:userid': request.userId,
          ...(request.issuedAt ? { 'aws:TokenIssueTime': request.issuedAt.toISOString() } : {}),
        },
      },
      identityPolicies: [
        { name: 'allow-all', policy: allowAll },
        ...policies.map((policy, i) => ({ name: `policy-${i}`, policy })),
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(result.errors.message);
  if (result.resultType !== 'single') throw new Error(JSON.stringify(result));
  return result.overallResult === 'ExplicitlyDenied';
}
