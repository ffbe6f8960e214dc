import * as z from 'zod/mini';
import { ACCESS_KEY_ID_PATTERN } from '../access-key-id';
import { awsErrorCode } from '../errors';
import { automaticDecision } from '../plan/automatic-containment';
import type { Intake, SequenceLookup } from '../request';
import type { Deps } from '../respond';
import { claimOf, type KeyClaim, keyIntake, mergeClaims, noKeyReason } from './attack-sequence';
import type { GuardDutyFindings } from './guardduty-findings';
import { rejected } from './intake-result';
import { isPlaceholder } from './principal';

/** The permission reading them needs, in the responder's own account (its detector). */
export const SEQUENCE_PERMISSIONS = ['guardduty:GetFindings'] as const;

/** At most this many ids a GetFindings call (GuardDuty's limit). */
const IDS_PER_CALL = 50;

/**
 * The underlying findings as GuardDuty's API returns them (its camelCase JSON, as in events):
 * only where they name a key is read, and validated like any outside input.
 */
const fetchedSchema = z.array(
  z.looseObject({
    id: z.optional(z.string().check(z.maxLength(128))),
    resource: z.optional(
      z.looseObject({
        accessKeyDetails: z.optional(
          z.looseObject({
            accessKeyId: z.optional(z.string().check(z.maxLength(128))),
            principalId: z.optional(z.string().check(z.maxLength(256))),
            userName: z.optional(z.string().check(z.maxLength(256))),
            userType: z.optional(z.string().check(z.maxLength(64))),
          }),
        ),
      }),
    ),
  }),
);

type Resolved = Exclude<Intake, { kind: 'lookup' }>;

/**
 * An attack sequence whose keys are only in the findings its signals name: read them with
 * `guardduty:GetFindings` (the detector that reported the sequence, in the function's region:
 * GuardDuty findings reach EventBridge only in their own region), then one incident per distinct
 * key. No key found, or GuardDuty refusing, escalates naming the actors; nothing is changed.
 */
export async function sequenceIntakes(lookup: SequenceLookup, deps: Deps): Promise<Resolved[]> {
  const { finding, actors } = lookup;
  const context = { incidentId: lookup.incidentId, source: lookup.source, trigger: lookup.trigger };
  const automatic = automaticDecision(lookup, deps.config);
  if (!automatic.act)
    return [asResolved(rejected(context, 'skipped', automatic.reason, { finding }))];

  let fetched: z.infer<typeof fetchedSchema>;
  try {
    fetched = await readFindings(deps.clients.guardduty, lookup.detectorId, lookup.findingIds);
  } catch (error) {
    const code = awsErrorCode(error);
    const refused = code === 'BadRequest' || code === 'AccessDenied';
    const why = `guardduty:GetFindings on detector ${lookup.detectorId} failed (${code})`;
    deps.logger.warn('reading the attack sequence findings failed', { code });
    return [
      asResolved(
        refused
          ? rejected(
              context,
              'escalated',
              noKeyReason(actors, `${why}, so its findings could not be read`),
              {
                finding,
                errorCode: code,
              },
            )
          : rejected(context, 'failed', `${why}: retried`, { finding, errorCode: code }),
      ),
    ];
  }

  const asked = new Set(lookup.findingIds);
  const claims: (KeyClaim & { namedBy: string })[] = fetched.flatMap((f) => {
    const details = f.resource?.accessKeyDetails;
    const key = details?.accessKeyId;
    if (!f.id || !asked.has(f.id) || !key || !ACCESS_KEY_ID_PATTERN.test(key)) return [];
    if (Object.values(details).some(isPlaceholder)) return [];
    return [
      { ...claimOf(key, details.userType, details.userName, details.principalId), namedBy: f.id },
    ];
  });
  const merged = mergeClaims(claims);
  if (merged.length === 0) {
    const why = `none of the ${lookup.findingIds.length} findings its signals name carries an access key id`;
    return [asResolved(rejected(context, 'escalated', noKeyReason(actors, why), { finding }))];
  }
  const named = actors.filter((actor) => actor.includes(' '));
  return merged.map((claim) => {
    const namedBy = claims.find((c) => c.accessKeyId === claim.accessKeyId)?.namedBy;
    const holder = claim.principal && `${claim.principal.userType} ${claim.principal.userName}`;
    if (named.length > 0 && !claim.problem && (!holder || !named.includes(holder))) {
      // GuardDuty linked the finding to the sequence, but the sequence names its actors and
      // this key's holder is not one of them: two AWS records disagree on whom to contain.
      const incident = { ...context, incidentId: `${context.incidentId}-${claim.accessKeyId}` };
      const why =
        `the attack sequence's finding ${namedBy} names ${claim.accessKeyId} of ` +
        `${holder ?? 'an unnamed principal'}, who is not among the sequence's actors ` +
        `(${named.join(', ')}). Nothing was changed: check in GuardDuty whether that key belongs ` +
        'to this attack, then contain it with a runbook request';
      return asResolved(
        rejected(incident, 'escalated', why, {
          finding,
          accessKeyId: claim.accessKeyId,
        }),
      );
    }
    return asResolved(keyIntake(context, finding, claim, namedBy));
  });
}

async function readFindings(
  guardduty: GuardDutyFindings,
  detectorId: string,
  ids: string[],
): Promise<z.infer<typeof fetchedSchema>> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_CALL) chunks.push(ids.slice(i, i + IDS_PER_CALL));
  const answers = await Promise.all(
    chunks.map((chunk) => guardduty.getFindings(detectorId, chunk)),
  );
  const parsed = fetchedSchema.safeParse(answers.flat());
  // GuardDuty's own answer not matching its documented shape: treat it as naming no key.
  return parsed.success ? parsed.data : [];
}

/** keyIntake and rejected never build a lookup. */
function asResolved(intake: Intake): Resolved {
  if (intake.kind === 'lookup') throw new Error('a lookup cannot resolve to another lookup');
  return intake;
}
