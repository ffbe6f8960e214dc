import { findUser, targetUserName } from './entities';
import { accessDenied, limitExceeded, noSuchEntity, validationMessage } from './errors';
import type { Handler, RequestContext } from './handler';
import { accessKeyId, secretAccessKey } from './ids';
import { RULES } from './params';
import type { AccessKey } from './state';

const MAX_KEYS_PER_USER = 2;

const keyNotFound = (id: string) => noSuchEntity(`The Access Key with id ${id} cannot be found.`);

/** The key `id` of the target user (given or implied by the caller), else NoSuchEntity. */
function findUserKey(ctx: RequestContext, id: string): AccessKey {
  const userName = targetUserName(ctx, ctx.params.string('UserName', RULES.userName));
  if (userName === undefined) throw keyNotFound(id);
  findUser(ctx.account, userName);
  const key = ctx.account.accessKeys.get(id);
  if (!key || key.userName !== userName) throw keyNotFound(id);
  return key;
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
  findUserKey(ctx, id).status = status;
  return undefined;
};

const listAccessKeys: Handler = (ctx) => {
  const userName = targetUserName(ctx, ctx.params.string('UserName', RULES.userName));
  if (userName !== undefined) findUser(ctx.account, userName);
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

const deleteAccessKey: Handler = (ctx) => {
  const id = ctx.params.required('AccessKeyId', RULES.accessKeyId);
  findUserKey(ctx, id);
  ctx.account.accessKeys.delete(id);
  return undefined;
};

/** Keys of other accounts are invisible: AWS answers AccessDenied rather than NoSuchEntity. */
const getAccessKeyLastUsed: Handler = ({ params, account, caller }) => {
  const id = params.required('AccessKeyId', RULES.accessKeyId);
  const key = account.accessKeys.get(id);
  if (!key) {
    throw accessDenied(
      `User: ${caller.principal.arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${id}`,
    );
  }
  return {
    UserName: key.userName,
    AccessKeyLastUsed: {
      LastUsedDate: key.lastUsed?.date,
      ServiceName: key.lastUsed?.service ?? 'N/A',
      Region: key.lastUsed?.region ?? 'N/A',
    },
  };
};

export const accessKeyHandlers: Record<string, Handler> = {
  CreateAccessKey: createAccessKey,
  UpdateAccessKey: updateAccessKey,
  ListAccessKeys: listAccessKeys,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
};
