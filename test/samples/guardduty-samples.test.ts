import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS_KEY_ID_PATTERN } from '../../shared/access-key-id';
import { intakeFindingEvent } from '../../shared/entry-points';
import { targetOf } from '../../shared/plan/target';

/**
 * Real public GuardDuty samples (see SOURCES.md beside them). They are read in place, never
 * copied into this repo. Files this table does not name still must parse without acting wrongly.
 */
const dir = process.env.SAMPLES_DIR ?? '';

type Expectation =
  | { outcome: 'skipped'; reason: RegExp }
  | { outcome: 'failed'; reason: RegExp }
  | {
      outcome: 'request';
      accessKeyId: string;
      accountId: string;
      userType: string;
      target: string;
    };

const SAMPLE = { outcome: 'skipped', reason: /sample finding/ } as const;
const EXPECTED: Record<string, Expectation> = {
  'custodian-unauthorizedaccess-iamuser-toripcaller-sample.json': SAMPLE,
  // A boto3 (PascalCase) dump, not what EventBridge delivers: refused with the field named.
  'blu371ck-credentialaccess-iamuser-anomalousbehavior-sample-pascalcase.json': {
    outcome: 'failed',
    reason: /detail\./,
  },
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
  'panther-attacksequence-iam-compromisedcredentials-sample-derived.json': {
    outcome: 'skipped',
    reason: /AttackSequence resource, not an access key/,
  },
};

function samples(folder: string, wrap: boolean): [string, unknown][] {
  const path = join(dir, folder);
  return readdirSync(path)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const json = JSON.parse(readFileSync(join(path, f), 'utf8'));
      // Bare findings (GetFindings JSON) are what EventBridge carries in `detail`.
      return [
        f,
        wrap ? { source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding', detail: json } : json,
      ];
    });
}

const all = dir
  ? [...samples('guardduty-eventbridge', false), ...samples('guardduty-finding', true)]
  : [];

describe.runIf(all.length > 0)('GuardDuty public samples', () => {
  it.each(all)('%s', (file, event) => {
    const intake = intakeFindingEvent(event, 'sample');
    const expected: Expectation =
      EXPECTED[file] ?? (file.includes('-sample-') ? SAMPLE : { outcome: 'skipped', reason: /./ });

    if (expected.outcome === 'request') {
      expect(intake.kind).toBe('request');
      if (intake.kind !== 'request') return;
      expect(intake.request.accessKeyId).toBe(expected.accessKeyId);
      expect(intake.request.accessKeyId).toMatch(ACCESS_KEY_ID_PATTERN);
      expect(intake.request.finding?.accountId).toBe(expected.accountId);
      expect(intake.request.finding?.principal?.userType).toBe(expected.userType);
      expect(targetOf(intake.request).kind).toBe(expected.target);
    } else {
      expect(intake).toMatchObject({
        kind: 'rejected',
        rejected: { outcome: expected.outcome, reason: expect.stringMatching(expected.reason) },
      });
    }
  });
});

it('finds the samples folder when one is given', () => {
  expect(dir === '' || all.length > 0).toBe(true);
});
