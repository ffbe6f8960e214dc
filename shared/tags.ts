/**
 * Tags the responder reads or writes. `protected` is set by people: the responder never contains a
 * user or role tagged so. The per-key record goes on a user whose key the responder deactivated,
 * because an access key has no tags of its own: one tag per key, so two incidents for both keys of
 * one user never overwrite each other's record.
 */
export const TAG = {
  protected: 'credential-responder:protected',
  /**
   * `credential-responder:deactivated:<key id>` = `<incident id> <when>`: the incident that
   * deactivated that key, and when (UTC, to the second).
   */
  deactivatedPrefix: 'credential-responder:deactivated:',
} as const;

export interface DeactivationRecord {
  incidentId: string;
  at?: Date;
}

export function deactivationTag(accessKeyId: string): string {
  return `${TAG.deactivatedPrefix}${accessKeyId}`;
}

/**
 * The tag value of a record. Incident ids are `[\\w.:-]` (checked at intake), which IAM tag values
 * allow; the time takes 21 characters of the 256.
 */
export function recordValue(incidentId: string, at: Date): string {
  return `${incidentId.slice(0, 234)} ${at.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

export function parseRecord(value: string): DeactivationRecord {
  const [incidentId = '', when] = value.split(' ');
  const at = when ? new Date(when) : undefined;
  return at && !Number.isNaN(at.getTime()) ? { incidentId, at } : { incidentId };
}

/** Keys whose deactivation the responder recorded on this user, with the incident of each. */
export function deactivationRecords(tags: Record<string, string>): Map<string, DeactivationRecord> {
  const records = new Map<string, DeactivationRecord>();
  for (const [key, value] of Object.entries(tags)) {
    if (key.startsWith(TAG.deactivatedPrefix))
      records.set(key.slice(TAG.deactivatedPrefix.length), parseRecord(value));
  }
  return records;
}
