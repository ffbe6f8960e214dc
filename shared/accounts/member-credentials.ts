import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws-clients';
import { digest } from '../digest';
import { awsCall } from '../errors';

/** What the responder's own role needs to act in member accounts. */
export const MEMBER_ACCESS_PERMISSIONS = ['sts:AssumeRole'] as const;

export interface MemberCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

export interface MemberRoleSettings {
  roleName?: string;
  externalId?: string;
}

/** Refresh this long before AWS's expiry, so no incident starts with credentials about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** The session that only looks things up, shared by the incidents of a container. */
export const LOOKUP_SESSION_NAME = 'credential-responder-lookups';

/**
 * The session name of one incident's writes in a member account: `cr-<incident id>`, so the
 * member account's CloudTrail attributes every change to the incident that made it. Session names
 * are 2-64 characters of `[\w+=,.@-]`; a longer id keeps its start and a digest of the whole.
 */
export function incidentSessionName(incidentId: string): string {
  const name = `cr-${incidentId}`.replace(/[^\w+=,.@-]/g, '-');
  return name.length <= 64 ? name : `${name.slice(0, 47)}-${digest(incidentId, 16)}`;
}

/**
 * Clients acting in member accounts through `MEMBER_ROLE_NAME`. Lookups share one session per
 * account for the life of the container (refreshed before expiry; a failed AssumeRole is not
 * cached). Writes get a session of their own per incident (`incidentClients`), named for it,
 * assumed alongside the lookups so it costs no extra round trip.
 */
export class MemberCredentialsCache {
  private readonly cache = new Map<string, Promise<{ clients: AwsClients; expiresAt: number }>>();

  constructor(
    private readonly sts: STSClient,
    private readonly settings: MemberRoleSettings,
    private readonly clientsWith: (credentials: MemberCredentials) => AwsClients,
    private readonly clock: () => number = Date.now,
  ) {}

  roleArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:role/${this.settings.roleName}`;
  }

  /** Clients for lookups in a member account (cached session). */
  async clientsFor(accountId: string): Promise<AwsClients> {
    const cached = this.cache.get(accountId);
    if (cached) {
      const entry = await cached.catch(() => undefined);
      if (entry && entry.expiresAt - REFRESH_MARGIN_MS > this.clock()) return entry.clients;
    }
    const fresh = this.assume(accountId, LOOKUP_SESSION_NAME, 3600);
    this.cache.set(accountId, fresh);
    fresh.catch(() => this.cache.delete(accountId));
    return (await fresh).clients;
  }

  /** Clients for one incident's writes and read-backs: a session named for it, never reused. */
  async incidentClients(accountId: string, incidentId: string): Promise<AwsClients> {
    // 15 minutes, the shortest STS allows: long enough for an incident, useless after it.
    return (await this.assume(accountId, incidentSessionName(incidentId), 900)).clients;
  }

  private async assume(accountId: string, sessionName: string, seconds: number) {
    const out = await awsCall('sts:AssumeRole', () =>
      this.sts.send(
        new AssumeRoleCommand({
          RoleArn: this.roleArn(accountId),
          RoleSessionName: sessionName,
          DurationSeconds: seconds,
          ...(this.settings.externalId ? { ExternalId: this.settings.externalId } : {}),
        }),
      ),
    );
    const c = out.Credentials;
    const expiration = c?.Expiration ?? new Date(this.clock() + seconds * 1000);
    const clients = this.clientsWith({
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
      expiration,
    });
    return { clients, expiresAt: expiration.getTime() };
  }
}
