import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
}

/** Runs `osls package` offline (no AWS credentials needed) and returns the generated template. */
export function packageTemplate(): Template {
  const root = join(__dirname, '..', '..');
  const out = mkdtempSync(join(tmpdir(), 'credential-responder-package-'));
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'osls'), ['package', '--package', out], {
      cwd: root,
      env: {
        ...withoutDeployOverrides(process.env),
        AWS_ACCESS_KEY_ID: 'packaging-only',
        AWS_SECRET_ACCESS_KEY: 'packaging-only',
        AWS_EC2_METADATA_DISABLED: 'true',
        SLS_TELEMETRY_DISABLED: '1',
      },
      stdio: 'pipe',
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
    MIN_SEVERITY,
    REVOCATION_MARGIN_SECONDS,
    DRY_RUN,
    PROTECTED_PRINCIPALS,
    ...rest
  } = env;
  return rest;
}
