import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsServiceError, dnsSuffix, signedJsonPost } from '../signed-request';

/**
 * GuardDuty's `GetFindings`, and nothing else of GuardDuty: one signed restJson1 request
 * (`POST /detector/{detectorId}/findings/get`, `{"findingIds": […]}` → `{"findings": […]}` in
 * GuardDuty's camelCase JSON). The SDK's GuardDuty client carries the schema of every GuardDuty
 * shape (about 110 KiB minified) into every function for this one call; the answer is validated
 * by the caller's own schema anyway.
 */
export interface GuardDutyFindings {
  /** The findings GuardDuty has of these ids (unknown ids are left out), as GuardDuty's JSON. */
  getFindings(detectorId: string, findingIds: string[]): Promise<unknown[]>;
}

/** A GuardDuty error, named as the SDK names it (`BadRequestException`, …). */
export { AwsServiceError as GuardDutyError };

export interface GuardDutyFindingsOptions {
  credentials: AwsCredentialIdentityProvider;
  region: () => Promise<string>;
  /** Default: `AWS_ENDPOINT_URL_GUARDDUTY`, `AWS_ENDPOINT_URL`, else GuardDuty's regional endpoint. */
  endpoint?: string;
}

export function guardDutyFindings(options: GuardDutyFindingsOptions): GuardDutyFindings {
  return {
    async getFindings(detectorId, findingIds) {
      const parsed = (await signedJsonPost(options, {
        service: 'guardduty',
        envName: 'GUARDDUTY',
        awsEndpoint: (region) => `https://guardduty.${region}.${dnsSuffix(region)}`,
        path: `/detector/${encodeURIComponent(detectorId)}/findings/get`,
        body: JSON.stringify({ findingIds }),
        headers: { 'content-type': 'application/json' },
        label: 'GuardDuty',
      })) as { findings?: unknown };
      return Array.isArray(parsed.findings) ? parsed.findings : [];
    },
  };
}
