import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  Outputs?: Record<string, { Description?: string; Value: unknown }>;
}

/**
 * Runs `osls package` offline (no AWS credentials needed) and returns the generated template.
 * `settings` are deploy settings (environment variables) to package with; every other deploy
 * setting is removed from the environment, so the stack's own defaults apply.
 */
export function packageTemplate(settings: Record<string, string> = {}): Template {
  const root = join(__dirname, '..', '..');
  const out = mkdtempSync(join(tmpdir(), 'credential-responder-package-'));
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'osls'), ['package', '--package', out], {
      cwd: root,
      env: {
        ...withoutDeployOverrides(process.env),
        ...settings,
        AWS_ACCESS_KEY_ID: 'packaging-only',
        AWS_SECRET_ACCESS_KEY: 'packaging-only',
        AWS_EC2_METADATA_DISABLED: 'true',
        SLS_TELEMETRY_DISABLED: '1',
      },
      stdio: 'pipe',
      // A bundling error can leave osls waiting forever: fail instead.
      timeout: 100_000,
    });
    return JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Settings a deployer may set in the shell; the test checks the stack's own defaults. */
function withoutDeployOverrides(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const {
    NOTIFICATION_TOPIC_ARN,
    FINDINGS_TOPIC_ARN,
    RUNBOOK_TOPIC_ARN,
    RUNBOOK_PUBLISHERS,
    ALLOWED_ACCOUNT_IDS,
    MEMBER_ROLE_NAME,
    MEMBER_ROLE_EXTERNAL_ID,
    MIN_SEVERITY,
    REVOCATION_MARGIN_SECONDS,
    DRY_RUN,
    INSTANCE_REVOCATION,
    ROOT_KEYS,
    PROTECTED_PRINCIPALS,
    POWERTOOLS_LOG_LEVEL,
    ...rest
  } = env;
  return rest;
}
