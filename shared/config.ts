import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { ConfigError } from './errors';
import type { SeverityLabel } from './request';

// zod/mini ships without messages: install the English ones (idempotent, also done by intake).
z.config(en());

const splitList = (v: string) =>
  v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);

/** An optional string matching `pattern`, where an empty value means unset. */
const optionalMatching = (pattern: RegExp, message: string) =>
  z.union([
    z.optional(z.string().check(z.regex(pattern, message))),
    z.pipe(
      z.literal(''),
      z.transform(() => undefined),
    ),
  ]);

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
  DRY_RUN: z.pipe(
    z._default(z.enum(['true', 'false', '']), 'false'),
    z.transform((v) => v === 'true'),
  ),
  PROTECTED_PRINCIPALS: z.pipe(
    z.pipe(z._default(z.string(), ''), z.transform(splitList)),
    z.array(
      z
        .string()
        .check(
          z.regex(
            /^arn:aws[\w*-]*:(iam|sts)::[\d*]*:[\w+=,.@/*-]+$/,
            'must be IAM ARNs, * allowed',
          ),
        ),
    ),
  ),
  MEMBER_ROLE_NAME: optionalMatching(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name'),
  ALLOWED_ACCOUNT_IDS: z.pipe(
    z.pipe(z._default(z.string(), ''), z.transform(splitList)),
    z.array(z.string().check(z.regex(/^\d{12}$/, 'must be 12-digit account ids'))),
  ),
  MEMBER_ROLE_EXTERNAL_ID: optionalMatching(
    /^[\w+=,.@:/-]{2,1224}$/,
    'must be 2-1224 characters of [\\w+=,.@:/-]',
  ),
  NOTIFICATION_TOPIC_ARN: optionalMatching(
    /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/,
    'must be an SNS topic ARN',
  ),
});

export interface Config {
  /** Seconds added to "now" for a revocation cutoff, to cover IAM's propagation delay. */
  revocationMarginSeconds: number;
  /** Findings below this severity are reported and notified, not contained automatically. */
  minSeverity: SeverityLabel;
  /** Where every report is published; unset: reports are only logged and returned. */
  notificationTopicArn?: string;
  /** Plan and report, change nothing in IAM. */
  dryRun: boolean;
  /** ARN patterns (`*` wildcards) of principals never to contain. */
  protectedPrincipals: string[];
  /** The role assumed in member accounts; unset: the responder acts only in its own account. */
  memberRoleName?: string;
  /** Member accounts the responder may act in (besides its own). */
  allowedAccountIds: string[];
  memberRoleExternalId?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const d = parsed.data;
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
    dryRun: DRY_RUN,
    protectedPrincipals: PROTECTED_PRINCIPALS,
    allowedAccountIds: d.ALLOWED_ACCOUNT_IDS,
    ...(d.MEMBER_ROLE_NAME ? { memberRoleName: d.MEMBER_ROLE_NAME } : {}),
    ...(d.MEMBER_ROLE_EXTERNAL_ID ? { memberRoleExternalId: d.MEMBER_ROLE_EXTERNAL_ID } : {}),
    ...(NOTIFICATION_TOPIC_ARN ? { notificationTopicArn: NOTIFICATION_TOPIC_ARN } : {}),
  };
}
