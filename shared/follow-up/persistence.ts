import { IAM_NAME_PATTERN } from '../access-key-id';
import type { KeyEvent } from './key-activity';

/**
 * What a stolen key left behind, from its CloudTrail events (pure). Only calls AWS accepted
 * count: a refused call changed nothing. Access keys it created are contained like the key
 * itself; everything else is for a person to review, with what to look at.
 */

export interface CreatedKey {
  accessKeyId: string;
  /** The user the key was created for, as CloudTrail records it. */
  userName: string | undefined;
  eventId: string;
  eventTime: string;
  /** Where CloudTrail recorded the call. */
  region: string;
}

export interface ReviewItem {
  eventName: string;
  eventTime: string;
  eventId: string;
  /** What was created or changed: `user/NAME`, `role/NAME`, a policy ARN, … */
  target: string;
  /** What a person should check or undo. */
  review: string;
}

export interface OtherWrite {
  eventName: string;
  eventSource: string;
  eventTime: string;
  eventId: string;
}

export interface Persistence {
  createdKeys: CreatedKey[];
  review: ReviewItem[];
  otherWrites: OtherWrite[];
  /** Calls AWS refused. */
  denied: number;
  /** Successful read-only calls. */
  reads: number;
}

/** A long-term key id: what `CreateAccessKey` returns. */
const LONG_TERM_KEY = /^AKIA[A-Z0-9]{16}$/;
/** Policy names and ARNs, group names: printable, bounded. */
const SAFE_TEXT = /^[\w+=,.@:/-]{1,2048}$/;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && SAFE_TEXT.test(value) ? value : undefined;
const iamName = (value: unknown): string | undefined =>
  typeof value === 'string' && IAM_NAME_PATTERN.test(value) ? value : undefined;
const field = (object: Record<string, unknown>, key: string): Record<string, unknown> => {
  const value = object[key];
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
};

type Reviewer = (event: KeyEvent) => { target: string; review: string } | undefined;

const user = (e: KeyEvent) => `user/${iamName(e.requestParameters.userName) ?? '?'}`;
const role = (e: KeyEvent) => `role/${iamName(e.requestParameters.roleName) ?? '?'}`;
const group = (e: KeyEvent) => `group/${iamName(e.requestParameters.groupName) ?? '?'}`;
const policy = (e: KeyEvent) =>
  str(e.requestParameters.policyArn) ?? `inline ${str(e.requestParameters.policyName) ?? '?'}`;

/** IAM and STS writes that give an attacker a way back in, and what to do about each. */
const REVIEWS: Record<string, Reviewer> = {
  CreateUser: (e) => ({
    target: user(e),
    review: 'a user the stolen key created: delete it after review (its keys, policies, groups)',
  }),
  CreateLoginProfile: (e) => ({
    target: user(e),
    review: 'console password set by the stolen key: delete the login profile after review',
  }),
  UpdateLoginProfile: (e) => ({
    target: user(e),
    review: 'console password changed by the stolen key: reset or delete the login profile',
  }),
  AttachUserPolicy: (e) => ({ target: user(e), review: `policy attached: ${policy(e)}` }),
  AttachRolePolicy: (e) => ({ target: role(e), review: `policy attached: ${policy(e)}` }),
  AttachGroupPolicy: (e) => ({ target: group(e), review: `policy attached: ${policy(e)}` }),
  PutUserPolicy: (e) => ({ target: user(e), review: `inline policy written: ${policy(e)}` }),
  PutRolePolicy: (e) => ({ target: role(e), review: `inline policy written: ${policy(e)}` }),
  PutGroupPolicy: (e) => ({ target: group(e), review: `inline policy written: ${policy(e)}` }),
  CreatePolicyVersion: (e) => ({
    target: policy(e),
    review: `new policy version${e.requestParameters.setAsDefault === true ? ', set as default' : ''}: restore the previous default version`,
  }),
  AddUserToGroup: (e) => ({
    target: user(e),
    review: `added to ${group(e)}: remove it after review`,
  }),
  CreateRole: (e) => ({
    target: role(e),
    review: 'a role the stolen key created: review its trust policy, then delete it',
  }),
  UpdateAssumeRolePolicy: (e) => ({
    target: role(e),
    review:
      'trust policy changed by the stolen key: restore it, and revoke the sessions issued since',
  }),
  AssumeRole: (e) => {
    const session = field(e.responseElements, 'credentials').accessKeyId;
    const key =
      typeof session === 'string' && /^ASIA[A-Z0-9]{16}$/.test(session) ? session : undefined;
    return {
      target: str(e.requestParameters.roleArn) ?? 'a role',
      review:
        `a session of this role was issued to the stolen key${key ? ` (${key})` : ''}: ` +
        'if the role was not meant for it, revoke its sessions (a runbook request naming that session key)',
    };
  },
};

export function persistenceOf(events: KeyEvent[]): Persistence {
  const out: Persistence = { createdKeys: [], review: [], otherWrites: [], denied: 0, reads: 0 };
  const seenKeys = new Set<string>();
  // Oldest first: the record reads in the order the attacker acted.
  const ordered = [...events].sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
  for (const event of ordered) {
    if (event.errorCode) {
      out.denied += 1;
      continue;
    }
    const at = event.eventTime.toISOString();
    if (event.eventName === 'CreateAccessKey' && event.eventSource === 'iam.amazonaws.com') {
      const created = field(event.responseElements, 'accessKey');
      const accessKeyId = created.accessKeyId;
      if (typeof accessKeyId === 'string' && LONG_TERM_KEY.test(accessKeyId)) {
        if (!seenKeys.has(accessKeyId)) {
          seenKeys.add(accessKeyId);
          out.createdKeys.push({
            accessKeyId,
            userName: iamName(created.userName) ?? iamName(event.requestParameters.userName),
            eventId: event.eventId,
            eventTime: at,
            region: event.region ?? 'unknown',
          });
        }
        continue;
      }
      out.review.push({
        eventName: event.eventName,
        eventTime: at,
        eventId: event.eventId,
        target: user(event),
        review:
          'an access key was created, but CloudTrail does not show its id: list the user’s keys',
      });
      continue;
    }
    // IAM's and STS's own events only: other services have a CreateUser too.
    const ours =
      event.eventSource === 'iam.amazonaws.com' || event.eventSource === 'sts.amazonaws.com';
    const reviewer =
      ours && Object.hasOwn(REVIEWS, event.eventName) ? REVIEWS[event.eventName] : undefined;
    const item = reviewer?.(event);
    if (item) {
      out.review.push({
        eventName: event.eventName,
        eventTime: at,
        eventId: event.eventId,
        ...item,
      });
    } else if (event.readOnly) {
      out.reads += 1;
    } else {
      out.otherWrites.push({
        eventName: event.eventName,
        eventSource: event.eventSource,
        eventTime: at,
        eventId: event.eventId,
      });
    }
  }
  return out;
}
