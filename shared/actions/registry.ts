import { CLOUDTRAIL_PERMISSIONS } from '../resolve/holder-from-cloudtrail';
import { LOOKUP_PERMISSIONS } from '../resolve/resolve-facts';
import type { ContainmentAction } from './containment-action';
import { markPrincipal } from './mark-principal';
import {
  removeRoleSessionRevocation,
  removeUserSessionRevocation,
} from './remove-session-revocation';
import { revokeRoleSessions, revokeUserSessions } from './revoke-sessions';
import { deactivateAccessKey, reactivateAccessKey } from './set-access-key-status';
import { unmarkPrincipal } from './unmark-principal';

/** Every action the responder can take: containment, then its undo (`release`). */
export const ACTIONS: readonly ContainmentAction<never>[] = [
  deactivateAccessKey,
  revokeUserSessions,
  revokeRoleSessions,
  markPrincipal,
  reactivateAccessKey,
  removeUserSessionRevocation,
  removeRoleSessionRevocation,
  unmarkPrincipal,
];

/** Every IAM/STS/CloudTrail permission the responder uses: lookups plus every action's declared needs. */
export function requiredPermissions(): string[] {
  const all = new Set<string>([...LOOKUP_PERMISSIONS, ...CLOUDTRAIL_PERMISSIONS]);
  for (const action of ACTIONS) for (const permission of action.permissions) all.add(permission);
  return [...all].sort();
}
