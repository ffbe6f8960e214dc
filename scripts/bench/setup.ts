import { Logger } from '@aws-lambda-powertools/logger';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { MemberCredentialsCache } from '../../shared/accounts/member-credentials';
import { type AwsClients, createAwsClients } from '../../shared/aws-clients';
import { type Config, loadConfig } from '../../shared/config';
import type { Deps } from '../../shared/respond';
import {
  type StandIn,
  type StandInOptions,
  standInAdmin,
  startStandIn,
} from '../../test/stand-in/server';
import { clientsAt, createTopic } from '../../test/support/endpoint';
import { seedMemberRole } from '../../test/support/seed';
import { track } from './round-trips';

/** The bench's deployment: what serverless.yml deploys, against a local stand-in. */
export const MEMBER = '210987654321';
export const MEMBER_ROLE = 'credential-responder-member';
export const EXTERNAL_ID = 'incident-response-7f3a';
export const RESPONDER_KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'bench' };

export interface Bench {
  standIn: StandIn;
  config: Config;
  /** Seeding clients (not the responder's): their calls are never counted. */
  own: AwsClients;
  member: AwsClients;
  ownAccount: string;
}

export async function setUp(options: StandInOptions): Promise<Bench> {
  const standIn = await startStandIn({ ...options, port: 0 });
  // The responder builds its clients the way it does in Lambda (createAwsClients: endpoint and
  // credentials from the environment, the production retry settings).
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: standIn.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: RESPONDER_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: RESPONDER_KEY.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const own = clientsAt(standIn.url, RESPONDER_KEY, 1);
  const member = clientsAt(standIn.url, standInAdmin(standIn).rootCredentials(MEMBER), 1);
  const ownAccount = (await own.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  await seedMemberRole(member, ownAccount, MEMBER_ROLE, EXTERNAL_ID);
  // Deployed, every report is published to the stack's topic: that Publish is part of apiCalls.
  const topicArn = await createTopic(standIn.url, RESPONDER_KEY, 'credential-responder-bench');
  // The deployed settings (serverless.yml): a member role, an allowed member account, a topic.
  const config = loadConfig({
    MEMBER_ROLE_NAME: MEMBER_ROLE,
    MEMBER_ROLE_EXTERNAL_ID: EXTERNAL_ID,
    ALLOWED_ACCOUNT_IDS: MEMBER,
    NOTIFICATION_TOPIC_ARN: topicArn,
  });
  return { standIn, config, own, member, ownAccount };
}

/**
 * A Lambda container's dependencies: what `defaultDeps()` builds, with the bench's config.
 * `instrument` sees every client the container creates (the round-trip tracker by default).
 */
export function containerDeps(
  b: Bench,
  instrument: (clients: AwsClients) => AwsClients = track,
): Deps {
  const clients = instrument(createAwsClients());
  const members = new MemberCredentialsCache(
    clients.sts,
    { roleName: MEMBER_ROLE, externalId: EXTERNAL_ID },
    (credentials) => instrument(createAwsClients(credentials)),
  );
  const logger = new Logger({ serviceName: 'credential-responder-bench', logLevel: 'SILENT' });
  return { clients, config: b.config, logger, members };
}
