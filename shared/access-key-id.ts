/**
 * Access key ids: `AKIA…` is a long-term key of an IAM user (or the root user); `ASIA…` is a
 * temporary STS credential. Anything else (AIDA user ids, AROA role ids, …) is not an access key.
 */
export const ACCESS_KEY_ID_PATTERN = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

export type AccessKeyKind = 'long-term' | 'temporary';

export function isAccessKeyId(value: unknown): value is string {
  return typeof value === 'string' && ACCESS_KEY_ID_PATTERN.test(value);
}

export function accessKeyKind(accessKeyId: string): AccessKeyKind {
  return accessKeyId.startsWith('AKIA') ? 'long-term' : 'temporary';
}

/** IAM user and role names, as IAM itself constrains them. */
export const IAM_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
