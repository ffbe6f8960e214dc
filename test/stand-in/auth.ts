import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './errors';
import {
  DEFAULT_ACCOUNT_ID,
  type Principal,
  rootPrincipal,
  type StandInState,
  type TemporaryCredential,
  userPrincipal,
} from './state';

/** The SigV4 credential scope: `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
export interface Scope {
  accessKeyId: string;
  region: string;
  service: string;
}

export interface Caller {
  principal: Principal;
  scope: Scope;
  /** Set when the request was signed with STS credentials. */
  temporary?: TemporaryCredential;
}

const invalidToken = () =>
  new AwsError(
    'InvalidClientTokenId',
    'The security token included in the request is invalid.',
    403,
  );

export function credentialScope(headers: IncomingHttpHeaders, query: URLSearchParams): Scope {
  const header = headers.authorization ?? '';
  const credential = /Credential=([^,\s]+)/.exec(header)?.[1] ?? query.get('X-Amz-Credential');
  if (!credential) {
    throw new AwsError(
      'MissingAuthenticationToken',
      'Request is missing Authentication Token',
      403,
    );
  }
  const [accessKeyId = '', , region = '', service = ''] = credential.split('/');
  if (!accessKeyId || !region || !service) {
    throw new AwsError(
      'IncompleteSignature',
      `Credential should be scoped correctly: ${credential}`,
      400,
    );
  }
  return { accessKeyId, region, service };
}

/**
 * Who signed the request. Signatures are not checked, but keys the stand-in issued are held to
 * AWS's rules: deleted or inactive keys and wrong or expired session tokens are refused, which
 * is what containment relies on (a deleted root key stays in `keyAccounts`, so it is refused
 * too). Any other key acts as the default account's root.
 */
export function authenticate(
  state: StandInState,
  scope: Scope,
  sessionToken: string | undefined,
  now: Date,
): Caller {
  const { accessKeyId } = scope;
  const temporary = state.temporary.get(accessKeyId);
  if (temporary) {
    if (sessionToken !== temporary.sessionToken) throw invalidToken();
    if (temporary.expiration <= now) {
      throw new AwsError(
        'ExpiredToken',
        'The security token included in the request is expired',
        403,
      );
    }
    return { principal: temporary.principal, scope, temporary };
  }
  const root = state.rootKeys.get(accessKeyId);
  if (root) {
    if (root.status !== 'Active') throw invalidToken();
    root.lastUsed = { date: now, service: scope.service, region: scope.region };
    return { principal: rootPrincipal(root.accountId), scope };
  }

  const accountId = state.keyAccounts.get(accessKeyId);
  if (accountId === undefined) return { principal: rootPrincipal(DEFAULT_ACCOUNT_ID), scope };
  const account = state.account(accountId);
  const key = account.accessKeys.get(accessKeyId);
  const user = key && account.users.get(key.userName);
  if (!key || !user || key.status !== 'Active') throw invalidToken();
  key.lastUsed = { date: now, service: scope.service, region: scope.region };
  return { principal: userPrincipal(accountId, user), scope };
}
