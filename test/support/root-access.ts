import { Logger } from '@aws-lambda-powertools/logger';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { onFinding } from '../../functions/on-finding';
import type { Config } from '../../shared/config';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { type StandIn, type StandInAdmin, standInAdmin, startStandIn } from '../stand-in/server';
import { loadEvent, TEST_CONFIG } from './deps';
import { clientsAt } from './endpoint';

export const OWN = '123456789012';
export const MANAGEMENT = '111111111111';
export const MEMBER = '210987654321';

export interface RootAccess {
  standIn: StandIn;
  admin: StandInAdmin;
  /** Back to the usual organization: OWN is the IAM delegated administrator, MEMBER a member. */
  reset(): void;
  /** One container of the responder (its own clients and caches), ROOT_KEYS=delete, MEMBER allowed. */
  deps(config?: Partial<Config>): Deps;
  respondTo(event: object, config?: Partial<Config>): Promise<Report>;
  /** A new access key of `accountId`'s root user. */
  newRootKey(accountId: string): string;
  /** The root user's keys of an account, read with another key of that root user. */
  rootKeysOf(accountId: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Centralized root access on its own stand-in: an organization managed by MANAGEMENT, the
 * responder in the IAM delegated administrator account OWN (as the IAM user it runs as: a root
 * user cannot call AssumeRoot), and member MEMBER. Organizations and several accounts' root keys
 * can only be seeded through the stand-in's admin controls: tests using this run on it only.
 */
export async function startRootAccess(): Promise<RootAccess> {
  const standIn = await startStandIn({ port: 0 });
  const admin = standInAdmin(standIn);
  const ownRoot = clientsAt(standIn.url, admin.rootCredentials(OWN), 1);
  await ownRoot.iam.send(new CreateUserCommand({ UserName: 'credential-responder' }));
  const key = await ownRoot.iam.send(
    new CreateAccessKeyCommand({ UserName: 'credential-responder' }),
  );
  const credentials = {
    accessKeyId: key.AccessKey?.AccessKeyId ?? '',
    secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
  };
  const deps = (config: Partial<Config> = {}): Deps => ({
    clients: clientsAt(standIn.url, credentials, 1),
    config: { ...TEST_CONFIG, rootKeys: 'delete', allowedAccountIds: [MEMBER], ...config },
    logger: new Logger({ serviceName: 'integration', logLevel: 'SILENT' }),
    clientsWith: (session) => clientsAt(standIn.url, session, 1),
  });
  return {
    standIn,
    admin,
    reset: () =>
      admin.organization({
        managementAccountId: MANAGEMENT,
        memberAccountIds: [OWN, MEMBER],
        delegatedAdministratorId: OWN,
      }),
    deps,
    async respondTo(event, config = {}) {
      const [report] = await onFinding(event, { awsRequestId: 'root-keys' }, deps(config));
      if (!report) throw new Error('no report');
      return report;
    },
    newRootKey: (accountId) => admin.rootCredentials(accountId).accessKeyId,
    async rootKeysOf(accountId) {
      const reader = clientsAt(standIn.url, admin.rootCredentials(accountId), 1);
      const out = await reader.iam.send(new ListAccessKeysCommand({}));
      return (out.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId ?? '');
    },
    stop: () => standIn.stop(),
  };
}

/** A GuardDuty finding about a root access key of `accountId` (events/guardduty-member-root-key.json). */
export function rootKeyFinding(accountId: string, accessKeyId: string, userType = 'Root') {
  const event = loadEvent('guardduty-member-root-key.json');
  event.account = accountId;
  event.detail.accountId = accountId;
  event.detail.id = `root0key0${accessKeyId.slice(-8).toLowerCase()}`;
  event.detail.resource.accessKeyDetails.accessKeyId = accessKeyId;
  event.detail.resource.accessKeyDetails.principalId = accountId;
  event.detail.resource.accessKeyDetails.userType = userType;
  return event;
}
