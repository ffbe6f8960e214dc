import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { awsCall } from '../errors';
import { AwsServiceError, dnsSuffix, signedJsonPost } from '../signed-request';

/** What the responder asks of AWS Organizations: which account manages the organization. */
export interface Organizations {
  /**
   * The management account's id, or `undefined` when the responder's account is in no
   * organization. Asked once per container (it never changes for an organization); a failure is
   * not kept.
   */
  managementAccount(): Promise<string | undefined>;
}

/** Organizations is a global service: one endpoint (and signing region) per partition. */
function organizationsRegion(region: string): string {
  if (region.startsWith('cn-')) return 'cn-northwest-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

export interface OrganizationsOptions {
  credentials: AwsCredentialIdentityProvider;
  region: () => Promise<string>;
  /** Default: `AWS_ENDPOINT_URL_ORGANIZATIONS`, `AWS_ENDPOINT_URL`, else AWS's endpoint. */
  endpoint?: string;
}

/** `organizations:DescribeOrganization`, one signed JSON 1.1 request (no SDK client to carry). */
export function organizations(options: OrganizationsOptions): Organizations {
  let known: Promise<string | undefined> | undefined;
  const describe = () =>
    awsCall('organizations:DescribeOrganization', async () => {
      try {
        const answer = (await signedJsonPost(
          {
            ...options,
            region: async () => organizationsRegion(await options.region()),
          },
          {
            service: 'organizations',
            envName: 'ORGANIZATIONS',
            awsEndpoint: (region) => `https://organizations.${region}.${dnsSuffix(region)}`,
            path: '/',
            body: '{}',
            headers: {
              'content-type': 'application/x-amz-json-1.1',
              'x-amz-target': 'AWSOrganizationsV20161128.DescribeOrganization',
            },
            label: 'Organizations',
          },
        )) as { Organization?: { MasterAccountId?: unknown } };
        const id = answer.Organization?.MasterAccountId;
        if (typeof id !== 'string' || !/^\d{12}$/.test(id)) {
          throw new AwsServiceError(
            'InvalidAnswer',
            'DescribeOrganization named no management account',
            200,
          );
        }
        return id;
      } catch (error) {
        if (error instanceof AwsServiceError && error.name === 'AWSOrganizationsNotInUseException')
          return undefined;
        throw error;
      }
    });
  return {
    managementAccount() {
      if (!known) {
        known = describe();
        known.catch(() => {
          known = undefined;
        });
      }
      return known;
    },
  };
}
