import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws-clients';
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

/**
 * Clients acting in member accounts through `MEMBER_ROLE_NAME`, one AssumeRole per account for
 * the life of the container (refreshed before expiry). A failed AssumeRole is not cached.
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

  async clientsFor(accountId: string, incidentId: string): Promise<AwsClients> {
    const cached = this.cache.get(accountId);
    if (cached) {
      const entry = await cached.catch(() => undefined);
      if (entry && entry.expiresAt - REFRESH_MARGIN_MS > this.clock()) return entry.clients;
    }
    const fresh = this.assume(accountId, incidentId);
    this.cache.set(accountId, fresh);
    fresh.catch(() => this.cache.delete(accountId));
    return (await fresh).clients;
  }

  private async assume(accountId: string, incidentId: string) {
    const out = await awsCall('sts:AssumeRole', () =>
      this.sts.send(
        new AssumeRoleCommand({
          RoleArn: this.roleArn(accountId),
          // Names the incident that opened the session, for the member account's CloudTrail.
          RoleSessionName: `cr-${incidentId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64),
          DurationSeconds: 3600,
          ...(this.settings.externalId ? { ExternalId: this.settings.externalId } : {}),
        }),
      ),
    );
    const c = out.Credentials;
    const expiration = c?.Expiration ?? new Date(this.clock() + 3600_000);
    const clients = this.clientsWith({
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
      expiration,
    });
    return { clients, expiresAt: expiration.getTime() };
  }
}
