import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { Schedules } from '../../shared/schedules';

/**
 * EventBridge Scheduler through the SDK's client, for unit tests: aws-sdk-client-mock answers
 * every SchedulerClient's `send`, so tests script the two calls as they would for the SDK. The
 * responder itself signs them (shared/schedules.ts; its wire format: test/unit/schedules.test.ts).
 */
export function sdkSchedules(client: SchedulerClient): Schedules {
  return {
    createSchedule: async (input) => {
      await client.send(new CreateScheduleCommand(input));
    },
    deleteSchedule: async (input) => {
      await client.send(new DeleteScheduleCommand(input));
    },
  };
}
