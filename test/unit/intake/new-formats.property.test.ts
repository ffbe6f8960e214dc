import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { onFinding } from '../../../functions/on-finding';
import { ACCESS_KEY_ID_PATTERN } from '../../../shared/access-key-id';
import { intakeEvent } from '../../../shared/intake/any-event';
import { sequenceSchema } from '../../../shared/intake/attack-sequence';
import type { Intake } from '../../../shared/request';
import { guardDutyAnswering, loadEvent, testDeps } from '../../support/deps';
import { mockAccount } from '../../support/mock-aws';

/**
 * The three newer shapes (attack sequences, OCSF findings, findings about other resources) under
 * generated input: the intake never throws, only well-formed keys become requests, and input the
 * schema refuses never leads to a write.
 */
const RUNS = { numRuns: 1000 };
const keyLike = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.stringMatching(/^(AKIA|ASIA|AIDA|AROA)[A-Za-z0-9]{14,18}$/),
  fc.constantFrom(
    'AKIAEXAMPLEDEMO00001',
    'ASIAEXAMPLEDEMO00004',
    'GeneratedFindingAccessKeyId',
    '',
  ),
);
const typeLike = fc.constantFrom('IAMUser', 'AssumedRole', 'Root', 'FederatedUser', 'Other', '');
const nameLike = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.constantFrom('demo-ci-deployer', 'GeneratedFindingUserName'),
);

function expectSafe(intake: Intake, keysInInput: unknown[]): void {
  if (intake.kind === 'request') {
    expect(intake.request.accessKeyId).toMatch(ACCESS_KEY_ID_PATTERN);
    expect(keysInInput).toContain(intake.request.accessKeyId);
  } else if (intake.kind === 'lookup') {
    expect(intake.lookup.findingIds.length).toBeGreaterThan(0);
    for (const actor of intake.lookup.actors)
      expect(actor).toMatch(/^[A-Za-z]+( [\w+=,.@-]{1,64})?$/);
  } else if (intake.kind === 'rejected') {
    expect(['failed', 'skipped', 'escalated']).toContain(intake.rejected.outcome);
  } else {
    throw new Error('a finding never becomes a release');
  }
}

describe('attack sequences under generated input', () => {
  test.prop(
    [
      fc.array(
        fc.record({
          user: fc.record(
            { name: nameLike, type: typeLike, uid: fc.string(), credentialUid: keyLike },
            { requiredKeys: [] },
          ),
        }),
        { maxLength: 4 },
      ),
      fc.array(
        fc.record({ uid: keyLike, resourceType: fc.constantFrom('ACCESS_KEY', 'S3_BUCKET', '') }),
        { maxLength: 4 },
      ),
      fc.array(
        fc.record({
          uid: fc.oneof(fc.string(), fc.constant('some-finding-id')),
          type: fc.constantFrom('FINDING', 'CLOUD_TRAIL'),
        }),
        { maxLength: 4 },
      ),
    ],
    RUNS,
  )('requests only for the well-formed keys the sequence names', (actors, resources, signals) => {
    const event = loadEvent('guardduty-attack-sequence.json');
    event.detail.service.detection.sequence = { uid: 'seq-1', actors, resources, signals };
    const keys = [...actors.map((a) => a.user.credentialUid), ...resources.map((r) => r.uid)];

    for (const intake of intakeEvent(event, 'eventbridge', 'e', 'findings'))
      expectSafe(intake, keys);
  });

  test.prop([fc.anything()], RUNS)(
    'any value as the sequence: never a throw, never a request it does not name',
    (sequence) => {
      const event = loadEvent('guardduty-attack-sequence.json');
      event.detail.service.detection.sequence = sequence;

      for (const intake of intakeEvent(event, 'eventbridge', 'e', 'findings'))
        expectSafe(intake, []);
    },
  );
});

