import { IAM_NAME_PATTERN } from '../access-key-id';
import type { FindingPrincipal } from '../request';

/**
 * The principal a finding names, or the reason it cannot be used. Names reach IAM calls, so
 * they are checked against IAM's own pattern (a root user's "name" never reaches IAM).
 */
export function findingPrincipal(
  userType: string | undefined,
  userName: string | undefined,
  principalId: string | undefined,
): { principal?: FindingPrincipal; problem?: string } {
  if (!userType) return {};
  if (userName !== undefined && userType !== 'Root' && !IAM_NAME_PATTERN.test(userName)) {
    return { problem: 'the principal name is not a valid IAM user or role name' };
  }
  return {
    principal: {
      userType,
      ...(userName !== undefined ? { userName } : {}),
      ...(principalId !== undefined ? { principalId } : {}),
    },
  };
}

/** Placeholders GuardDuty puts in generated sample findings. */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('GeneratedFinding');
}
