import type { Tags } from '../resolve/facts';
import { TAG } from '../tags';

export interface ProtectionSubject {
  kind: 'user' | 'role';
  name: string;
  arn: string;
  tags: Tags;
}

/**
 * Why a principal must never be touched, or undefined. Protected: the responder's own identity
 * and the member role it acts through (containing either would stop all containment), every ARN
 * matched by PROTECTED_PRINCIPALS (`*`
 * matches any run of characters, e.g. break-glass roles), and anything tagged
 * `credential-responder:protected` = `true`.
 */
export function protectionReason(
  subject: ProtectionSubject,
  responderArn: string,
  config: { protectedPrincipals: readonly string[]; memberRoleName?: string },
): string | undefined {
  if (isResponder(subject, responderArn)) {
    return `${subject.kind} ${subject.name} is the responder's own identity: it never contains itself`;
  }
  if (subject.kind === 'role' && subject.name === config.memberRoleName) {
    return `role ${subject.name} is the member role the responder acts through (MEMBER_ROLE_NAME): it never revokes it`;
  }
  const pattern = config.protectedPrincipals.find((p) =>
    protectedPatternRegExp(p).test(subject.arn),
  );
  if (pattern)
    return `${subject.kind} ${subject.name} is protected by PROTECTED_PRINCIPALS (${pattern})`;
  if (subject.tags[TAG.protected]?.toLowerCase() === 'true') {
    return `${subject.kind} ${subject.name} is tagged ${TAG.protected}=true`;
  }
  return undefined;
}

/** `arn:aws:sts::<account>:assumed-role/<role>/<session>` or `arn:aws:iam::<account>:user/<path/>name`. */
function isResponder(subject: ProtectionSubject, responderArn: string): boolean {
  const role = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/([^/]+)\//.exec(responderArn)?.[1];
  if (role) return subject.kind === 'role' && subject.name === role;
  const user = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(responderArn)?.[1];
  return user !== undefined && subject.kind === 'user' && subject.name === user;
}

/**
 * A pattern (validated by config.ts) against the ARN IAM gives the principal, path included. `*`
 * matches any run of characters, `/` included. A pattern whose name has no `/`
 * (`…:role/break-glass-*`) matches that name under any path (`role/ops/break-glass-1` too):
 * erring towards protection; one with a path (`…:role/ops/*`) matches that path only.
 */
export function protectedPatternRegExp(pattern: string): RegExp {
  const literal = (glob: string) =>
    glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
  const match = /^(.*?:(?:user|role)\/)([^/]*)$/.exec(pattern);
  if (match) return new RegExp(`^${literal(match[1] ?? '')}(?:.*/)?${literal(match[2] ?? '')}$`);
  return new RegExp(`^${literal(pattern)}$`);
}
