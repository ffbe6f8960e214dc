import { randomBytes } from 'node:crypto';
import { IAMClient } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { organizations } from '../../shared/accounts/organization';
import type { AwsClients } from '../../shared/aws-clients';
import { cloudTrailEvents } from '../../shared/cloudtrail-events';
import { guardDutyFindings } from '../../shared/intake/guardduty-findings';
import { notifications } from '../../shared/notify/sns-publish';
import { schedules } from '../../shared/schedules';
import { startStandIn } from '../stand-in/server';

export interface Endpoint {
  url: string;
  /** True when the tests started the project's own stand-in (not moto, LocalStack, …). */
  local: boolean;
  clients: AwsClients;
  /** New clients with the default credentials: what a fresh Lambda container would have. */
  newClients(): AwsClients;
  /** Clients signing with other credentials (e.g. an assumed role's) against the same endpoint. */
  clientsFor(credentials: Credentials): AwsClients;
  stop(): Promise<void>;
}

/**
 * The IAM/STS endpoint integration tests talk to: `AWS_ENDPOINT_URL` when set (moto, LocalStack,
 * …), else the project's stand-in on a free loopback port. Tests seed what they need through
 * the SDK, so they run the same against any of them.
 */
export async function useEndpoint(): Promise<Endpoint> {
  const given = process.env.AWS_ENDPOINT_URL;
  const standIn = given ? undefined : await startStandIn({ port: 0 });
  const url = given ?? standIn?.url ?? '';
  const clientsFor: Endpoint['clientsFor'] = (credentials) => clientsAt(url, credentials);
  const defaultCredentials = {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'integration-test',
  };
  return {
    url,
    local: standIn !== undefined,
    clients: clientsFor(defaultCredentials),
    newClients: () => clientsFor(defaultCredentials),
    clientsFor,
    stop: async () => standIn?.stop(),
  };
}

/** A name no other test run uses, so tests can share a long-lived endpoint. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** SDK clients for one endpoint and one set of credentials (tests, demo seeding, benchmark). */
export function clientsAt(url: string, credentials: Credentials, maxAttempts = 3): AwsClients {
  const options = {
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint: url,
    credentials,
    maxAttempts,
  };
  return {
    iam: new IAMClient(options),
    sts: new STSClient(options),
    sns: notifications({
      credentials: async () => credentials,
      region: async () => options.region,
      endpoint: url,
      attempts: maxAttempts,
    }),
    cloudtrail: cloudTrailEvents({
      credentials: async () => credentials,
      region: async () => options.region,
      endpoint: url,
      attempts: maxAttempts,
    }),
    guardduty: guardDutyFindings({
      credentials: async () => credentials,
      region: async () => options.region,
      endpoint: url,
    }),
    scheduler: schedules({
      credentials: async () => credentials,
      region: async () => options.region,
      endpoint: url,
    }),
    organizations: organizations({
      credentials: async () => credentials,
      region: async () => options.region,
      endpoint: url,
    }),
  };
}

/**
 * Creates an SNS topic (seeding: the responder only publishes, through its own signed request),
 * with the SDK's client; gives its ARN.
 */
export async function createTopic(
  url: string,
  credentials: Credentials,
  name: string,
): Promise<string> {
  const sns = new SNSClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint: url,
    credentials,
    maxAttempts: 3,
  });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  sns.destroy();
  if (!TopicArn) throw new Error(`CreateTopic ${name} gave no TopicArn`);
  return TopicArn;
}