describe('OCSF findings under generated input', () => {
  test.prop(
    [
      fc.constantFrom(
        'arn:aws:securityhub:us-east-1::productv2/aws/guardduty',
        'arn:aws:securityhub:us-east-1:123456789012:productv2/123456789012/default',
        'arn:aws:securityhub:us-east-1::product/aws/guardduty',
        '',
      ),
      fc.record(
        { name: nameLike, type: typeLike, uid: fc.string(), credential_uid: keyLike },
        { requiredKeys: [] },
      ),
      fc.record({ issuer: fc.string(), credential_uid: keyLike }, { requiredKeys: [] }),
      fc.array(
        fc.record({
          type: fc.constantFrom('AWS::IAM::AccessKey', 'AWS::S3::Bucket'),
          uid: keyLike,
        }),
        { maxLength: 3 },
      ),
      fc.oneof(fc.integer({ min: -1, max: 100 }), fc.anything()),
    ],
    RUNS,
  )(
    'requests only from AWS products and only for well-formed keys',
    (productUid, user, session, resources, severityId) => {
      const event = loadEvent('securityhub-ocsf-guardduty.json');
      const finding = event.detail.findings[0];
      finding.metadata.product.uid = productUid;
      finding.actor = { user, session };
      finding.resources = resources;
      finding.severity_id = severityId;

      const intakes = intakeEvent(event, 'eventbridge', 'e', 'findings');
      const keys = [user.credential_uid, session.credential_uid, ...resources.map((r) => r.uid)];
      for (const intake of intakes) expectSafe(intake, keys);
      if (!productUid.includes('::productv2/aws/'))
        expect(intakes.every((i) => i.kind === 'rejected')).toBe(true);
    },
  );

  test.prop([fc.anything()], RUNS)('any value as a finding: never a throw', (finding) => {
    const event = loadEvent('securityhub-ocsf-guardduty.json');
    event.detail.findings = [finding];

    for (const intake of intakeEvent(event, 'eventbridge', 'e', 'findings')) expectSafe(intake, []);
  });
});

describe('malformed input never leads to a write (the whole handler, AWS mocked)', () => {
  let aws: ReturnType<typeof mockAccount>;
  // GuardDuty knows none of the findings a sequence's signals name.
  const deps = () => {
    const base = testDeps();
    return { ...base, clients: { ...base.clients, guardduty: guardDutyAnswering(() => []) } };
  };
  beforeAll(() => {
    aws = mockAccount();
  });
  afterAll(() => {
    aws.restore();
  });
  const WRITES = [
    UpdateAccessKeyCommand,
    PutUserPolicyCommand,
    PutRolePolicyCommand,
    AttachUserPolicyCommand,
    AttachRolePolicyCommand,
    TagUserCommand,
  ];
  const writes = () =>
    aws.iam.calls().filter((call) => WRITES.some((W) => call.args[0] instanceof W)).length;

  test.prop(
    [fc.anything().filter((v) => v !== undefined && !sequenceSchema().safeParse(v).success)],
    { numRuns: 200 },
  )('an attack sequence its schema refuses', async (sequence) => {
    const event = loadEvent('guardduty-attack-sequence.json');
    event.detail.service.detection.sequence = sequence;
    const before = writes();

    const reports = await onFinding(event, { awsRequestId: 'p' }, deps()).catch(() => []);

    expect(writes()).toBe(before);
    for (const report of reports) expect(report.outcome).not.toBe('contained');
  });

  test.prop(
    [
      fc.oneof(
        fc.anything(),
        fc.record({
          metadata: fc.anything(),
          cloud: fc.anything(),
          finding_info: fc.anything(),
          actor: fc.anything(),
        }),
      ),
    ],
    { numRuns: 200 },
  )('an OCSF finding missing or mangling a required field', async (finding) => {
    const event = loadEvent('securityhub-ocsf-guardduty.json');
    event.detail.findings = [finding];
    const before = writes();

    const reports = await onFinding(event, { awsRequestId: 'p' }, deps()).catch(() => []);

    const accepted = intakeEvent(event, 'eventbridge', 'e', 'findings').some(
      (i) => i.kind === 'request',
    );
    if (!accepted) expect(writes()).toBe(before);
    for (const report of reports) if (!accepted) expect(report.actions).toEqual([]);
  });
});
