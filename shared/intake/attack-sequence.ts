import * as z from 'zod/mini';
import { ACCESS_KEY_ID_PATTERN, IAM_NAME_PATTERN } from '../access-key-id';
import type { FindingPrincipal, FindingSummary, Intake, IntakeContext } from '../request';
import { accepted, rejected } from './intake-result';
import { lazily } from './lazily';
import { findingPrincipal } from './principal';
import { describeIssues } from './schema-errors';

/**
 * GuardDuty Extended Threat Detection: an attack sequence finding (`resource.resourceType`
 * `AttackSequence`) correlates signals about one threat actor. Its keys are in
 * `service.detection.sequence`: actors' `user.credentialUid` and resources of type `ACCESS_KEY`
 * (GuardDuty API: Sequence, Actor, User, ResourceV2, Signal). Public examples carry actors with
 * only a name: then the keys are in the findings its FINDING signals name, read by
 * sequence-findings.ts.
 */
const schemas = lazily(() => {
  const text = (max: number) => z.optional(z.string().check(z.maxLength(max)));

  const principalFields = {
    principalId: text(256),
    userName: text(256),
    userType: text(64),
  };

  const userSchema = z.looseObject({
    name: text(256),
    uid: text(256),
    type: text(64),
    credentialUid: text(128),
  });

  const actorSchema = z.looseObject({
    id: text(256),
    user: z.optional(userSchema),
    session: z.optional(z.looseObject({ uid: text(256), issuer: text(2048) })),
  });

  const resourceSchema = z.looseObject({
    uid: text(2048),
    resourceType: text(64),
    data: z.optional(z.looseObject({ accessKey: z.optional(z.looseObject(principalFields)) })),
  });

  const signalSchema = z.looseObject({
    uid: z.string().check(z.minLength(1), z.maxLength(2048)),
    type: z.string().check(z.maxLength(64)),
    name: text(256),
  });

  const sequenceSchema = z.looseObject({
    uid: z.string().check(z.regex(/^[\w.:/-]{1,256}$/, 'must be a sequence id')),
    actors: z.optional(z.array(actorSchema).check(z.maxLength(50))),
    resources: z.optional(z.array(resourceSchema).check(z.maxLength(100))),
    signals: z.optional(z.array(signalSchema).check(z.maxLength(500))),
  });
  return { sequenceSchema };
});
type Schemas = ReturnType<typeof schemas>;
type Sequence = z.infer<Schemas['sequenceSchema']>;
/** The sequence's schema (built on first use). */
export const sequenceSchema = () => schemas().sequenceSchema;

/** Principal types the pipeline knows how to prove and contain; other claims are not passed on. */
const KNOWN_TYPES = new Set(['IAMUser', 'AssumedRole', 'Root', 'FederatedUser', 'AWSService']);
const PRINCIPAL_ID = /^A[A-Z0-9]{15,127}(:[\w+=,.@-]{1,64})?$/;
const FINDING_ID = /^[\w.-]{1,128}$/;
const FINDING_ARN =
  /^arn:aws[a-z-]*:guardduty:[a-z0-9-]+:\d{12}:detector\/([A-Za-z0-9]{1,300})\/finding\/([\w.-]{1,128})$/;
/** GetFindings takes at most 50 ids a call; a sequence naming more is read in a few calls. */
export const MAX_SIGNAL_FINDINGS = 200;

/** Who holds a key, as one place of the sequence names it. */
export interface KeyClaim {
  accessKeyId: string;
  principal?: FindingPrincipal;
  /** A problem with the principal named for it (invalid name, two different principals). */
  problem?: string;
}

/**
 * The sequence's requests: one incident per distinct key; a lookup of its underlying findings
 * when it names none; an escalation naming the actors when nothing names a key.
 */
export function intakeAttackSequence(
  context: IntakeContext,
  summary: Omit<FindingSummary, 'principal'>,
  rawSequence: unknown,
  detectorId: string | undefined,
): Intake[] {
  const fail = (reason: string) => [rejected(context, 'failed', reason, { finding: summary })];
  if (rawSequence === undefined) {
    return [
      rejected(
        context,
        'escalated',
        'the attack sequence carries no service.detection.sequence, so nothing names its access keys or actors; ' +
          'nothing was changed: review the sequence in the GuardDuty console and contain its keys with a runbook request',
        { finding: summary },
      ),
    ];
  }
  const parsed = schemas().sequenceSchema.safeParse(rawSequence);
  if (!parsed.success) {
    return fail(
      `not a valid attack sequence: service.detection.sequence.${describeIssues(parsed.error, 3)}`,
    );
  }
  const sequence = parsed.data;
  const withSequence = { ...summary, sequenceId: sequence.uid };
  const claims = mergeClaims(keyClaimsOf(sequence));
  if (claims.length > 0) {
    return claims.map((claim) => keyIntake(context, withSequence, claim));
  }
  const findingIds = signalFindings(sequence, detectorId);
  const actors = actorsOf(sequence);
  if (findingIds.ids.length > 0 && findingIds.detectorId) {
    return [
      {
        kind: 'lookup',
        lookup: {
          ...context,
          finding: withSequence,
          detectorId: findingIds.detectorId,
          findingIds: findingIds.ids,
          actors,
        },
      },
    ];
  }
  return [
    rejected(
      context,
      'escalated',
      noKeyReason(actors, 'its actors and resources carry no access key id'),
      {
        finding: withSequence,
      },
    ),
  ];
}

