import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { ConfigError } from './errors';
import {
  DEFAULT_FINDING_TYPES,
  type FindingTypeRule,
  parseFindingTypes,
} from './policy/finding-types';
import type { SeverityLabel } from './request';

// zod/mini ships without messages: install the English ones (idempotent, also done by intake).
z.config(en());

const splitList = (v: string) =>
  v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);

const TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

/** An optional string matching `pattern`, where an empty value means unset. */
const optionalMatching = (pattern: RegExp, message: string) =>
  z.union([
    z.optional(z.string().check(z.regex(pattern, message))),
    z.pipe(
      z.literal(''),
      z.transform(() => undefined),
    ),
  ]);

/** A comma-separated list, every entry matching `pattern` (no spaces: the stack splits it too). */
const listOf = (pattern: RegExp, message: string) =>
  z.pipe(
    z.pipe(z._default(z.string(), ''), z.transform(splitList)),
    z.array(z.string().check(z.regex(pattern, message))),
  );

/**
 * A protected-principal pattern must be able to match the ARN IAM gives a user or a role
 * (`arn:aws:iam::123456789012:role/path/name`): the protection compares exactly that. An STS
 * ARN (`assumed-role/…`), a malformed account or a pattern for anything else would never match,
 * and the principal meant to be protected would be contained.
 */
