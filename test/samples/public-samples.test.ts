import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS_KEY_ID_PATTERN } from '../../shared/access-key-id';
import { intakeEvent } from '../../shared/intake/any-event';
import { targetOf } from '../../shared/plan/target';
import type { Intake } from '../../shared/request';

/**
 * Real public sample events (GuardDuty, Security Hub, AWS Health; see SOURCES.md beside them),
 * read in place and never copied into this repo. Files this table does not name must still parse
 * without acting: a sample is skipped, anything else is a request or a clear refusal.
 */
const dir = process.env.SAMPLES_DIR ?? '';

type Expectation =
  | { outcome: 'skipped' | 'failed' | 'escalated'; reason: RegExp; accountId?: string }
  | {
      outcome: 'request';
      accessKeyId: string;
      accountId: string;
      userType: string;
      target: string;
    };

const SAMPLE = { outcome: 'skipped', reason: /sample finding/ } as const;
const EXPECTED: Record<string, Expectation> = {
  // GuardDuty, EventBridge envelope
  'custodian-unauthorizedaccess-iamuser-toripcaller-sample.json': SAMPLE,
  // A boto3 (PascalCase) dump, not what EventBridge delivers: refused with the field named.
  'blu371ck-credentialaccess-iamuser-anomalousbehavior-sample-pascalcase.json': {
    outcome: 'failed',
    reason: /detail\./,
  },
  // GuardDuty, bare findings
  'aws-samples-recon-iamuser-maliciousipcaller-custom-sample.json': SAMPLE,
  'elastic-real-policy-iamuser-rootcredentialusage-listattachedrolepolicies.json': {
    outcome: 'request',
    accessKeyId: 'ASIAIVZZF5WVGTXTJ2TQ',
    accountId: '973743533182',
    userType: 'Root',
    target: 'escalate',
  },
  'elastic-real-policy-iamuser-rootcredentialusage-listfindings.json': {
    outcome: 'request',
    accessKeyId: 'ASIAJZ3DXJKMP7MG3EKA',
    accountId: '973743533182',
    userType: 'Root',
    target: 'escalate',
  },
  // Its sequence details were stripped: nothing names a key or an actor, so a person is asked.
  'panther-attacksequence-iam-compromisedcredentials-sample-derived.json': {
    outcome: 'escalated',
    reason: /carries no service\.detection\.sequence.*nothing was changed/,
  },
  // Security Hub
  'custodian-securityhub-custom-action-guardduty-iamuser-consolelogin.json': {
    outcome: 'skipped',
    reason: /names no access key id/,
    accountId: '644160558196',
  },
  'defectdojo-asff-discovery-iamuser-anomalousbehavior-assumedrole.json': {
    outcome: 'failed',
    reason: /does not name an access key id/,
    accountId: '123456789012',
  },
  'defectdojo-asff-persistence-iamuser-networkpermissions-sample.json': SAMPLE,
  // AWS Health: both carry placeholders instead of key ids; neither may reach IAM.
  'aws-health-tools-aws-risk-credentials-exposed-test-event.json': {
    outcome: 'failed',
    reason: /no access key id in affectedEntities/,
    accountId: '123456789012',
  },
  'aws-samples-aws-risk-credentials-exposed-captured-redacted.json': {
    outcome: 'failed',
    reason: /account: must be a 12-digit account id/,
  },
};

/** Bare findings are wrapped the way EventBridge delivers them. */
const WRAP: Record<string, (json: unknown) => unknown> = {
  'guardduty-finding': (detail) => ({
    source: 'aws.guardduty',
    'detail-type': 'GuardDuty Finding',
    detail,
  }),
  securityhub: (json) =>
    (json as { source?: string }).source
      ? json
      : {
          source: 'aws.securityhub',
          'detail-type': 'Security Hub Findings - Imported',
          detail: { findings: [json] },
        },
};

function samples(): [string, unknown][] {
  return ['guardduty-eventbridge', 'guardduty-finding', 'securityhub', 'health']
    .filter((folder) => existsSync(join(dir, folder)))
    .flatMap((folder) =>
      readdirSync(join(dir, folder))
        .filter((f) => f.endsWith('.json'))
        .map((f): [string, unknown] => {
          const json = JSON.parse(readFileSync(join(dir, folder, f), 'utf8'));
          return [f, (WRAP[folder] ?? ((x) => x))(json)];
        }),
    );
}

const all = dir ? samples() : [];

function expectIntake(intake: Intake | undefined, expected: Expectation): void {
  if (expected.outcome === 'request') {
    expect(intake?.kind).toBe('request');
    if (intake?.kind !== 'request') return;
    expect(intake.request.accessKeyId).toBe(expected.accessKeyId);
    expect(intake.request.accessKeyId).toMatch(ACCESS_KEY_ID_PATTERN);
    expect(intake.request.finding?.accountId).toBe(expected.accountId);
    expect(intake.request.finding?.principal?.userType).toBe(expected.userType);
    expect(targetOf(intake.request).kind).toBe(expected.target);
    return;
  }
  expect(intake).toMatchObject({
    kind: 'rejected',
    rejected: { outcome: expected.outcome, reason: expect.stringMatching(expected.reason) },
  });
  if (expected.accountId && intake?.kind === 'rejected') {
    expect(intake.rejected.finding?.accountId).toBe(expected.accountId);
  }
}

describe.runIf(all.length > 0)('public sample events', () => {
  it.each(all)('%s', (file, event) => {
    const intakes = intakeEvent(event, 'eventbridge', 'sample', 'findings');
    const expected = EXPECTED[file];

    expect(intakes.length).toBeGreaterThan(0);
    if (expected) {
      for (const intake of intakes) expectIntake(intake, expected);
    } else if (file.includes('sample')) {
      for (const intake of intakes) expectIntake(intake, SAMPLE);
    } else {
      // A file this table does not know yet: it must parse into requests or clear refusals.
      for (const intake of intakes) {
        if (intake.kind === 'request')
          expect(intake.request.accessKeyId).toMatch(ACCESS_KEY_ID_PATTERN);
        else if (intake.kind === 'rejected')
          expect(intake.rejected.reason.length).toBeGreaterThan(0);
        else if (intake.kind === 'lookup')
          expect(intake.lookup.findingIds.length).toBeGreaterThan(0);
        else throw new Error('a finding event must never become a release');
      }
    }
  });

  it('recognises every GuardDuty sample finding as a sample', () => {
    const sampleFiles = all.filter(([f]) => f.includes('-sample') && EXPECTED[f] === undefined);
    expect(sampleFiles.length).toBeGreaterThan(10);
  });
});

it('finds the samples folder when one is given', () => {
  expect(dir === '' || all.length > 0).toBe(true);
});
