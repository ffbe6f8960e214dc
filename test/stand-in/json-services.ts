import { cloudTrailHandler, type LookupContext, operationOf } from './cloudtrail-lookup';
import type { JsonObject } from './cloudtrail-records';
import { ORGANIZATIONS_TARGET_PREFIX, organizationsHandler } from './organizations';

/** An AWS JSON 1.1 operation, named by `X-Amz-Target`: which service serves it, and how. */
export interface JsonOperation {
  /** The service's CloudTrail event source; its first label is the IAM service prefix. */
  eventSource: string;
  /** As counted in `calls` (for an unknown target, the whole target). */
  operation: string;
  /** The operation's handler; throws UnknownOperationException for one the stand-in lacks. */
  handler(): (ctx: LookupContext) => JsonObject;
}

/** Organizations by its target prefix; any other target is CloudTrail's (known or not). */
export function jsonOperation(target: string): JsonOperation {
  if (target.startsWith(ORGANIZATIONS_TARGET_PREFIX)) {
    const operation = target.slice(ORGANIZATIONS_TARGET_PREFIX.length);
    return {
      eventSource: 'organizations.amazonaws.com',
      operation,
      handler: () => organizationsHandler(operation),
    };
  }
  const operation = operationOf(target);
  return {
    eventSource: 'cloudtrail.amazonaws.com',
    operation,
    handler: () => cloudTrailHandler(operation),
  };
}

/** `iam.amazonaws.com` -> `iam`: the prefix of the service's IAM actions. */
export const servicePrefix = (eventSource: string) => eventSource.split('.')[0] ?? eventSource;
