import { createHash } from 'node:crypto';

/** A short, stable id from a long one (Security Hub ids are ARNs), for incident ids. */
export function digest(value: string, length = 24): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}
