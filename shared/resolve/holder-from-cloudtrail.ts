import { IAM_NAME_PATTERN } from '../access-key-id';
import type { CloudTrailEvents } from '../cloudtrail-events';
import { awsCall } from '../errors';
import type { FindingPrincipal } from '../request';

/** The permission the lookup needs (LookupEvents has no resource-level scoping). */
export const CLOUDTRAIL_PERMISSIONS = ['cloudtrail:LookupEvents'] as const;

/** LookupEvents allows about 2 requests/s per account and region: a few pages, never a scan. */
const MAX_PAGES = 3;
const PAGE_SIZE = 50;

export type Holder =
  | {
      kind: 'found';
      principal: FindingPrincipal;
      detail: string;
      /** When the session was issued (`sessionContext.attributes.creationDate`), if recorded. */
      issuedAt?: Date;
    }
  | { kind: 'not-found'; detail: string }
  | { kind: 'ambiguous'; detail: string };

interface UserIdentity {
  type?: string;
  userName?: string;
  principalId?: string;
  sessionContext?: {
    sessionIssuer?: { type?: string; userName?: string; principalId?: string };
    attributes?: { creationDate?: string };
  };
}

/**
 * Who used a temporary key, from CloudTrail (regional, 90 days): the role an assumed-role session
 * came from, the user of a session token, or the IAM user who called GetFederationToken.
 * Every event must name the same holder; anything else is reported, never guessed.
 */
export async function holderFromCloudTrail(
  accessKeyId: string,
  cloudtrail: CloudTrailEvents,
): Promise<Holder> {
  const holders = new Map<string, FindingPrincipal>();
  let issuedAt: Date | undefined;
  let nextToken: string | undefined;
  let events = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await awsCall('cloudtrail:LookupEvents', () =>
      cloudtrail.lookupEvents({
        LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: accessKeyId }],
        MaxResults: PAGE_SIZE,
        NextToken: nextToken,
      }),
    );
    for (const event of out.Events ?? []) {
      events += 1;
      const identity = parseIdentity(event.CloudTrailEvent);
      const holder = holderOf(identity);
      if (holder) holders.set(`${holder.userType}/${holder.userName ?? ''}`, holder);
      const created = Date.parse(identity?.sessionContext?.attributes?.creationDate ?? '');
      if (!Number.isNaN(created)) issuedAt = new Date(created);
    }
    nextToken = out.NextToken;
    if (!nextToken || holders.size > 0) break;
  }
  const region = await cloudtrail.region();
  const [first, ...others] = [...holders.values()];
  if (!first) {
    return {
      kind: 'not-found',
      detail: `no CloudTrail event in ${region} names a holder of ${accessKeyId} (${events} events read)`,
    };
  }
  if (others.length > 0) {
    return {
      kind: 'ambiguous',
      detail: `CloudTrail events in ${region} name ${holders.size} different holders of ${accessKeyId}`,
    };
  }
  return {
    kind: 'found',
    principal: first,
    ...(issuedAt ? { issuedAt } : {}),
    detail: `CloudTrail (${region}) shows ${accessKeyId} used by ${first.userType} ${first.userName ?? ''}`,
  };
}

/** The IAM id CloudTrail gives for the principal, so the plan can check it against IAM's. */
function withId(principal: FindingPrincipal, principalId: string | undefined): FindingPrincipal {
  return principalId ? { ...principal, principalId } : principal;
}

function parseIdentity(record: string | undefined): UserIdentity | undefined {
  try {
    return (JSON.parse(record ?? '') as { userIdentity?: UserIdentity }).userIdentity;
  } catch {
    return undefined;
  }
}

/** userIdentity → the principal to contain, in the terms a GuardDuty finding would use. */
function holderOf(identity: UserIdentity | undefined): FindingPrincipal | undefined {
  const issuer = identity?.sessionContext?.sessionIssuer;
  const valid = (name: string | undefined) =>
    name && IAM_NAME_PATTERN.test(name) ? name : undefined;
  switch (identity?.type) {
    case 'AssumedRole': {
      const role = valid(issuer?.userName);
      return role
        ? {
            userType: 'AssumedRole',
            userName: role,
            ...(identity.principalId ? { principalId: identity.principalId } : {}),
          }
        : undefined;
    }
    case 'IAMUser': {
      const user = valid(identity.userName);
      return user
        ? withId({ userType: 'IAMUser', userName: user }, identity.principalId)
        : undefined;
    }
    case 'FederatedUser': {
      // The sessions were minted by this IAM user's GetFederationToken: its session deny covers them.
      const user = issuer?.type === 'IAMUser' ? valid(issuer.userName) : undefined;
      return user
        ? withId({ userType: 'IAMUser', userName: user }, issuer?.principalId)
        : undefined;
    }
    case 'Root':
      return { userType: 'Root' };
    default:
      return undefined;
  }
}
