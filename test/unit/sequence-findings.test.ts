import { DeleteAccessKeyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { onFinding } from '../../functions/on-finding';
import { IncidentFailedError } from '../../shared/entry-points';
import { GuardDutyError } from '../../shared/intake/guardduty-findings';
import type { Deps } from '../../shared/respond';
import {
  findingTypes,
  guardDutyAnswering,
  loadEvent,
  TEST_CONFIG,
  testDeps,
} from '../support/deps';
import { mockAccount } from '../support/mock-aws';

const context = { awsRequestId: 'req-1' };
const SEQUENCE_INCIDENT = 'guardduty-example0attack0sequence0finding2';
let aws: ReturnType<typeof mockAccount>;
let guardduty: ReturnType<typeof guardDutyAnswering>;
/** Unit deps whose GuardDuty is this test's. */
const deps = (): Deps => {
  const base = testDeps();
  return { ...base, clients: { ...base.clients, guardduty } };
};
/** GuardDuty answers every GetFindings call with these findings. */
const answering = (...findings: unknown[]) => {
  guardduty = guardDutyAnswering(() => findings);
};

/** An underlying finding as GetFindings returns it (GuardDuty's camelCase JSON). */
const underlying = (id: string, accessKeyId?: string) => ({
  id,
  arn: `arn:aws:guardduty:us-east-1:123456789012:detector/exampledetector/finding/${id}`,
  type: 'Discovery:IAMUser/AnomalousBehavior',
  schemaVersion: '2.0',
  accountId: '123456789012',
  region: 'us-east-1',
  severity: 5,
  createdAt: '2026-11-22T09:41:00Z',
  updatedAt: '2026-11-22T09:41:00Z',
  resource: {
    resourceType: 'AccessKey',
    ...(accessKeyId
      ? {
          accessKeyDetails: {
            accessKeyId,
            principalId: 'AIDAEXAMPLEDEMO00001',
            userName: 'demo-ci-deployer',
            userType: 'IAMUser',
          },
        }
      : {}),
  },
});

beforeEach(() => {
  aws = mockAccount();
  answering();
});
afterEach(() => {
  aws.restore();
  vi.restoreAllMocks();
});

describe('an attack sequence whose key is only in its underlying findings', () => {
  it('reads the findings its signals name and contains the key they carry', async () => {
    answering(underlying('example0underlying0finding00001', 'AKIAEXAMPLEDEMO00001'));

    const event = loadEvent('guardduty-attack-sequence-signals.json');
    event.detail.service.detection.sequence.actors[0].user.name = 'demo-ci-deployer';

    const reports = await onFinding(event, context, deps());

    expect(guardduty.calls).toEqual([
      { detectorId: 'exampledetector', findingIds: ['example0underlying0finding00001'] },
    ]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      incidentId: `${SEQUENCE_INCIDENT}-AKIAEXAMPLEDEMO00001`,
      outcome: 'contained',
      reason: expect.stringMatching(/named by its finding example0underlying0finding00001/),
      finding: { type: 'AttackSequence:S3/CompromisedData', sequenceId: 'example-sequence-0002' },
      policy: { findingTypes: 'AttackSequence:S3/*', minSeverity: 'MEDIUM', severityMet: true },
    });
    expect(aws.iam).toHaveReceivedCommandWith(UpdateAccessKeyCommand, {
      AccessKeyId: 'AKIAEXAMPLEDEMO00001',
      Status: 'Inactive',
    });
  });

  it("escalates a key whose holder is not among the sequence's actors, changing nothing", async () => {
    // The event's only actor is demo-ml-trainer; the finding names demo-ci-deployer's key.
    answering(underlying('example0underlying0finding00001', 'AKIAEXAMPLEDEMO00001'));

    const reports = await onFinding(
      loadEvent('guardduty-attack-sequence-signals.json'),
      context,
      deps(),
    );

    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      incidentId: `${SEQUENCE_INCIDENT}-AKIAEXAMPLEDEMO00001`,
      outcome: 'escalated',
      accessKeyId: 'AKIAEXAMPLEDEMO00001',
      actions: [],
    });
    expect(reports[0]?.reason).toMatch(
      /names AKIAEXAMPLEDEMO00001 of IAMUser demo-ci-deployer, who is not among the sequence's actors \(IAMUser demo-ml-trainer\)/,
    );
    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });

  it('ignores findings it did not ask for', async () => {
    answering(underlying('another-finding', 'AKIAEXAMPLEDEMO00001'));

    const [report] = await onFinding(
      loadEvent('guardduty-attack-sequence-signals.json'),
      context,
      deps(),
    );

    expect(report).toMatchObject({ outcome: 'escalated' });
    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });

  it('findings without a key: escalated naming the actor, nothing changed', async () => {
    answering(underlying('example0underlying0finding00001'));

    const [report] = await onFinding(
      loadEvent('guardduty-attack-sequence-signals.json'),
      context,
      deps(),
    );

    expect(report).toMatchObject({
      incidentId: SEQUENCE_INCIDENT,
      outcome: 'escalated',
      accessKeyId: null,
      reason: expect.stringMatching(
        /none of the 1 findings its signals name carries an access key id.*IAMUser demo-ml-trainer/,
      ),
      finding: { sequenceId: 'example-sequence-0002' },
    });
    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
    expect(aws.iam).not.toHaveReceivedCommand(DeleteAccessKeyCommand);
  });

  it('GuardDuty refusing (not our detector) escalates with the code; the event is not retried', async () => {
    guardduty = guardDutyAnswering(() => {
      throw new GuardDutyError(
        'BadRequestException',
        'The request is rejected because the input detectorId is not owned by the current account.',
        400,
      );
    });

    const reports = await onFinding(
      loadEvent('guardduty-attack-sequence-signals.json'),
      context,
      deps(),
    );

    expect(reports[0]).toMatchObject({
      outcome: 'escalated',
      errorCode: 'BadRequest',
      reason: expect.stringMatching(
        /GetFindings on detector exampledetector failed \(BadRequest\).*demo-ml-trainer/,
      ),
    });
    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });

  it('GuardDuty failing is retried: the report says failed and the handler throws for Lambda', async () => {
    guardduty = guardDutyAnswering(() => {
      throw new GuardDutyError('InternalServerErrorException', 'boom', 500);
    });

    const failure = await onFinding(
      loadEvent('guardduty-attack-sequence-signals.json'),
      context,
      deps(),
    ).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(IncidentFailedError);
    expect((failure as IncidentFailedError).reports[0]).toMatchObject({
      outcome: 'failed',
      errorCode: 'InternalServerError',
    });
    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });

  it('a sequence FINDING_TYPES leaves to a person is skipped before any GuardDuty call', async () => {
    const [report] = await onFinding(loadEvent('guardduty-attack-sequence-signals.json'), context, {
      ...deps(),
      config: { ...TEST_CONFIG, findingTypes: findingTypes('*:IAMUser/*') },
    });

    expect(report).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(
        /no FINDING_TYPES pattern includes finding type AttackSequence:S3\/CompromisedData/,
      ),
    });
    expect(guardduty.calls).toEqual([]);
  });

  it('reads more than 50 named findings in calls of at most 50', async () => {
    const event = loadEvent('guardduty-attack-sequence-signals.json');
    const signals = event.detail.service.detection.sequence.signals;
    for (let i = 0; i < 60; i++)
      signals.push({ uid: `extra-finding-${i}`, type: 'FINDING', name: 'x' });
    answering();

    await onFinding(event, context, deps());

    expect(guardduty.calls.map((c) => c.findingIds.length)).toEqual([50, 11]);
  });
});
