import { MEMBER_ACCESS_PERMISSIONS } from '../accounts/member-credentials';
import { PASS_SCHEDULER_ROLE, SCHEDULE_PERMISSIONS } from '../follow-up/hold-check-schedule';
import { SEQUENCE_PERMISSIONS } from '../intake/sequence-findings';
import { CLOUDTRAIL_PERMISSIONS } from '../resolve/holder-from-cloudtrail';
import { LOOKUP_PERMISSIONS } from '../resolve/resolve-facts';
import { ROOT_KEY_PERMISSIONS } from '../root/assume-root';
import type { ContainmentAction } from './containment-action';
import { clearDeactivationRecord, recordDeactivation } from './record-deactivation';
import {
  restoreRoleManagedRevocation,
  restoreUserManagedRevocation,
} from './restore-managed-revocation';
import {
  restoreRoleSessionRevocation,
  restoreUserSessionRevocation,
} from './restore-session-revocation';
import {
  revokeRoleSessionsByManagedPolicy,
  revokeUserSessionsByManagedPolicy,
} from './revoke-by-managed-policy';
import { revokeRoleSessions, revokeUserSessions } from './revoke-sessions';
import { deactivateAccessKey, reactivateAccessKey } from './set-access-key-status';

/** Every action the responder can take: containment, then its undo (`release`). */
export const ACTIONS: readonly ContainmentAction<never>[] = [
  deactivateAccessKey,
  revokeUserSessions,
  revokeRoleSessions,
  revokeUserSessionsByManagedPolicy,
  revokeRoleSessionsByManagedPolicy,
  recordDeactivation,
  reactivateAccessKey,
  restoreUserSessionRevocation,
  restoreRoleSessionRevocation,
  restoreUserManagedRevocation,
  restoreRoleManagedRevocation,
  clearDeactivationRecord,
];

/**
 * What any account's principal must allow for the responder to look up and act there: the
 * lookups plus every action's declared needs. The member-account role grants exactly these.
 */
export function accountPermissions(): string[] {
  const all = new Set<string>([...LOOKUP_PERMISSIONS, ...CLOUDTRAIL_PERMISSIONS]);
  for (const action of ACTIONS) for (const permission of action.permissions) all.add(permission);
  return [...all].sort();
}

/**
 * Every IAM/STS/CloudTrail/GuardDuty/Scheduler permission the responder's own role has: the
 * above, plus assuming member roles, reading the findings an attack sequence names (its own
 * detector), and scheduling (or cancelling) a containment's hold check with the stack's
 * scheduler role, and a root session limited to deleting a member account's root credentials
 * (the session's IAM calls are the task policy's, not the role's).
 */
export function requiredPermissions(): string[] {
  return [
    ...accountPermissions(),
    ...MEMBER_ACCESS_PERMISSIONS,
    ...SEQUENCE_PERMISSIONS,
    ...SCHEDULE_PERMISSIONS,
    ...PASS_SCHEDULER_ROLE,
    ...ROOT_KEY_PERMISSIONS,
  ].sort();
}

/** What the member-account role grants: everything the responder does in an account (the key lookup runs with its own role). */
export function memberRolePermissions(): string[] {
  return accountPermissions().filter((permission) => !permission.startsWith('sts:'));
}
