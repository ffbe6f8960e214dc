import { GetAccessKeyInfoCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws-clients';
import type { Config } from '../config';
import { awsCall } from '../errors';
import {
  knownResponderIdentity,
  type ResponderIdentity,
  responderIdentity,
} from '../resolve/responder-identity';
import { incidentSessionName, type MemberCredentialsCache } from './member-credentials';

export type Access =
  | { kind: 'own'; accountId: string; clients: AwsClients }
  | {
      kind: 'member';
      accountId: string;
      /** Lookups: the container's shared session in that account. */
      clients: AwsClients;
      /** Writes and read-backs: a session named for this incident, assumed alongside the lookups. */
      writer: Promise<AwsClients>;
      roleArn: string;
      sessionName: string;
    }
  | { kind: 'refused'; accountId: string; reason: string };

/** The clients an incident's writes go through, once an access is granted. */
export function writerOf(access: Exclude<Access, { kind: 'refused' }>): Promise<AwsClients> {
  return access.kind === 'member' ? access.writer : Promise.resolve(access.clients);
}

/**
 * Where one incident may act, asked once: the responder's identity, the key's account
 * (`sts:GetAccessKeyInfo`, from any caller) and the clients for an account. A member account is
 * acted in only when it is in ALLOWED_ACCOUNT_IDS and MEMBER_ROLE_NAME is set.
 */
export class IncidentAccess {
  readonly identity: Promise<ResponderIdentity>;
  private keyAccountPromise?: Promise<string>;
  private readonly accounts = new Map<string, Promise<Access>>();

  /**
   * `accessKeyId`: the incident's key, when it has one (a role's release has none). `writes`:
   * false for a dry run, which needs no session of its own in a member account.
   */
  constructor(
    private readonly own: AwsClients,
    private readonly config: Config,
    private readonly members: MemberCredentialsCache | undefined,
    private readonly incident: { incidentId: string; accessKeyId?: string; writes: boolean },
  ) {
    this.identity = responderIdentity(own.sts);
  }

  keyAccount(): Promise<string> {
    const AccessKeyId = this.incident.accessKeyId;
    if (!AccessKeyId) return Promise.reject(new Error('internal: this incident names no key'));
    this.keyAccountPromise ??= awsCall('sts:GetAccessKeyInfo', () =>
      this.own.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId })),
    ).then((out) => out.Account ?? '');
    return this.keyAccountPromise;
  }

  forAccount(accountId: string): Promise<Access> {
    let access = this.accounts.get(accountId);
    if (!access) {
      access = this.grant(accountId);
      this.accounts.set(accountId, access);
    }
    return access;
  }

  private async grant(accountId: string): Promise<Access> {
    const { accountId: ownAccount } = await this.identity;
    if (accountId === ownAccount) return { kind: 'own', accountId, clients: this.own };
    const refuse = (reason: string): Access => ({ kind: 'refused', accountId, reason });
    if (!this.config.allowedAccountIds.includes(accountId)) {
      return refuse(
        `the key belongs to account ${accountId}, which is not in ALLOWED_ACCOUNT_IDS of this responder (account ${ownAccount}): contain it from that account, or allow it`,
      );
    }
    if (!this.members || !this.config.memberRoleName) {
      return refuse(
        `account ${accountId} is allowed but MEMBER_ROLE_NAME is not set: the responder has no role to act there`,
      );
    }
    const lookups = this.members.clientsFor(accountId);
    const writer = this.incident.writes
      ? this.members.incidentClients(accountId, this.incident.incidentId)
      : lookups;
    // Awaited only if the incident writes; a failure then surfaces there, never as unhandled.
    writer.catch(() => undefined);
    const clients = await lookups;
    return {
      kind: 'member',
      accountId,
      clients,
      writer,
      roleArn: this.members.roleArn(accountId),
      sessionName: incidentSessionName(this.incident.incidentId),
    };
  }

  /**
   * The access to look the principal up with before the key's account is known. Warm: decided
   * now. Cold (the responder's own account not known yet): its own clients, the usual case; the
   * caller discards the result if the key turns out to live elsewhere.
   */
  speculate(accountId: string | undefined): Promise<Access> | Access {
    const own = knownResponderIdentity(this.own.sts);
    if (!own) return { kind: 'own', accountId: accountId ?? '', clients: this.own };
    return this.forAccount(accountId ?? own.accountId);
  }

  async forKey(): Promise<Access> {
    return this.forAccount(await this.keyAccount());
  }
}