/** One incident for one key a sequence (or one of its findings) names. */
export function keyIntake(
  context: IntakeContext,
  summary: Omit<FindingSummary, 'principal'>,
  claim: KeyClaim,
  namedBy?: string,
): Intake {
  const incident = { ...context, incidentId: `${context.incidentId}-${claim.accessKeyId}` };
  if (claim.problem) {
    return rejected(incident, 'failed', claim.problem, {
      finding: summary,
      accessKeyId: claim.accessKeyId,
    });
  }
  return accepted({
    ...incident,
    accessKeyId: claim.accessKeyId,
    reason:
      `GuardDuty attack sequence ${summary.type} (severity ${summary.severity ?? summary.severityLabel})` +
      (namedBy ? `: the key is named by its finding ${namedBy}` : ''),
    finding: { ...summary, ...(claim.principal ? { principal: claim.principal } : {}) },
  });
}

/** A principal as a finding describes it; unknown types make no claim (the pipeline finds the holder). */
export function claimOf(
  accessKeyId: string,
  userType: string | undefined,
  userName: string | undefined,
  principalId: string | undefined,
): KeyClaim {
  if (!userType || !KNOWN_TYPES.has(userType)) return { accessKeyId };
  const id = principalId && PRINCIPAL_ID.test(principalId) ? principalId : undefined;
  const { principal, problem } = findingPrincipal(userType, userName, id);
  return problem
    ? { accessKeyId, problem: `the principal named for ${accessKeyId}: ${problem}` }
    : { accessKeyId, ...(principal ? { principal } : {}) };
}

function keyClaimsOf(sequence: Sequence): KeyClaim[] {
  const fromActors = (sequence.actors ?? []).flatMap((actor) => {
    const user = actor.user;
    const key = user?.credentialUid;
    if (!user || !key || !ACCESS_KEY_ID_PATTERN.test(key)) return [];
    return [claimOf(key, user.type, user.name, user.uid)];
  });
  const fromResources = (sequence.resources ?? []).flatMap((resource) => {
    const key = resource.uid?.replace(/^AWS::IAM::AccessKey:/, '');
    if (resource.resourceType !== 'ACCESS_KEY' || !key || !ACCESS_KEY_ID_PATTERN.test(key))
      return [];
    const data = resource.data?.accessKey;
    return [claimOf(key, data?.userType, data?.userName, data?.principalId)];
  });
  return [...fromActors, ...fromResources];
}

/**
 * One claim per key. Two places naming different principals for one key is ambiguous: that
 * key's incident fails rather than pick one.
 */
export function mergeClaims(claims: KeyClaim[]): KeyClaim[] {
  const byKey = new Map<string, KeyClaim>();
  for (const claim of claims) {
    const seen = byKey.get(claim.accessKeyId);
    if (!seen) {
      byKey.set(claim.accessKeyId, claim);
      continue;
    }
    if (seen.problem) continue;
    if (claim.problem) {
      byKey.set(claim.accessKeyId, claim);
      continue;
    }
    const a = seen.principal;
    const b = claim.principal;
    if (a && b && (a.userType !== b.userType || a.userName !== b.userName)) {
      byKey.set(claim.accessKeyId, {
        accessKeyId: claim.accessKeyId,
        problem: `the finding names two principals for ${claim.accessKeyId} (${a.userType} ${a.userName ?? '?'}, ${b.userType} ${b.userName ?? '?'}): not acting on an ambiguous claim`,
      });
    } else if (!a && b) {
      byKey.set(claim.accessKeyId, claim);
    } else if (a && b && !a.principalId && b.principalId) {
      byKey.set(claim.accessKeyId, claim);
    }
  }
  return [...byKey.values()];
}

/** The ids of the findings named by FINDING signals (an id, or a finding ARN naming its detector). */
function signalFindings(
  sequence: Sequence,
  detectorId: string | undefined,
): { ids: string[]; detectorId?: string } {
  const ids = new Set<string>();
  let detector = detectorId;
  for (const signal of sequence.signals ?? []) {
    if (signal.type !== 'FINDING') continue;
    const arn = FINDING_ARN.exec(signal.uid);
    if (arn?.[1] && arn[2]) {
      detector ??= arn[1];
      ids.add(arn[2]);
    } else if (FINDING_ID.test(signal.uid)) {
      ids.add(signal.uid);
    }
  }
  return {
    ids: [...ids].slice(0, MAX_SIGNAL_FINDINGS),
    ...(detector ? { detectorId: detector } : {}),
  };
}

/** "IAMUser john_doe" for each actor with a type and a valid name; never input that is not one. */
function actorsOf(sequence: Sequence): string[] {
  const named = (sequence.actors ?? []).flatMap((actor) => {
    const { type, name } = actor.user ?? {};
    if (!type || !KNOWN_TYPES.has(type)) return [];
    return [name && IAM_NAME_PATTERN.test(name) ? `${type} ${name}` : type];
  });
  return [...new Set(named)].slice(0, 10);
}

/** Why nothing was done, who the sequence names, and what a person should check. */
export function noKeyReason(actors: string[], why: string): string {
  const who = actors.length > 0 ? `it names ${actors.join(', ')}` : 'it names no principal';
  return (
    `the attack sequence names no access key to contain (${why}); ${who}. Nothing was changed: ` +
    "check that principal's active access keys and their last use (iam:ListAccessKeys, " +
    'iam:GetAccessKeyLastUsed) and its sessions in CloudTrail, then contain the key with a runbook request'
  );
}
