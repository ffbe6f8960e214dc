import type { Caller } from './auth';
import { accessDenied } from './errors';

/**
 * The AWS managed policies that scope an `sts:AssumeRoot` session (IAM User Guide, "AWS managed
 * policies for IAM": the root-task policies), as the actions each allows among those the stand-in
 * implements. The credential tasks allow these IAM actions on the root user; the unlock tasks
 * allow S3 and SQS policy actions only, none of which the stand-in serves. Only actions are
 * checked here, not resources.
 */
const ROOT_TASK = 'arn:aws:iam::aws:policy/root-task/';

/** Read the root user's credentials. */
const AUDIT = [
  'iam:GetAccessKeyLastUsed',
  'iam:GetLoginProfile',
  'iam:GetUser',
  'iam:ListAccessKeys',
  'iam:ListMFADevices',
  'iam:ListSigningCertificates',
];

export const TASK_POLICIES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [`${ROOT_TASK}IAMAuditRootUserCredentials`, new Set(AUDIT)],
  [`${ROOT_TASK}IAMCreateRootUserPassword`, new Set<string>()],
  // Deleting, never deactivating: there is no iam:UpdateAccessKey here.
  [
    `${ROOT_TASK}IAMDeleteRootUserCredentials`,
    new Set([
      ...AUDIT,
      'iam:DeleteAccessKey',
      'iam:DeleteSigningCertificate',
      'iam:DeleteLoginProfile',
      'iam:DeactivateMFADevice',
    ]),
  ],
  [`${ROOT_TASK}S3UnlockBucketPolicy`, new Set<string>()],
  [`${ROOT_TASK}SQSUnlockQueuePolicy`, new Set<string>()],
]);

/** Needs no permission: AWS answers it even when every action is denied. */
const ALWAYS_ALLOWED = new Set(['sts:GetCallerIdentity']);

/**
 * Refuses, as AccessDenied, a call of an AssumeRoot session outside its task policy. `service`
 * is the IAM prefix (`iam`, `sts`, `cloudtrail`, …); other callers are not limited here.
 */
export function assertTaskAllows(caller: Caller, service: string, operation: string): void {
  const taskPolicyArn = caller.temporary?.taskPolicyArn;
  if (taskPolicyArn === undefined) return;
  const action = `${service}:${operation}`;
  if (ALWAYS_ALLOWED.has(action) || TASK_POLICIES.get(taskPolicyArn)?.has(action)) return;
  throw accessDenied(
    `User: ${caller.principal.arn} is not authorized to perform: ${action} because no session policy allows the ${action} action`,
  );
}
