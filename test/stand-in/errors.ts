/**
 * An AWS error as it goes on the wire: code, message and the HTTP status AWS uses for it (the
 * SDK models pin these: IAM's `awsQueryError` traits, e.g. NoSuchEntity 404, LimitExceeded 409).
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);
export const entityAlreadyExists = (message: string) =>
  new AwsError('EntityAlreadyExists', message, 409);
export const limitExceeded = (message: string) => new AwsError('LimitExceeded', message, 409);
export const deleteConflict = (message: string) => new AwsError('DeleteConflict', message, 409);
export const malformedPolicy = (message: string) =>
  new AwsError('MalformedPolicyDocument', message, 400);
export const invalidInput = (message: string) => new AwsError('InvalidInput', message, 400);
export const accessDenied = (message: string) => new AwsError('AccessDenied', message, 403);

/** Same wording as AWS: "1 validation error detected: Value 'x' at 'userName' failed to …". */
export function validationError(member: string, value: string | undefined, constraint: string) {
  const shown = value === undefined ? 'null' : `'${value}'`;
  return new AwsError(
    'ValidationError',
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
    400,
  );
}

/** A free-text ValidationError, for the checks AWS words itself (e.g. session durations). */
export const validationMessage = (message: string) => new AwsError('ValidationError', message, 400);

/** Errors a test can inject to exercise retries; both are retried by the SDK's standard mode. */
export const INJECTABLE_FAULTS = {
  Throttling: () => new AwsError('Throttling', 'Rate exceeded', 400),
  ServiceFailure: () =>
    new AwsError(
      'ServiceFailure',
      'The request processing has failed because of an unknown error.',
      500,
    ),
} as const;
export type InjectableFault = keyof typeof INJECTABLE_FAULTS;
