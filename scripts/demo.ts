/**
 * npm run demo: the real handlers, offline. Starts the local IAM/STS stand-in, seeds the demo
 * account that events/ describes, sends each event through its function, prints what happened,
 * then the IAM state that changed. `npm run demo -- --logs` also shows the JSON log lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetRolePolicyCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import type { Context } from 'aws-lambda';
import type { FollowUpRecord } from '../shared/follow-up/follow-up-record';
import type { Report } from '../shared/report/report';
import {
  formatCutoff,
  INSTANCE_POLICY_NAME,
  REVOCATION_POLICY_NAME,
  readRevocationPolicy,
  statementsOf,
} from '../shared/revocation/revocation-policy';
import { DEMO, seedDemoAccount } from '../test/stand-in/demo-account';
import { standInAdmin, startStandIn } from '../test/stand-in/server';

const showLogs = process.argv.includes('--logs');

const STEPS = [
  { file: 'guardduty-akia-iam-user.json', fn: 'onFinding', expect: 'contained' },
  { file: 'guardduty-asia-assumed-role.json', fn: 'onFinding', expect: 'contained' },
  { file: 'guardduty-asia-role-session.json', fn: 'onFinding', expect: 'contained' },
  { file: 'console-contain-key.json', fn: 'contain', expect: 'contained' },
  { file: 'sns-runbook-contain.json', fn: 'onRunbook', expect: 'contained' },
  { file: 'securityhub-akia-iam-user.json', fn: 'onFinding', expect: 'contained' },
  { file: 'health-exposed-key.json', fn: 'onFinding', expect: 'contained' },
  { file: 'sns-guardduty-finding.json', fn: 'onRunbook', expect: 'contained' },
  { file: 'console-contain-dry-run.json', fn: 'contain', expect: 'planned' },
  { file: 'guardduty-root-credentials.json', fn: 'onFinding', expect: 'escalated' },
  { file: 'guardduty-protected-role.json', fn: 'onFinding', expect: 'escalated' },
  { file: 'console-release-key.json', fn: 'contain', expect: 'released' },
  { file: 'console-release-role.json', fn: 'contain', expect: 'released' },
  { file: 'guardduty-member-account-key.json', fn: 'onFinding', expect: 'contained' },
  // A member root key: escalated with the default ROOT_KEYS=escalate.
  { file: 'guardduty-member-root-key.json', fn: 'onFinding', expect: 'escalated' },
  { file: 'console-delete-root-key.json', fn: 'contain', expect: 'escalated' },
  { file: 'guardduty-attack-sequence.json', fn: 'onFinding', expect: 'contained' },
  { file: 'guardduty-attack-sequence-signals.json', fn: 'onFinding', expect: 'contained' },
  { file: 'guardduty-attack-sequence-no-key.json', fn: 'onFinding', expect: 'escalated' },
  { file: 'securityhub-ocsf-guardduty.json', fn: 'onFinding', expect: 'contained' },
  // An S3 Protection finding: not a finding type contained without a person by default.
  { file: 'guardduty-s3-finding.json', fn: 'onFinding', expect: 'skipped' },
] as const;

/** Then the follow-up of one containment, asked for by hand (its schedule, in AWS). */
const FOLLOW_UPS = [
  { file: 'follow-up-sweep.json', expect: 'clean' },
  { file: 'follow-up-hold-check.json', expect: 'held' },
] as const;

