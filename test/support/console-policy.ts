/**
 * A revocation a person set: the document the IAM console's "Revoke active sessions" writes
 * (one-element arrays, no `Sid`). The responder must keep it and never claim it as its own.
 */
export function consoleRevocationPolicy(cutoff: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } },
      },
    ],
  });
}
