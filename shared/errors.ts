/**
 * Two kinds of failure, handled differently:
 * - InvalidInputError: the event is bad or not applicable. Reported, never retried.
 * - AwsCallError: AWS refused or failed. Reported with the AWS error code, then rethrown by the
 *   async handlers so Lambda's retries and on-failure destination apply.
 */
export class ResponderError extends Error {
  override name = 'ResponderError';
}

export class InvalidInputError extends ResponderError {
  override name = 'InvalidInputError';
}

export class AwsCallError extends ResponderError {
  override name = 'AwsCallError';
  constructor(
    readonly operation: string,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} failed: ${code}: ${message}`, options);
  }
}

export class ConfigError extends ResponderError {
  override name = 'ConfigError';
}

/** The AWS error code of an SDK exception (`NoSuchEntity`, `Throttling`, `AccessDenied`, …). */
export function awsErrorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { Code?: unknown; name?: unknown };
    if (typeof e.Code === 'string') return e.Code;
    if (typeof e.name === 'string') return e.name.replace(/Exception$/, '');
  }
  return 'Unknown';
}

/** Wraps an SDK call so a failure carries the operation name and the AWS error code. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AwsCallError(operation, awsErrorCode(error), message, { cause: error });
  }
}

/**
 * AWS answers that the same request will get again: retrying the incident (twice more, by Lambda)
 * cannot change them. The incident ends escalated, with the reason, instead.
 */
const DETERMINISTIC_CODES = new Set([
  'LimitExceeded',
  'NoSuchEntity',
  'MalformedPolicyDocument',
  'UnmodifiableEntity',
  'InvalidInput',
  'ValidationError',
]);

export function isDeterministic(code: string | null | undefined): boolean {
  return code !== null && code !== undefined && DETERMINISTIC_CODES.has(code);
}
