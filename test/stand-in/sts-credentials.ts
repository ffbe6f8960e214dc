import type { RequestContext } from './handler';
import { accessKeyId, secretAccessKey, sessionToken } from './ids';
import type { Principal, TemporaryCredential } from './state';
import type { XmlObject } from './xml';

/**
 * Records an STS credential (with its issue time, for `aws:TokenIssueTime`, and an AssumeRoot
 * session's task policy) and renders it as `<Credentials>`.
 */
export function issue(
  ctx: RequestContext,
  principal: Principal,
  seconds: number,
  taskPolicyArn?: string,
): XmlObject {
  const credential: TemporaryCredential = {
    accessKeyId: accessKeyId('ASIA', principal.accountId),
    secretAccessKey: secretAccessKey(),
    sessionToken: sessionToken(),
    principal,
    issuedAt: ctx.now,
    expiration: new Date(ctx.now.getTime() + seconds * 1000),
    ...(taskPolicyArn !== undefined && { taskPolicyArn }),
  };
  ctx.state.temporary.set(credential.accessKeyId, credential);
  return {
    AccessKeyId: credential.accessKeyId,
    SecretAccessKey: credential.secretAccessKey,
    SessionToken: credential.sessionToken,
    Expiration: credential.expiration,
  };
}