const PROTECTED_PATTERN =
  /^arn:(aws|aws-cn|aws-us-gov|\*):iam::(\d{12}|\*):(user|role)\/[\w+=,.@/*-]*[\w+=,.@*-]$/;

/** `true` (the default when unset or empty) or `false`. */
const onOff = z.pipe(
  z._default(z.enum(['true', 'false', '']), 'true'),
  z.transform((v) => v !== 'false'),
);

/**
 * Every setting the responder reads from its environment, validated once. A bad value fails
 * the invocation with the variable's name rather than acting on a guess.
 */
const configSchema = z.object({
  REVOCATION_MARGIN_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(300)), 30),
  MIN_SEVERITY: z._default(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((s) => s.trim().toUpperCase()),
      ),
      z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
    ),
    'MEDIUM',
  ),
  /** Checked by parseFindingTypes below; empty means the default. */
  FINDING_TYPES: z._default(z.string().check(z.maxLength(4096)), ''),
  INSTANCE_REVOCATION: z._default(z.enum(['instance', 'role']), 'instance'),
  ROOT_KEYS: z._default(z.enum(['escalate', 'delete']), 'escalate'),
  DRY_RUN: z.pipe(
    z._default(z.enum(['true', 'false', '']), 'false'),
    z.transform((v) => v === 'true'),
  ),
  PROTECTED_PRINCIPALS: listOf(
    PROTECTED_PATTERN,
    'must be the ARN of an IAM user or role, as IAM gives it (arn:aws:iam::<account or *>:user/… or :role/…, path included, * for any characters); an sts assumed-role ARN never matches',
  ),
  MEMBER_ROLE_NAME: optionalMatching(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name'),
  ALLOWED_ACCOUNT_IDS: z.pipe(
    z._default(
      z
        .string()
        .check(
          z.regex(
            /^(\d{12}(,\d{12})*)?$/,
            'must be 12-digit account ids, comma-separated, no spaces',
          ),
        ),
      '',
    ),
    z.transform(splitList),
  ),
  // The stack splits this list into its topic policy: an empty item or a space would not match
  // the principal meant, so the raw value must be exactly ARNs joined by commas.
  RUNBOOK_PUBLISHERS: z.pipe(
    z._default(
      z
        .string()
        .check(
          z.regex(
            /^(arn:aws[\w-]*:iam::\d{12}:(?:role|user)\/[\w+=.@/*-]+(,arn:aws[\w-]*:iam::\d{12}:(?:role|user)\/[\w+=.@/*-]+)*)?$/,
            'must be IAM role or user ARNs (* allowed in the path and name), comma-separated, no spaces or empty items',
          ),
        ),
      '',
    ),
    z.transform(splitList),
  ),
  MEMBER_ROLE_EXTERNAL_ID: optionalMatching(
    /^[\w+=,.@:/-]{2,1224}$/,
    'must be 2-1224 characters of [\\w+=,.@:/-]',
  ),
  NOTIFICATION_TOPIC_ARN: optionalMatching(TOPIC_ARN, 'must be an SNS topic ARN'),
  FOLLOW_UP_SWEEP: onOff,
  SWEEP_WINDOW_HOURS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(2160)), 24),
  FOLLOW_UP_REGIONS: listOf(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be region names such as eu-west-1'),
  HOLD_CHECK: onOff,
  HOLD_CHECK_DELAY_MINUTES: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1440)), 15),
  FOLLOW_UP_FUNCTION_ARN: optionalMatching(
    /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}$/,
    'must be a Lambda function ARN',
  ),
  HOLD_CHECK_SCHEDULER_ROLE_ARN: optionalMatching(
    /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'must be an IAM role ARN',
  ),
  HOLD_CHECK_SCHEDULE_GROUP: optionalMatching(/^[\w.-]{1,64}$/, 'must be a schedule group name'),
  RUNBOOK_TOPIC_ARN: optionalMatching(TOPIC_ARN, 'must be an SNS topic ARN'),
  FINDINGS_TOPIC_ARN: optionalMatching(TOPIC_ARN, 'must be an SNS topic ARN'),
});

export interface Config {
  /** Seconds added to "now" for a revocation cutoff, to cover IAM's propagation delay. */
  revocationMarginSeconds: number;
  /** Findings below this severity are reported and notified, not contained automatically. */
  minSeverity: SeverityLabel;
  /** Which finding types are contained without a person asking (policy/finding-types.ts). */
  findingTypes: FindingTypeRule[];
  /** Where every report is published; unset: reports are only logged and returned. */
  notificationTopicArn?: string;
  /** Plan and report, change nothing in IAM. */
  dryRun: boolean;
  /**
   * A stolen EC2 instance's role credentials: deny that instance's credentials only (`instance`),
   * or every session of the role (`role`).
   */
  instanceRevocation: 'instance' | 'role';
  /**
   * A member account's root access key: escalate to a person (`escalate`), or delete it through
   * centralized root access (`delete`: sts:AssumeRoot, root/contain-root-key.ts). Deletion cannot be undone.
   */
  rootKeys: 'escalate' | 'delete';
  /** ARN patterns (`*` wildcards) of principals never to contain. */
  protectedPrincipals: string[];
  /** The role assumed in member accounts; unset: the responder acts only in its own account. */
  memberRoleName?: string;
  /** Member accounts the responder may act in (besides its own). */
  allowedAccountIds: string[];
  memberRoleExternalId?: string;
  /** SNS topic whose messages are runbook requests; unset: none are accepted over SNS. */
  runbookTopicArn?: string;
  /** SNS topic (EventBridge-only) whose messages are finding events; unset: none over SNS. */
  findingsTopicArn?: string;
  /** Who the runbook topic's policy lets publish (the stack uses it; kept for the record). */
  runbookPublishers: string[];
  /** What happens after a containment (follow-up/). */
  followUp: FollowUpConfig;
}

export interface FollowUpConfig {
  /** Look the contained key up in CloudTrail for what it created or changed. */
  sweep: boolean;
  /** How far back the sweep looks, in hours. */
  sweepWindowHours: number;
  /** Regions read besides the function's own and the one holding IAM's events. */
  regions: string[];
  /** Check later that the containment held. */
  holdCheck: boolean;
  /** How long after the containment the hold check runs. */
  holdCheckDelayMinutes: number;
  /** Where the hold check is scheduled (EventBridge Scheduler); unset outside the stack. */
  schedule?: { functionArn: string; roleArn: string; groupName: string };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const d = parsed.data;
  const findingTypes = parseFindingTypes(d.FINDING_TYPES.trim() || DEFAULT_FINDING_TYPES);
  if ('error' in findingTypes) {
    throw new ConfigError(`invalid configuration: FINDING_TYPES: ${findingTypes.error}`);
  }
  const {
    REVOCATION_MARGIN_SECONDS,
    MIN_SEVERITY,
    NOTIFICATION_TOPIC_ARN,
    DRY_RUN,
    PROTECTED_PRINCIPALS,
  } = d;
  return {
    revocationMarginSeconds: REVOCATION_MARGIN_SECONDS,
    minSeverity: MIN_SEVERITY,
    findingTypes: findingTypes.rules,
    dryRun: DRY_RUN,
    instanceRevocation: d.INSTANCE_REVOCATION,
    rootKeys: d.ROOT_KEYS,
    protectedPrincipals: PROTECTED_PRINCIPALS,
    allowedAccountIds: d.ALLOWED_ACCOUNT_IDS,
    runbookPublishers: d.RUNBOOK_PUBLISHERS,
    ...(d.RUNBOOK_TOPIC_ARN ? { runbookTopicArn: d.RUNBOOK_TOPIC_ARN } : {}),
    ...(d.FINDINGS_TOPIC_ARN ? { findingsTopicArn: d.FINDINGS_TOPIC_ARN } : {}),
    ...(d.MEMBER_ROLE_NAME ? { memberRoleName: d.MEMBER_ROLE_NAME } : {}),
    ...(d.MEMBER_ROLE_EXTERNAL_ID ? { memberRoleExternalId: d.MEMBER_ROLE_EXTERNAL_ID } : {}),
    ...(NOTIFICATION_TOPIC_ARN ? { notificationTopicArn: NOTIFICATION_TOPIC_ARN } : {}),
    followUp: {
      sweep: d.FOLLOW_UP_SWEEP,
      sweepWindowHours: d.SWEEP_WINDOW_HOURS,
      regions: d.FOLLOW_UP_REGIONS,
      holdCheck: d.HOLD_CHECK,
      holdCheckDelayMinutes: d.HOLD_CHECK_DELAY_MINUTES,
      ...(d.FOLLOW_UP_FUNCTION_ARN && d.HOLD_CHECK_SCHEDULER_ROLE_ARN && d.HOLD_CHECK_SCHEDULE_GROUP
        ? {
            schedule: {
              functionArn: d.FOLLOW_UP_FUNCTION_ARN,
              roleArn: d.HOLD_CHECK_SCHEDULER_ROLE_ARN,
              groupName: d.HOLD_CHECK_SCHEDULE_GROUP,
            },
          }
        : {}),
    },
  };
}
