import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ACCESS_KEY_ID_PATTERN } from '../../../shared/access-key-id';
import { intakeEvent } from '../../../shared/intake/any-event';
import { intakeSnsEvent } from '../../../shared/intake/sns-event';
import type { Intake } from '../../../shared/request';
import { loadEvent, TOPICS } from '../../support/deps';

const RUNS = { numRuns: 2000 };

/** Whatever comes in, an intake is a request with a well-formed key id, a release or a rejection. */
function expectSafe(intake: Intake): void {
  if (intake.kind === 'request') {
    expect(intake.request.accessKeyId).toMatch(ACCESS_KEY_ID_PATTERN);
  } else if (intake.kind === 'release') {
    const principal = intake.release.principal;
    if ('accessKeyId' in principal) expect(principal.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    else expect(principal.roleName).toMatch(/^[\w+=,.@-]{1,64}$/);
  } else if (intake.kind === 'lookup') {
    expect(intake.lookup.detectorId).toMatch(/^[A-Za-z0-9]{1,300}$/);
    expect(intake.lookup.findingIds.length).toBeGreaterThan(0);
  } else {
    expect(['failed', 'skipped', 'escalated']).toContain(intake.rejected.outcome);
    expect(intake.rejected.reason.length).toBeGreaterThan(0);
  }
}

const keyLike = fc.oneof(
  fc.string(),
  fc.stringMatching(/^(AKIA|ASIA|AIDA|AROA)[A-Za-z0-9]{14,18}$/),
  fc.constantFrom('GeneratedFindingAccessKeyId', 'AKIAEXAMPLEDEMO00001', ''),
);

describe('parsers under generated input', () => {
  test.prop([fc.anything()], RUNS)('the console intake never throws on any value', (body) => {
    for (const intake of intakeEvent(body, 'console', 'c', 'anything')) expectSafe(intake);
  });

  test.prop(
    [
      fc.record(
        {
          runbook: fc.constantFrom('contain', 'release', ''),
          accessKeyId: keyLike,
          reason: fc.option(fc.string()),
        },
        { requiredKeys: [] },
      ),
    ],
    RUNS,
  )('a runbook request is accepted only with a well-formed key id', (body) => {
    const [intake] = intakeEvent(body, 'console', 'c', 'anything');
    if (!intake) throw new Error('no intake');
    expectSafe(intake);
    if (intake.kind === 'request') expect(body.accessKeyId).toBe(intake.request.accessKeyId);
  });

  test.prop([fc.anything()], RUNS)('onFinding intake never throws on any value', (event) => {
    for (const intake of intakeEvent(event, 'eventbridge', 'e', 'findings')) expectSafe(intake);
  });

  test.prop(
    [
      keyLike,
      fc.option(fc.string({ maxLength: 80 })),
      fc.constantFrom(
        'IAMUser',
        'AssumedRole',
        'Root',
        'FederatedUser',
        'AWSService',
        'GeneratedFindingUserType',
        '',
      ),
      fc.oneof(fc.integer({ min: -5, max: 15 }), fc.double(), fc.constant('8')),
      fc.boolean(),
    ],
    RUNS,
  )(
    'a GuardDuty finding yields a request only for a well-formed key id',
    (accessKeyId, userName, userType, severity, sample) => {
      const event = loadEvent('guardduty-akia-iam-user.json');
      event.detail.resource.accessKeyDetails = { accessKeyId, userName, userType };
      event.detail.severity = severity;
      event.detail.service.additionalInfo = { sample };

      const [intake] = intakeEvent(event, 'eventbridge', 'e', 'findings');
      if (!intake) throw new Error('no intake');

      expectSafe(intake);
      if (intake.kind === 'request') {
        expect(intake.request.accessKeyId).toBe(accessKeyId);
        expect(sample).toBe(false);
      }
    },
  );

  test.prop(
    [
      fc.array(
        fc.oneof(
          fc.anything(),
          fc.record({
            Sns: fc.record({
              MessageId: fc.uuid(),
              TopicArn: fc.constantFrom(TOPICS.runbookTopicArn, TOPICS.findingsTopicArn, 'x'),
              Message: fc.oneof(fc.string(), fc.json()),
            }),
          }),
        ),
        { maxLength: 5 },
      ),
    ],
    RUNS,
  )('SNS intake never throws and gives one intake per record', (records) => {
    const intakes = intakeSnsEvent({ Records: records }, 'sns', TOPICS);
    for (const intake of intakes) expectSafe(intake);
    expect(intakes).toHaveLength(records.length === 0 ? 1 : records.length);
  });

  test.prop(
    [
      fc.array(
        fc.record({
          Type: fc.constantFrom('AwsIamAccessKey', 'AwsEc2Instance', ''),
          Id: fc.oneof(
            keyLike,
            keyLike.map((k) => `AWS::IAM::AccessKey:${k}`),
          ),
        }),
        { maxLength: 4 },
      ),
      fc.oneof(
        fc.constantFrom('LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'INFORMATIONAL', 'bogus'),
        fc.anything(),
      ),
      fc.option(fc.string({ maxLength: 80 })),
    ],
    RUNS,
  )(
    'a Security Hub finding yields requests only for well-formed key ids',
    (resources, label, principalName) => {
      const event = loadEvent('securityhub-akia-iam-user.json');
      const finding = event.detail.findings[0];
      finding.Resources = resources.map((r) => ({
        ...r,
        Details: { AwsIamAccessKey: { PrincipalName: principalName, PrincipalType: 'IAMUser' } },
      }));
      finding.Severity = { Label: label };

      for (const intake of intakeEvent(event, 'eventbridge', 'e', 'findings')) expectSafe(intake);
    },
  );

  test.prop(
    [
      fc.array(keyLike, { maxLength: 4 }),
      fc.array(fc.anything(), { maxLength: 3 }),
      fc.option(keyLike),
    ],
    RUNS,
  )(
    'a Health event yields requests only for well-formed key ids',
    (entities, resources, publicKey) => {
      const event = loadEvent('health-exposed-key.json');
      event.detail.affectedEntities = entities.map((entityValue) => ({ entityValue }));
      event.resources = resources;
      event.detail.eventMetadata.publicKey = publicKey;

      const intakes = intakeEvent(event, 'eventbridge', 'e', 'findings');

      for (const intake of intakes) expectSafe(intake);
      const requested = intakes.flatMap((i) =>
        i.kind === 'request' ? [i.request.accessKeyId] : [],
      );
      expect(new Set(requested).size).toBe(requested.length);
    },
  );
});
