import { LOOKUP_PERMISSIONS } from '../resolve/resolve-facts';
import type { ContainmentAction } from './containment-action';
import { deactivateAccessKey } from './deactivate-access-key';
import { markPrincipal } from './mark-principal';
import { revokeRoleSessions, revokeUserSessions } from './revoke-sessions';

/** Every containment action the responder can take. */
export const ACTIONS: readonly ContainmentAction<never>[] = [
  deactivateAccessKey,
  revokeUserSessions,
  revokeRoleSessions,
  markPrincipal,
];

/** Every IAM/STS permission the responder uses: lookups plus every action's declared needs. */
export function requiredPermissions(): string[] {
  const all = new Set<string>(LOOKUP_PERMISSIONS);
  for (const action of ACTIONS) for (const permission of action.permissions) all.add(permission);
  return [...all].sort();
}
