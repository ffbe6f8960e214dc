import { runSimulation } from '@cloud-copilot/iam-simulate';

/**
 * Whether a policy document (as IAM returns it, URL-encoded or not) explicitly denies a request
 * signed with a token issued at `issuedAt` — none: a long-term key, which has no
 * aws:TokenIssueTime. Evaluated by an IAM policy simulator next to an allow-all policy, so it
 * checks what the policy means, not how it is written.
 */
export async function deniedBy(
  policyDocument: string,
  accountId: string,
  issuedAt: Date | undefined,
): Promise<boolean> {
  const decoded = policyDocument.startsWith('%')
    ? decodeURIComponent(policyDocument)
    : policyDocument;
  const allowAll = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  };
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${accountId}:assumed-role/app/session`,
        action: 's3:ListBucket',
        resource: { resource: 'arn:aws:s3:::example-bucket', accountId },
        contextVariables: issuedAt ? { 'aws:TokenIssueTime': issuedAt.toISOString() } : {},
      },
      identityPolicies: [
        { name: 'allow-all', policy: allowAll },
        { name: 'AWSRevokeOlderSessions', policy: JSON.parse(decoded) },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(result.errors.message);
  return result.overallResult === 'ExplicitlyDenied';
}
