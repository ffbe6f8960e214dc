import type { IncomingHttpHeaders } from 'node:http';
import { isObject, type Json, type JsonObject } from './cloudtrail-records';
import { AwsError } from './errors';

/**
 * GuardDuty's wire protocol (restJson1): the operation is the method and path, members are
 * camelCase JSON, and errors name their modeled exception in `x-amzn-ErrorType` (which the SDK
 * reads first) with GuardDuty's finer-grained `__type` in the body.
 */

/** A GuardDuty error: `code` is the modeled exception, `errorType` the body's `__type`. */
export class GuardDutyError extends AwsError {
  constructor(
    code: string,
    readonly errorType: string,
    message: string,
    status: number,
  ) {
    super(code, message, status);
  }
}

export const badRequest = (message: string) =>
  new GuardDutyError('BadRequestException', 'InvalidInputException', message, 400);

export const invalidInput = () =>
  badRequest(
    'The request is rejected because an invalid or out-of-range value is specified as an input parameter.',
  );

/** Requests signed for `guardduty`, or unsigned ones to its paths (to be refused as GuardDuty). */
export function isGuardDuty(headers: IncomingHttpHeaders, rawUrl = '/'): boolean {
  const [path = '', query = ''] = rawUrl.split('?', 2);
  const credential =
    /Credential=([^,\s]+)/.exec(headers.authorization ?? '')?.[1] ??
    new URLSearchParams(query).get('X-Amz-Credential');
  return credential?.split('/')[3] === 'guardduty' || path.startsWith('/detector/');
}

export interface GuardDutyRoute {
  operation: string;
  detectorId: string;
}

const GET_FINDINGS = /^\/detector\/([^/]+)\/findings\/get$/;

/** The operation a method and path name, if the stand-in serves it (only GetFindings). */
export function guardDutyRoute(method: string, path: string): GuardDutyRoute | undefined {
  const match = GET_FINDINGS.exec(path);
  if (method !== 'POST' || !match?.[1]) return undefined;
  try {
    return { operation: 'GetFindings', detectorId: decodeURIComponent(match[1]) };
  } catch {
    throw invalidInput();
  }
}

export const unknownOperation = (method: string, path: string) =>
  new GuardDutyError(
    'UnknownOperationException',
    'UnknownOperationException',
    `The stand-in does not serve GuardDuty's ${method} ${path}`,
    404,
  );

/** A request body: an object, `{}` when empty. */
export function parseGuardDutyBody(text: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed: Json = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    // Refused below, as for any body that is not an object.
  }
  throw badRequest('The request is rejected because the request body could not be parsed.');
}

/**
 * The shared errors as GuardDuty answers them: authentication failures as 403s, throttling as
 * 429 (which the SDK retries as throttling), failures as its modeled 500.
 */
const SHARED_ERRORS: Record<string, { code: string; type: string; status: number }> = {
  InvalidClientTokenId: {
    code: 'UnrecognizedClientException',
    type: 'UnrecognizedClientException',
    status: 403,
  },
  ExpiredToken: { code: 'ExpiredTokenException', type: 'ExpiredTokenException', status: 403 },
  MissingAuthenticationToken: {
    code: 'MissingAuthenticationTokenException',
    type: 'MissingAuthenticationTokenException',
    status: 403,
  },
  IncompleteSignature: {
    code: 'IncompleteSignatureException',
    type: 'IncompleteSignatureException',
    status: 403,
  },
  AccessDenied: { code: 'AccessDeniedException', type: 'AccessDeniedException', status: 403 },
  Throttling: { code: 'TooManyRequestsException', type: 'TooManyRequestsException', status: 429 },
  ServiceFailure: { code: 'InternalServerErrorException', type: 'InternalException', status: 500 },
};

export function guardDutyError(error: AwsError): { status: number; code: string; body: string } {
  const shared = Object.hasOwn(SHARED_ERRORS, error.code) ? SHARED_ERRORS[error.code] : undefined;
  const { code, type, status } = shared ?? {
    code: error.code,
    type: error instanceof GuardDutyError ? error.errorType : error.code,
    status: error.status,
  };
  return { status, code, body: JSON.stringify({ message: error.message, __type: type }) };
}
