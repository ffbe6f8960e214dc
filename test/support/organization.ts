import { Logger } from '@aws-lambda-powertools/logger';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { MemberCredentialsCache } from '../../shared/accounts/member-credentials';
import type { AwsClients } from '../../shared/aws-clients';
import type { Config } from '../../shared/config';
import type { Deps } from '../../shared/respond';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';
import { TEST_CONFIG } from './deps';
import { clientsAt } from './endpoint';
import { seedMemberRole } from './seed';

export const MEMBER = '210987654321';
export const MEMBER_ROLE = 'credential-responder-member';
export const EXTERNAL_ID = 'incident-response-7f3a';

export interface Organization {
  standIn: StandIn;
  /** The responder's account (the stand-in's default caller). */
  own: AwsClients;
  ownAccount: string;
  /** The member account's root, for seeding and reading it back. */
  member: AwsClients;
  /** One container of the responder, allowed in MEMBER through its member role. */
  deps(config?: Partial<Config>): Deps;
  stop(): Promise<void>;
}

/**
 * A delegated-admin setup on its own stand-in: the responder in one account, a member account it
 * reaches through the member role. A second account can only be seeded through the stand-in's
 * admin controls, so tests using this never run against another endpoint.
 */
export async function startOrganization(): Promise<Organization> {
  const standIn = await startStandIn({ port: 0 });
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };
  const own = clientsAt(standIn.url, credentials, 1);
  const ownAccount = (await own.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  const member = clientsAt(standIn.url, standInAdmin(standIn).rootCredentials(MEMBER), 1);
  await seedMemberRole(member, ownAccount, MEMBER_ROLE, EXTERNAL_ID);
  const deps = (config: Partial<Config> = {}): Deps => {
    const full = {
      ...TEST_CONFIG,
      memberRoleName: MEMBER_ROLE,
      memberRoleExternalId: EXTERNAL_ID,
      allowedAccountIds: [MEMBER],
      ...config,
    };
    const settings = {
      ...(full.memberRoleName ? { roleName: full.memberRoleName } : {}),
      ...(full.memberRoleExternalId ? { externalId: full.memberRoleExternalId } : {}),
    };
    return {
      clients: own,
      config: full,
      logger: new Logger({ serviceName: 'integration', logLevel: 'SILENT' }),
      members: new MemberCredentialsCache(own.sts, settings, (c) => clientsAt(standIn.url, c, 1)),
    };
  };
  return { standIn, own, ownAccount, member, deps, stop: () => standIn.stop() };
}
