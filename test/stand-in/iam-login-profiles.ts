import { findUser, targetUserName } from './entities';
import { AwsError, entityAlreadyExists, noSuchEntity, validationError } from './errors';
import type { Handler, RequestContext } from './handler';
import { RULES } from './params';
import type { LoginProfile, User } from './state';
import type { XmlObject } from './xml';

/** IAM's pattern for passwords: tab, line feed, carriage return, and U+0020 through U+00FF. */
const PASSWORD = /^[\t\n\r\u0020-\u00FF]+$/;
const MAX_PASSWORD = 128;

/** Like `validationError`, without the value: the message may end up in CloudTrail. */
const invalidPassword = (constraint: string) =>
  new AwsError(
    'ValidationError',
    `1 validation error detected: Value at 'password' failed to satisfy constraint: ${constraint}`,
    400,
  );

/** The password, checked as IAM checks its syntax, then dropped (nothing signs in). */
function checkPassword(ctx: RequestContext, required: boolean): void {
  const password = ctx.params.string('Password');
  if (password === undefined) {
    if (required) throw validationError('password', undefined, 'Member must not be null');
    return;
  }
  if (password.length < 1)
    throw invalidPassword('Member must have length greater than or equal to 1');
  if (password.length > MAX_PASSWORD) {
    throw invalidPassword(`Member must have length less than or equal to ${MAX_PASSWORD}`);
  }
  if (!PASSWORD.test(password)) {
    throw invalidPassword(
      'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
    );
  }
}

const resetRequired = (ctx: RequestContext): boolean | undefined => {
  const value = ctx.params.string('PasswordResetRequired', RULES.boolean);
  return value === undefined ? undefined : value === 'true';
};

/** The user named (or, for a user's own credentials, the caller); root must name one. */
function userNamed(ctx: RequestContext, required: boolean): string {
  const given = ctx.params.string('UserName', RULES.userName);
  const name = required ? given : targetUserName(ctx, given);
  if (name === undefined) throw validationError('userName', undefined, 'Member must not be null');
  return name;
}

function profileOf(user: User): LoginProfile {
  if (!user.loginProfile) {
    throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
  }
  return user.loginProfile;
}

const loginProfileXml = (user: User, profile: LoginProfile): XmlObject => ({
  UserName: user.name,
  CreateDate: profile.createDate,
  PasswordResetRequired: profile.passwordResetRequired,
});

const createLoginProfile: Handler = (ctx) => {
  const name = userNamed(ctx, false);
  checkPassword(ctx, true);
  const passwordResetRequired = resetRequired(ctx) ?? false;
  const user = findUser(ctx.account, name);
  if (user.loginProfile) {
    throw entityAlreadyExists(`Login Profile for user ${user.name} already exists.`);
  }
  user.loginProfile = { createDate: ctx.now, passwordResetRequired };
  return { LoginProfile: loginProfileXml(user, user.loginProfile) };
};

const getLoginProfile: Handler = (ctx) => {
  const user = findUser(ctx.account, userNamed(ctx, false));
  return { LoginProfile: loginProfileXml(user, profileOf(user)) };
};

/** Changes what is given (a new password, the reset flag); the creation date stays. */
const updateLoginProfile: Handler = (ctx) => {
  const name = userNamed(ctx, true);
  checkPassword(ctx, false);
  const passwordResetRequired = resetRequired(ctx);
  const profile = profileOf(findUser(ctx.account, name));
  if (passwordResetRequired !== undefined) profile.passwordResetRequired = passwordResetRequired;
  return undefined;
};

const deleteLoginProfile: Handler = (ctx) => {
  const user = findUser(ctx.account, userNamed(ctx, false));
  profileOf(user);
  user.loginProfile = undefined;
  return undefined;
};

export const loginProfileHandlers: Record<string, Handler> = {
  CreateLoginProfile: createLoginProfile,
  GetLoginProfile: getLoginProfile,
  UpdateLoginProfile: updateLoginProfile,
  DeleteLoginProfile: deleteLoginProfile,
};
