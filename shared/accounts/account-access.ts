import { GetAccessKeyInfoCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws-clients';
import type { Config } from '../config';
import { awsCall } from '../errors';
import {
  knownResponderIdentity,
  type ResponderIdentity,
  responderIdentity,
} from '../resolve/responder-identity';
import type { MemberCredentialsCache } from './member-credentials';

export type Access =
  | { kind: 'own'; accountId: string; clients: AwsClients }
  | { kind: 'member'; accountId: string; clients: AwsClients; roleArn: string }
  | { kind: 'refused'; accountId: string; reason: string };

/**
 * Where one incident may act, asked once: the responder's identity, the key's account
 * (`sts:GetAccessKeyInfo`, from any caller) and the clients for an account. A member account is
 * acted in only when it is in ALLOWED_ACCOUNT_IDS and MEMBER_ROLE_NAME is set.
 */
export class IncidentAccess {
  readonly identity: Promise<ResponderIdentity>;
  private keyAccountPromise?: Promise<string>;

  constructor(
    private readonly own: AwsClients,
    private readonly config: Config,
    private readonly members: MemberCredentialsCache | undefined,
    private readonly accessKeyId: string,
    private readonly incidentId: string,
  ) {
    this.identity = responderIdentity(own.sts);
  }

  keyAccount(): Promise<string> {
    this.keyAccountPromise ??= awsCall('sts:GetAccessKeyInfo', () =>
      this.own.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: this.accessKeyId })),
    ).then((out) => out.Account ?? '');
    return this.keyAccountPromise;
  }

  async forAccount(accountId: string): Promise<Access> {
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
    const clients = await this.members.clientsFor(accountId, this.incidentId);
    return { kind: 'member', accountId, clients, roleArn: this.members.roleArn(accountId) };
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
