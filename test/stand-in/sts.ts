import { accessDenied, malformedPolicy, validationMessage } from './errors';
import type { Handler, Service } from './handler';
import { accountOfKeyId } from './ids';
import { RULES } from './params';
import { parsePolicy, trustAllows } from './policy';
import type { Principal } from './state';
import { assumeRoot } from './sts-assume-root';
import { issue } from './sts-credentials';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;
const SESSION_NAME = { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };
const EXTERNAL_ID = {
  min: 2,
  max: 1224,
  pattern: /^[\w+=,.@:/-]*$/,
  patternText: '[\\w+=,.@:\\/-]*',
};
const FEDERATED_NAME = { min: 2, max: 32, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };
/** Sessions of roles assumed with role credentials ("role chaining") last at most an hour. */
const CHAINED_MAX_SECONDS = 3600;

const getCallerIdentity: Handler = ({ caller }) => ({
  Arn: caller.principal.arn,
  UserId: caller.principal.userId,
  Account: caller.principal.accountId,
});

/** The account a key was issued in; for keys from elsewhere, the account its id encodes. */
const getAccessKeyInfo: Handler = ({ params, state }) => {
  const id = params.required('AccessKeyId', RULES.accessKeyId);
  const account =
    state.keyAccounts.get(id) ??
    state.rootKeys.get(id)?.accountId ??
    state.temporary.get(id)?.principal.accountId ??
    accountOfKeyId(id);
  return { Account: account };
};

/** A missing role and a refusing trust policy look the same to the caller, as on AWS. */
const assumeRole: Handler = (ctx) => {
  const { params, caller, state, now } = ctx;
  const roleArn = params.required('RoleArn', { min: 20, max: 2048 });
  const sessionName = params.required('RoleSessionName', SESSION_NAME);
  const externalId = params.string('ExternalId', EXTERNAL_ID);
  const seconds = params.integer('DurationSeconds', { min: 900, max: 43200 }) ?? 3600;
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validationMessage('Request ARN is invalid');
  const [, accountId = '', , roleName = ''] = match;

  const role = state.accounts.get(accountId)?.roles.get(roleName);
  if (!role || role.arn !== roleArn || !trustAllows(role.trustPolicy, externalId)) {
    throw accessDenied(
      `User: ${caller.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  }
  if (caller.principal.kind === 'assumed-role' && seconds > CHAINED_MAX_SECONDS) {
    throw validationMessage(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (seconds > role.maxSessionDuration) {
    throw validationMessage(
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  role.lastUsed = { date: now, region: caller.scope.region };
  const principal: Principal = {
    kind: 'assumed-role',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.id}:${sessionName}`,
    roleName: role.name,
    sessionName,
  };
  return {
    AssumedRoleUser: { Arn: principal.arn, AssumedRoleId: principal.userId },
    Credentials: issue(ctx, principal, seconds),
  };
};

/** Session credentials of the calling user (or root), acting exactly as that principal. */
const getSessionToken: Handler = (ctx) => {
  const { caller, params } = ctx;
  if (caller.temporary) throw accessDenied('Cannot call GetSessionToken with session credentials');
  const root = caller.principal.kind === 'root';
  const seconds =
    params.integer('DurationSeconds', { min: 900, max: root ? 3600 : 129600 }) ??
    (root ? 3600 : 43200);
  return { Credentials: issue(ctx, caller.principal, seconds) };
};

/**
 * A federated user acting in the caller's account. Root may call it too (AWS advises against
 * it), its sessions cut to an hour rather than refused, as the API reference says.
 */
const getFederationToken: Handler = (ctx) => {
  const { caller, params } = ctx;
  const issuer = caller.principal;
  if (caller.temporary || (issuer.kind !== 'user' && issuer.kind !== 'root')) {
    throw accessDenied('Cannot call GetFederationToken with session credentials');
  }
  const name = params.required('Name', FEDERATED_NAME);
  // Session policies are not enforced (nothing is): only their JSON is checked.
  const policy = params.string('Policy', { min: 1, max: 2048 });
  if (policy !== undefined && !parsePolicy(policy)) {
    throw malformedPolicy('The policy is not in the valid JSON format.');
  }
  const requested = params.integer('DurationSeconds', { min: 900, max: 129600 }) ?? 43200;
  const seconds = issuer.kind === 'root' ? Math.min(requested, 3600) : requested;
  const { accountId } = issuer;
  const principal: Principal = {
    kind: 'federated-user',
    accountId,
    arn: `arn:aws:sts::${accountId}:federated-user/${name}`,
    userId: `${accountId}:${name}`,
    name,
    issuer,
  };
  return {
    Credentials: issue(ctx, principal, seconds),
    FederatedUser: { FederatedUserId: principal.userId, Arn: principal.arn },
  };
};

export const sts: Service = {
  namespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  version: '2011-06-15',
  handlers: {
    GetCallerIdentity: getCallerIdentity,
    GetAccessKeyInfo: getAccessKeyInfo,
    AssumeRole: assumeRole,
    GetSessionToken: getSessionToken,
    GetFederationToken: getFederationToken,
    AssumeRoot: assumeRoot,
  },
};
