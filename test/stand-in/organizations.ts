import { createHash } from 'node:crypto';
import type { Caller } from './auth';
import type { JsonObject } from './cloudtrail-records';
import { AwsError } from './errors';
import type { Organization, StandInState } from './state';

/**
 * AWS Organizations, as far as centralized root access needs it: the organization itself (set by
 * `standInAdmin().organization`) and `DescribeOrganization` (AWS JSON 1.1, `X-Amz-Target:
 * AWSOrganizationsV20161128.<Operation>`).
 */
export interface OrganizationSettings {
  managementAccountId: string;
  /** The member accounts; the management account is in the organization whether listed or not. */
  memberAccountIds: string[];
  /** The IAM delegated administrator: one of the member accounts, not the management account. */
  delegatedAdministratorId?: string;
  /** IAM trusted access in Organizations; default true. */
  trustedAccess?: boolean;
  /** Centralized root access's `RootCredentialsManagement` feature; default true. */
  rootCredentialsManagement?: boolean;
  /** Centralized root access's `RootSessions` feature (privileged root actions); default true. */
  rootSessions?: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;

/** The organization `settings` describe; throws (a test's mistake) on ids AWS could not have. */
export function organizationOf(settings: OrganizationSettings): Organization {
  const { managementAccountId, memberAccountIds, delegatedAdministratorId } = settings;
  const named = [managementAccountId, ...memberAccountIds, delegatedAdministratorId];
  for (const id of named) {
    if (id !== undefined && !ACCOUNT_ID.test(id)) throw new Error(`not an account id: ${id}`);
  }
  if (delegatedAdministratorId !== undefined) {
    if (delegatedAdministratorId === managementAccountId) {
      throw new Error('the management account cannot be a delegated administrator');
    }
    if (!memberAccountIds.includes(delegatedAdministratorId)) {
      throw new Error(
        `delegated administrator ${delegatedAdministratorId} is not a member account`,
      );
    }
  }
  const suffix = createHash('sha256').update(managementAccountId).digest('hex').slice(0, 10);
  return {
    id: `o-${suffix}`,
    managementAccountId,
    accountIds: new Set([managementAccountId, ...memberAccountIds]),
    delegatedAdministratorId,
    trustedAccess: settings.trustedAccess ?? true,
    rootCredentialsManagement: settings.rootCredentialsManagement ?? true,
    rootSessions: settings.rootSessions ?? true,
  };
}

/** The organization `accountId` is in, if any. */
export function organizationOfAccount(
  state: StandInState,
  accountId: string,
): Organization | undefined {
  const { organization } = state;
  return organization?.accountIds.has(accountId) ? organization : undefined;
}

export interface OrganizationsContext {
  caller: Caller;
  state: StandInState;
}

/** Any account of the organization may describe it; others are told they are in none. */
function describeOrganization({ caller, state }: OrganizationsContext): JsonObject {
  const organization = organizationOfAccount(state, caller.principal.accountId);
  if (!organization) {
    throw new AwsError(
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
      400,
    );
  }
  const { id, managementAccountId: management } = organization;
  return {
    Organization: {
      Id: id,
      Arn: `arn:aws:organizations::${management}:organization/${id}`,
      FeatureSet: 'ALL',
      MasterAccountArn: `arn:aws:organizations::${management}:account/${id}/${management}`,
      MasterAccountId: management,
      MasterAccountEmail: `management+${management}@example.com`,
      AvailablePolicyTypes: [],
    },
  };
}

const OPERATIONS: Record<string, (ctx: OrganizationsContext) => JsonObject> = {
  DescribeOrganization: describeOrganization,
};

/** `X-Amz-Target` of Organizations' operations. */
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128.';

export function organizationsHandler(operation: string): (ctx: OrganizationsContext) => JsonObject {
  const handler = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (!handler) {
    throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`, 400);
  }
  return handler;
}