async function main(): Promise<number> {
  const standIn = await startStandIn({ port: 0 });
  seedDemoAccount(standInAdmin(standIn));
  // The handlers build their clients from the SDK's own configuration, as in Lambda.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: standIn.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'demo',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: showLogs ? 'INFO' : 'SILENT',
    // CloudWatch metric lines (embedded metric format) only with the logs.
    POWERTOOLS_METRICS_DISABLED: showLogs ? 'false' : 'true',
    // The demo organization: one member account, reached through its member role.
    MEMBER_ROLE_NAME: DEMO.member.roleName,
    ALLOWED_ACCOUNT_IDS: DEMO.member.accountId,
    // The stack's topics as events/sns-*.json name them: SNS records from any other are refused.
    RUNBOOK_TOPIC_ARN: `arn:aws:sns:us-east-1:${DEMO.accountId}:credential-responder-prod-runbook`,
    FINDINGS_TOPIC_ARN: `arn:aws:sns:us-east-1:${DEMO.accountId}:credential-responder-prod-findings`,
  });
  const handlers = {
    onFinding: (await import('../functions/on-finding')).handler,
    onRunbook: (await import('../functions/on-runbook')).handler,
    contain: (await import('../functions/contain')).handler,
  };
  const { onFollowUp } = await import('../functions/follow-up');

  console.log(`credential-responder demo: stand-in at ${standIn.url}, account ${DEMO.accountId}\n`);
  let unexpected = 0;
  for (const [i, step] of STEPS.entries()) {
    const event = JSON.parse(readFileSync(join(__dirname, '..', 'events', step.file), 'utf8'));
    const result: Report | Report[] = await handlers[step.fn](event, lambdaContext(step.fn, i));
    for (const report of Array.isArray(result) ? result : [result]) {
      if (report.outcome !== step.expect) unexpected += 1;
      printReport(`events/${step.file} → ${step.fn}`, report);
    }
  }

  for (const [i, step] of FOLLOW_UPS.entries()) {
    const event = JSON.parse(readFileSync(join(__dirname, '..', 'events', step.file), 'utf8'));
    // The metric lines (CloudWatch embedded metric format) are left out of the demo's output.
    const records = await onFollowUp(
      event,
      lambdaContext('followUp', i),
      undefined,
      () => undefined,
    );
    for (const record of records) {
      if (record.outcome !== step.expect) unexpected += 1;
      printFollowUp(`events/${step.file} → followUp`, record);
    }
  }

  await printState(standIn.url);
  await standIn.stop();
  if (unexpected > 0) console.log(`\n${unexpected} incident(s) did not end as expected`);
  return unexpected > 0 ? 1 : 0;
}

function printReport(title: string, report: Report): void {
  const principal = report.principal
    ? `${report.principal.type} ${report.principal.name} (${report.principal.arn ?? 'arn unknown'})`
    : 'unknown';
  console.log(`▶ ${title}`);
  console.log(`  incident   ${report.incidentId}`);
  console.log(`  key        ${report.accessKeyId} in account ${report.accountId}`);
  console.log(`  principal  ${principal}`);
  for (const action of report.actions)
    console.log(`  action     ${action.name} ${action.target}: ${action.status}`);
  console.log(`  outcome    ${report.outcome.toUpperCase()}: ${report.reason}`);
  for (const note of report.notes) console.log(`  note       ${note}`);
  console.log(`  time       ${report.containMs ?? '-'} ms to the containing write\n`);
}

function printFollowUp(title: string, record: FollowUpRecord): void {
  console.log(`▶ ${title}`);
  console.log(`  follows    incident ${record.incidentId} (${record.check})`);
  console.log(`  key        ${record.accessKeyId} in account ${record.accountId}`);
  if (record.cloudTrail) {
    const { regions, events, pages } = record.cloudTrail;
    console.log(`  cloudtrail ${events} events in ${pages} page(s) of ${regions.join(', ')}`);
  }
  console.log(`  outcome    ${record.outcome.toUpperCase()}: ${record.reason}`);
  for (const note of record.notes) console.log(`  note       ${note}`);
  console.log('');
}

async function printState(endpoint: string): Promise<void> {
  const iam = new IAMClient({ endpoint, region: 'us-east-1' });
  console.log('State after the demo:');
  for (const userName of Object.keys(DEMO.users)) {
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
    for (const key of keys.AccessKeyMetadata ?? [])
      console.log(`  user/${userName} ${key.AccessKeyId}: ${key.Status}`);
  }
  for (const role of DEMO.roles) {
    for (const [policyName, scope] of [
      [REVOCATION_POLICY_NAME, 'role'],
      [INSTANCE_POLICY_NAME, 'instance'],
    ] as const) {
      const policy = await iam
        .send(new GetRolePolicyCommand({ RoleName: role.name, PolicyName: policyName }))
        .catch(() => undefined);
      const existing = readRevocationPolicy(policy?.PolicyDocument, scope);
      const denies = statementsOf(existing).map(
        (s) => `Deny ${s.userId ?? '*'} issued before ${formatCutoff(s.cutoff)}`,
      );
      console.log(`  role/${role.name} ${policyName}: ${denies.join('; ') || 'none'}`);
    }
  }
}

function lambdaContext(functionName: string, i: number): Context {
  return {
    awsRequestId: `demo-request-${i + 1}`,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${DEMO.accountId}:function:credential-responder-demo-${functionName}`,
    memoryLimitInMB: '256',
    logGroupName: `/aws/lambda/credential-responder-demo-${functionName}`,
    logStreamName: 'demo',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
