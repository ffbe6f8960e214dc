import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { MemberCredentials } from './accounts/member-credentials';

export interface AwsClients {
  iam: IAMClient;
  sts: STSClient;
  sns: SNSClient;
  cloudtrail: CloudTrailClient;
}

/**
 * Clients are created once per container (member-account clients once per account, with that
 * account's role credentials). Endpoints come from the SDK's own configuration
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_IAM`, …), so the same code talks to AWS or to a local
 * stand-in.
 */
export function createAwsClients(credentials?: MemberCredentials): AwsClients {
  const common = {
    maxAttempts: 5,
    retryMode: 'standard' as const,
    ...(credentials ? { credentials } : {}),
  };
  return {
    iam: new IAMClient(common),
    sts: new STSClient(common),
    sns: new SNSClient(common),
    // LookupEvents is throttled at about 2 requests/s: adaptive retries slow down instead of failing.
    cloudtrail: new CloudTrailClient({ ...common, maxAttempts: 6, retryMode: 'adaptive' }),
  };
}

let defaultClients: AwsClients | undefined;

export function awsClients(): AwsClients {
  defaultClients ??= createAwsClients();
  return defaultClients;
}
