import { findUser, targetUserName } from './entities';
import { accessDenied, limitExceeded, noSuchEntity, validationMessage } from './errors';
import type { Handler, RequestContext } from './handler';
import { accessKeyId, secretAccessKey } from './ids';
import { RULES } from './params';
import { type AccessKey, type KeyLastUsed, type RootKey, rootKeysOf } from './state';
import type { XmlObject } from './xml';

const MAX_KEYS_PER_USER = 2;

const keyNotFound = (id: string) => noSuchEntity(`The Access Key with id ${id} cannot be found.`);

type FoundKey = { kind: 'user'; key: AccessKey } | { kind: 'root'; key: RootKey };

/**
 * The key `id` of the target user (given or implied by the caller), or, for a root caller that
 * names no user, of the account's root user; else NoSuchEntity.
 */
function findKey(ctx: RequestContext, id: string): FoundKey {
  const userName = targetUserName(ctx, ctx.params.string('UserName', RULES.userName));
  if (userName === undefined) {
    const key = ctx.state.rootKeys.get(id);
    if (!key || key.accountId !== ctx.account.id) throw keyNotFound(id);
    return { kind: 'root', key };
  }
  findUser(ctx.account, userName);
  const key = ctx.account.accessKeys.get(id);
  if (!key || key.userName !== userName) throw keyNotFound(id);
  return { kind: 'user', key };
}

const createAccessKey: Handler = (ctx) => {
  const { account, state, now } = ctx;
  const userName = targetUserName(ctx, ctx.params.string('UserName', RULES.userName));
  if (userName === undefined) {
    throw validationMessage('The stand-in does not issue access keys for the root user.');
  }
  const user = findUser(account, userName);
  const owned = [...account.accessKeys.values()].filter((key) => key.userName === user.name);
  if (owned.length >= MAX_KEYS_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`);
  }
  const key: AccessKey = {
    id: accessKeyId('AKIA', account.id),
    secret: secretAccessKey(),
    userName: user.name,
    status: 'Active',
    createDate: now,
  };
  account.accessKeys.set(key.id, key);
  state.keyAccounts.set(key.id, account.id);
  return {
    AccessKey: {
      UserName: key.userName,
      AccessKeyId: key.id,
      Status: key.status,
      SecretAccessKey: key.secret,
      CreateDate: key.createDate,
    },
  };
};

const updateAccessKey: Handler = (ctx) => {
  const id = ctx.params.required('AccessKeyId', RULES.accessKeyId);
  const status = ctx.params.required('Status', RULES.status) as AccessKey['status'];
  findKey(ctx, id).key.status = status;
  return undefined;
};

/** Without UserName, a root caller (its key or an AssumeRoot session) lists the root user's keys. */
const listAccessKeys: Handler = (ctx) => {
  const userName = targetUserName(ctx, ctx.params.string('UserName', RULES.userName));
  if (userName === undefined) {
    return {
      AccessKeyMetadata: rootKeysOf(ctx.state, ctx.account.id).map((key) => ({
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        CreateDate: key.createDate,
      })),
      IsTruncated: false,
    };
  }
  findUser(ctx.account, userName);
  const keys = [...ctx.account.accessKeys.values()].filter((key) => key.userName === userName);
  return {
    UserName: userName,
    AccessKeyMetadata: keys.map((key) => ({
      UserName: key.userName,
      AccessKeyId: key.id,
      Status: key.status,
      CreateDate: key.createDate,
    })),
    IsTruncated: false,
  };
};

/** A deleted root key stays in `keyAccounts`, so authentication keeps refusing it. */
const deleteAccessKey: Handler = (ctx) => {
  const id = ctx.params.required('AccessKeyId', RULES.accessKeyId);
  const found = findKey(ctx, id);
  if (found.kind === 'root') ctx.state.rootKeys.delete(id);
  else ctx.account.accessKeys.delete(id);
  return undefined;
};

const lastUsedXml = (lastUsed: KeyLastUsed | undefined): XmlObject => ({
  LastUsedDate: lastUsed?.date,
  ServiceName: lastUsed?.service ?? 'N/A',
  Region: lastUsed?.region ?? 'N/A',
});

/**
 * Any key of the caller's account, a root user's key included (without UserName); keys of other
 * accounts are invisible: AWS answers AccessDenied rather than NoSuchEntity.
 */
const getAccessKeyLastUsed: Handler = ({ params, account, caller, state }) => {
  const id = params.required('AccessKeyId', RULES.accessKeyId);
  const key = account.accessKeys.get(id);
  if (key) return { UserName: key.userName, AccessKeyLastUsed: lastUsedXml(key.lastUsed) };
  const root = state.rootKeys.get(id);
  if (root?.accountId === account.id) return { AccessKeyLastUsed: lastUsedXml(root.lastUsed) };
  throw accessDenied(
    `User: ${caller.principal.arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${id}`,
  );
};

export const accessKeyHandlers: Record<string, Handler> = {
  CreateAccessKey: createAccessKey,
  UpdateAccessKey: updateAccessKey,
  ListAccessKeys: listAccessKeys,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
};
