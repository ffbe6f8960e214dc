import * as z from 'zod/mini';
import { ACCESS_KEY_ID_PATTERN, ACCOUNT_ID_PATTERN } from '../access-key-id';
import { digest } from '../digest';
import type { FindingSummary, Intake, IntakeContext, SeverityLabel, Trigger } from '../request';
import { isAwsProductV2 } from '../trust/channels';
import { claimOf, type KeyClaim, mergeClaims } from './attack-sequence';
import { accepted, rejected } from './intake-result';
import { lazily } from './lazily';
import { isPlaceholder } from './principal';
import { describeIssues } from './schema-errors';

/**
 * Security Hub's OCSF findings (`Findings Imported V2`, one finding an event, OCSF 1.x Detection
 * Finding). Keys are where OCSF puts an AWS access key id: `actor.user.credential_uid`,
 * `actor.session.credential_uid`, the same in each `evidences[].actor`, and resources of an
 * access-key type. The principal is `actor.user` (type, name, uid), a role's name coming from
 * `actor.session.issuer`; the account is `cloud.account.uid`.
 */
const text = (max: number) => z.optional(z.string().check(z.maxLength(max)));

const schemas = lazily(() => {
  const userSchema = z.looseObject({
    name: text(256),
    uid: text(256),
    type: text(64),
    credential_uid: text(128),
  });
  const actorSchema = z.looseObject({
    user: z.optional(userSchema),
    session: z.optional(z.looseObject({ issuer: text(2048), credential_uid: text(128) })),
  });

  const ocsfFindingSchema = z.looseObject({
    metadata: z.looseObject({
      product: z.looseObject({ uid: z.string().check(z.maxLength(512)), name: text(256) }),
    }),
    finding_info: z.looseObject({
      uid: z.string().check(z.minLength(1), z.maxLength(512)),
      title: text(256),
      types: z.optional(z.array(z.string().check(z.maxLength(256))).check(z.maxLength(20))),
    }),
    severity_id: z.optional(z.number().check(z.int(), z.gte(0), z.lte(99))),
    severity: text(32),
    status: text(32),
    activity_name: text(32),
    cloud: z.looseObject({
      account: z.looseObject({
        uid: z.string().check(z.regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit account id')),
      }),
      region: text(32),
    }),
    actor: z.optional(actorSchema),
    evidences: z.optional(
      z.array(z.looseObject({ actor: z.optional(actorSchema) })).check(z.maxLength(50)),
    ),
    resources: z.optional(
      z
        .array(z.looseObject({ type: text(256), uid: text(2048), region: text(32) }))
        .check(z.maxLength(50)),
    ),
  });
  return { actorSchema, ocsfFindingSchema };
});
type Schemas = ReturnType<typeof schemas>;
type OcsfFinding = z.infer<Schemas['ocsfFindingSchema']>;
type Actor = z.infer<Schemas['actorSchema']>;

/** OCSF severity_id: 1 Informational … 5 Critical, 6 Fatal; 0 Unknown and 99 Other fall back to `severity`. */
const SEVERITY_BY_ID: Record<number, SeverityLabel> = {
  1: 'INFORMATIONAL',
  2: 'LOW',
  3: 'MEDIUM',
  4: 'HIGH',
  5: 'CRITICAL',
  6: 'CRITICAL',
};

const KEY_RESOURCE_TYPES = new Set(['AWS::IAM::AccessKey', 'AwsIamAccessKey']);
const ROLE_FROM_ISSUER =
  /^arn:aws[a-z-]*:(?:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*|sts::\d{12}:assumed-role\/)([\w+=,.@-]{1,64})/;

export function intakeOcsfFindings(
  findings: unknown[],
  trigger: Trigger,
  fallbackId: string,
): Intake[] {
  return findings.flatMap((raw, i) => {
    const parsed = schemas().ocsfFindingSchema.safeParse(raw);
    if (parsed.success) return intakeOcsfFinding(parsed.data, trigger);
    const context = { incidentId: `${fallbackId}-${i}`, source: 'securityhub' as const, trigger };
    return [
      rejected(context, 'failed', `not a valid OCSF finding: ${describeIssues(parsed.error, 3)}`),
    ];
  });
}

function intakeOcsfFinding(finding: OcsfFinding, trigger: Trigger): Intake[] {
  const context: IntakeContext = {
    incidentId: `securityhub-${digest(finding.finding_info.uid)}`,
    source: 'securityhub',
    trigger,
  };
  const types = finding.finding_info.types ?? [];
  const summary: Omit<FindingSummary, 'principal'> = {
    id: finding.finding_info.uid,
    type: types[0] ?? finding.finding_info.title ?? 'unknown',
    ...(types.length > 1 ? { otherTypes: types.slice(1) } : {}),
    accountId: finding.cloud.account.uid,
    region: finding.cloud.region ?? 'unknown',
    severity: finding.severity_id ?? null,
    severityLabel: severityOf(finding),
  };
  const skip = (reason: string) => [rejected(context, 'skipped', reason, { finding: summary })];

  if (!isAwsProductV2(finding.metadata.product.uid)) {
    // Not echoed: whoever imported the finding chose it.
    return [
      rejected(
        context,
        'failed',
        'finding was not produced by an AWS service (its metadata.product.uid is not arn:…:securityhub:<region>::productv2/aws/…): ' +
          'anyone allowed to import findings can send one, so only AWS products are acted on; to contain its key, send a runbook request',
        { finding: summary },
      ),
    ];
  }
  const claims = mergeClaims(keyClaimsOf(finding));
  if (claims.length === 0) return skip('finding names no access key id');
  if (claims.some((c) => isPlaceholder(c.principal?.userName)) || types.some(isPlaceholder)) {
    return skip('sample finding: nothing to contain');
  }
  if (finding.activity_name === 'Close') return skip('finding is closed');
  const status = finding.status?.toLowerCase();
  if (status === 'suppressed' || status === 'resolved')
    return skip(`finding status is ${finding.status}`);

  return claims.map((claim) => {
    const incident =
      claims.length > 1
        ? { ...context, incidentId: `${context.incidentId}-${claim.accessKeyId}` }
        : context;
    if (claim.problem) {
      return rejected(incident, 'failed', claim.problem, {
        finding: summary,
        accessKeyId: claim.accessKeyId,
      });
    }
    return accepted({
      ...incident,
      accessKeyId: claim.accessKeyId,
      reason: `Security Hub finding ${summary.type} (${summary.severityLabel})`,
      finding: { ...summary, ...(claim.principal ? { principal: claim.principal } : {}) },
    });
  });
}

function keyClaimsOf(finding: OcsfFinding): KeyClaim[] {
  const actors = [finding.actor, ...(finding.evidences ?? []).map((e) => e.actor)];
  const fromActors = actors.flatMap((actor) => (actor ? actorClaims(actor) : []));
  const fromResources = (finding.resources ?? []).flatMap((resource) => {
    const key = resource.uid?.replace(/^AWS::IAM::AccessKey:/, '');
    if (!resource.type || !KEY_RESOURCE_TYPES.has(resource.type) || !key) return [];
    return ACCESS_KEY_ID_PATTERN.test(key) ? [{ accessKeyId: key }] : [];
  });
  return [...fromActors, ...fromResources];
}

/** The keys an actor used, each claimed by the actor's principal. */
function actorClaims(actor: Actor): KeyClaim[] {
  const keys = [actor.user?.credential_uid, actor.session?.credential_uid].filter(
    (k): k is string => k !== undefined && ACCESS_KEY_ID_PATTERN.test(k),
  );
  const user = actor.user;
  const issuerRole = ROLE_FROM_ISSUER.exec(actor.session?.issuer ?? '')?.[1];
  const name = user?.type === 'AssumedRole' ? (issuerRole ?? user?.name) : user?.name;
  return [...new Set(keys)].map((key) => claimOf(key, user?.type, name, user?.uid));
}

function severityOf(finding: OcsfFinding): SeverityLabel {
  const byId = SEVERITY_BY_ID[finding.severity_id ?? 0];
  if (byId) return byId;
  const named = finding.severity?.toUpperCase();
  const labels: SeverityLabel[] = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  return labels.find((l) => l === named) ?? (named === 'FATAL' ? 'CRITICAL' : 'INFORMATIONAL');
}
