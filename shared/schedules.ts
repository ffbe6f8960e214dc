import { randomUUID } from 'node:crypto';
import type {
  CreateScheduleCommandInput,
  DeleteScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { dnsSuffix, signedJsonPost } from './signed-request';

/**
 * EventBridge Scheduler's CreateSchedule and DeleteSchedule, the two calls the hold check needs
 * (follow-up/hold-check-schedule.ts). Signed restJson1 requests rather than the SDK's Scheduler
 * client, which carries its whole schema and the JSON protocol's code into every function.
 * Errors keep Scheduler's names (`ConflictException`, `ResourceNotFoundException`).
 */
export interface Schedules {
  createSchedule(input: CreateScheduleCommandInput): Promise<void>;
  deleteSchedule(input: DeleteScheduleCommandInput): Promise<void>;
}

export interface SchedulesOptions {
  credentials: AwsCredentialIdentityProvider;
  region: () => Promise<string>;
  /** Default: `AWS_ENDPOINT_URL_SCHEDULER`, `AWS_ENDPOINT_URL`, else Scheduler's regional endpoint. */
  endpoint?: string;
}

const request = {
  service: 'scheduler',
  envName: 'SCHEDULER',
  awsEndpoint: (region: string) => `https://scheduler.${region}.${dnsSuffix(region)}`,
  label: 'EventBridge Scheduler',
};

export function schedules(options: SchedulesOptions): Schedules {
  return {
    async createSchedule({ Name, ClientToken, ...body }) {
      await signedJsonPost(options, {
        ...request,
        path: `/schedules/${encodeURIComponent(Name ?? '')}`,
        // The idempotency token the SDK would add: a retried create is not a second schedule.
        body: JSON.stringify({ ...body, ClientToken: ClientToken ?? randomUUID() }),
        headers: { 'content-type': 'application/json' },
      });
    },
    async deleteSchedule({ Name, GroupName, ClientToken }) {
      await signedJsonPost(options, {
        ...request,
        method: 'DELETE',
        path: `/schedules/${encodeURIComponent(Name ?? '')}`,
        query: {
          ...(GroupName ? { groupName: GroupName } : {}),
          clientToken: ClientToken ?? randomUUID(),
        },
        body: '',
        headers: {},
      });
    },
  };
}
