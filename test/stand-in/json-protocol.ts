import { isObject, type Json, type JsonObject } from './cloudtrail-records';
import { AwsError } from './errors';

/** A JSON 1.1 request body: an object, `{}` when empty. */
export function parseJsonBody(text: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed: Json = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    // Reported below, as for any body that is not an object.
  }
  throw new AwsError(
    'SerializationException',
    'Start of structure or map found where not expected.',
    400,
  );
}

/**
 * JSON services name the shared errors differently from Query ones (the SDK reads `__type`, then
 * the `x-amzn-ErrorType` header): these are what CloudTrail and Organizations answer for them.
 */
const JSON_ERRORS: Record<string, { code: string; status: number }> = {
  InvalidClientTokenId: { code: 'UnrecognizedClientException', status: 400 },
  ExpiredToken: { code: 'ExpiredTokenException', status: 400 },
  MissingAuthenticationToken: { code: 'MissingAuthenticationTokenException', status: 400 },
  IncompleteSignature: { code: 'IncompleteSignatureException', status: 400 },
  Throttling: { code: 'ThrottlingException', status: 400 },
  AccessDenied: { code: 'AccessDeniedException', status: 400 },
  ServiceFailure: { code: 'InternalFailure', status: 500 },
};

export function jsonError(error: AwsError): { status: number; code: string; body: string } {
  const { code, status } = Object.hasOwn(JSON_ERRORS, error.code)
    ? (JSON_ERRORS[error.code] ?? error)
    : error;
  return { status, code, body: JSON.stringify({ __type: code, message: error.message }) };
}
