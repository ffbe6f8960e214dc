import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { vi } from 'vitest';
import type { Organizations } from '../../shared/accounts/organization';
import type { AwsClients } from '../../shared/aws-clients';
import type { Config } from '../../shared/config';
import type { GuardDutyFindings } from '../../shared/intake/guardduty-findings';
import { DEFAULT_FINDING_TYPES, parseFindingTypes } from '../../shared/policy/finding-types';
import type { Deps } from '../../shared/respond';
import { sdkCloudTrail } from './sdk-cloudtrail';
import { sdkSchedules } from './sdk-scheduler';
import { sdkSns } from './sdk-sns';

/** The stack's topics as events/ name them (stage prod, account 123456789012). */
export const TOPICS = {
  runbookTopicArn: 'arn:aws:sns:us-east-1:123456789012:credential-responder-prod-runbook',
  findingsTopicArn: 'arn:aws:sns:us-east-1:123456789012:credential-responder-prod-findings',
} as const;

export const TEST_CONFIG: Config = {
  revocationMarginSeconds: 30,
  minSeverity: 'MEDIUM',
  findingTypes: findingTypes(DEFAULT_FINDING_TYPES),
  dryRun: false,
  instanceRevocation: 'instance',
  rootKeys: 'escalate',
  protectedPrincipals: [],
  allowedAccountIds: [],
  runbookPublishers: [],
  ...TOPICS,
  followUp: {
    sweep: true,
    sweepWindowHours: 24,
    regions: [],
    holdCheck: true,
    holdCheckDelayMinutes: 15,
  },
};

/** FINDING_TYPES rules from a setting's value, for configs built in tests. */
export function findingTypes(value: string) {
  const parsed = parseFindingTypes(value);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.rules;
}

/** A GuardDuty stand-in for unit tests: every GetFindings call, and what `answer` makes of it. */
export function guardDutyAnswering(
  answer: (detectorId: string, findingIds: string[]) => unknown[] | Promise<unknown[]>,
): GuardDutyFindings & { calls: { detectorId: string; findingIds: string[] }[] } {
  const calls: { detectorId: string; findingIds: string[] }[] = [];
  return {
    calls,
    async getFindings(detectorId, findingIds) {
      calls.push({ detectorId, findingIds });
      return answer(detectorId, findingIds);
    },
  };
}

/** An Organizations fake: `answer` gives the management account (undefined: no organization). */
export function organizationAnswering(
  answer: () => string | undefined | Promise<string | undefined>,
): Organizations & { calls: number } {
  const fake = {
    calls: 0,
    async managementAccount() {
      fake.calls += 1;
      return answer();
    },
  };
  return fake;
}

/** Fixed "now" for tests: 2026-11-22T10:00:00Z. */
export const NOW = Date.parse('2026-11-22T10:00:00.000Z');

/** Clients for unit tests: aws-sdk-client-mock intercepts every instance's `send`. */
export function unitClients(): AwsClients {
  const options = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' },
  };
  return {
    iam: new IAMClient(options),
    sts: new STSClient(options),
    sns: sdkSns(new SNSClient(options)),
    cloudtrail: sdkCloudTrail(new CloudTrailClient(options)),
    // GuardDuty is a plain signed request (no SDK client to mock): tests that read findings put
    // their own in `clients.guardduty` (guardDutyAnswering).
    guardduty: guardDutyAnswering(() => {
      throw new Error('unit test: GuardDuty was not expected to be called');
    }),
    scheduler: sdkSchedules(new SchedulerClient(options)),
    organizations: organizationAnswering(() => {
      throw new Error('unit test: Organizations was not expected to be called');
    }),
  };
}

/**
 * Every line a logger writes during a test, parsed. Pass `logger` to `testDeps`: other tests get
 * a silent one, so the test output stays readable.
 */
export function captureLogs(): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  raw: () => string;
} {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const raw = () => chunks.join('');
  return {
    logger: new Logger({ serviceName: 'credential-responder-test', logLevel: 'INFO' }),
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export function testDeps(
  options: { clients?: AwsClients; clock?: () => number; logger?: Logger } = {},
): Deps {
  return {
    clients: options.clients ?? unitClients(),
    config: TEST_CONFIG,
    logger:
      options.logger ??
      new Logger({ serviceName: 'credential-responder-test', logLevel: 'SILENT' }),
    clock: options.clock ?? (() => NOW),
  };
}

/** A fresh copy of a file in events/ for each call, so no test can change another's fixture. */
export function loadEvent(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', name), 'utf8'));
}
