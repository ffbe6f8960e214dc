import { describe, expect, it } from 'vitest';
import { intakeEvent } from '../../../shared/intake/any-event';
import type { Intake } from '../../../shared/request';
import { loadEvent } from '../../support/deps';

const intake = (event: unknown): Intake[] => intakeEvent(event, 'eventbridge', 'e', 'findings');
const sequenceOf = (event: any) => event.detail.service.detection.sequence;

describe('GuardDuty attack sequences', () => {
  it("one request for the key its actor and resource name, with the sequence's id", () => {
    expect(intake(loadEvent('guardduty-attack-sequence.json'))).toEqual([
      {
        kind: 'request',
        request: expect.objectContaining({
          incidentId: 'guardduty-example0attack0sequence0finding1-AKIAEXAMPLEDEMO00009',
          accessKeyId: 'AKIAEXAMPLEDEMO00009',
          finding: expect.objectContaining({
            type: 'AttackSequence:IAM/CompromisedCredentials',
            severityLabel: 'CRITICAL',
            sequenceId: 'example-sequence-0001',
            principal: {
              userType: 'IAMUser',
              userName: 'demo-etl-runner',
              principalId: 'AIDAEXAMPLEDEMO00009',
            },
          }),
        }),
      },
    ]);
  });

  it('one incident per distinct key, whichever part of the sequence names it', () => {
    const event = loadEvent('guardduty-attack-sequence.json');
    const sequence = sequenceOf(event);
    sequence.actors.push({
      id: 'a2',
      user: { name: 'demo-etl-runner', type: 'IAMUser', credentialUid: 'AKIAEXAMPLEDEMO00009' },
    });
    sequence.resources.push({ uid: 'ASIAEXAMPLEDEMO00004', resourceType: 'ACCESS_KEY' });

    const keys = intake(event).map((i) => (i.kind === 'request' ? i.request.accessKeyId : i.kind));
    expect(keys).toEqual(['AKIAEXAMPLEDEMO00009', 'ASIAEXAMPLEDEMO00004']);
  });

  it('a key the sequence gives to two different principals is ambiguous: that incident fails', () => {
    const event = loadEvent('guardduty-attack-sequence.json');
    sequenceOf(event).resources[0].data.accessKey.userName = 'someone-else';

    expect(intake(event)).toEqual([
      {
        kind: 'rejected',
        rejected: expect.objectContaining({
          outcome: 'failed',
          accessKeyId: 'AKIAEXAMPLEDEMO00009',
          reason: expect.stringMatching(/two principals for AKIAEXAMPLEDEMO00009.*ambiguous/),
        }),
      },
    ]);
  });

  it('a principal of a type the pipeline does not know makes no claim; the key is still contained', () => {
    const event = loadEvent('guardduty-attack-sequence.json');
    const sequence = sequenceOf(event);
    sequence.actors[0].user.type = 'SomethingNew';
    sequence.resources = [];

    const [only] = intake(event);
    expect(only?.kind === 'request' && only.request.finding?.principal).toBeUndefined();
    expect(only?.kind === 'request' && only.request.accessKeyId).toBe('AKIAEXAMPLEDEMO00009');
  });

  it('an actor with only a name: the findings its FINDING signals name are to be read', () => {
    const event = loadEvent('guardduty-attack-sequence-signals.json');
    sequenceOf(event).signals.push({ uid: 'bare0finding0id', type: 'FINDING', name: 'x' });

    expect(intake(event)).toEqual([
      {
        kind: 'lookup',
        lookup: expect.objectContaining({
          incidentId: 'guardduty-example0attack0sequence0finding2',
          detectorId: 'exampledetector',
          findingIds: ['example0underlying0finding00001', 'bare0finding0id'],
          actors: ['IAMUser demo-ml-trainer'],
          finding: expect.objectContaining({ sequenceId: 'example-sequence-0002' }),
        }),
      },
    ]);
  });

  it('nothing names a key: escalated naming the actor and what to check, nothing to act on', () => {
    const [only] = intake(loadEvent('guardduty-attack-sequence-no-key.json'));
    expect(only).toMatchObject({
      kind: 'rejected',
      rejected: {
        outcome: 'escalated',
        reason: expect.stringMatching(
          /names no access key.*IAMUser demo-contractor.*Nothing was changed.*ListAccessKeys.*GetAccessKeyLastUsed/,
        ),
        finding: { sequenceId: 'example-sequence-0003' },
      },
    });
  });

  it('an actor name that is not an IAM name is never echoed', () => {
    const event = loadEvent('guardduty-attack-sequence-no-key.json');
    sequenceOf(event).actors[0].user.name = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

    const [only] = intake(event);
    expect(JSON.stringify(only)).not.toContain('wJalrXUtnFEMI');
    expect(only?.kind === 'rejected' && only.rejected.reason).toMatch(/it names IAMUser\./);
  });

  it('a sequence finding without its sequence details is escalated, not guessed', () => {
    const event = loadEvent('guardduty-attack-sequence.json');
    delete event.detail.service.detection;

    expect(intake(event)).toMatchObject([
      {
        kind: 'rejected',
        rejected: {
          outcome: 'escalated',
          reason: expect.stringMatching(/no service.detection.sequence/),
        },
      },
    ]);
  });

  it('a malformed sequence fails with the field named', () => {
    const event = loadEvent('guardduty-attack-sequence.json');
    sequenceOf(event).actors = 'everyone';

    expect(intake(event)).toMatchObject([
      {
        kind: 'rejected',
        rejected: {
          outcome: 'failed',
          reason: expect.stringMatching(/service\.detection\.sequence\.actors: expected array/),
        },
      },
    ]);
  });

  it('skips sample and archived sequences', () => {
    const sample = loadEvent('guardduty-attack-sequence.json');
    sample.detail.service.additionalInfo = { sample: true };
    const archived = loadEvent('guardduty-attack-sequence.json');
    archived.detail.service.archived = true;

    expect(intake(sample)).toMatchObject([{ rejected: { outcome: 'skipped' } }]);
    expect(intake(archived)).toMatchObject([{ rejected: { outcome: 'skipped' } }]);
  });
});

describe('GuardDuty findings about other resources', () => {
  it('an S3 finding naming a key becomes a request; FINDING_TYPES decides later', () => {
    expect(intake(loadEvent('guardduty-s3-finding.json'))).toEqual([
      {
        kind: 'request',
        request: expect.objectContaining({
          accessKeyId: 'AKIAEXAMPLEDEMO00012',
          finding: expect.objectContaining({ type: 'UnauthorizedAccess:S3/TorIPCaller' }),
        }),
      },
    ]);
  });

  it('an S3 finding without a key (an anonymous caller) is skipped', () => {
    const event = loadEvent('guardduty-s3-finding.json');
    delete event.detail.resource.accessKeyDetails;

    expect(intake(event)).toMatchObject([
      {
        rejected: {
          outcome: 'skipped',
          reason: expect.stringMatching(/S3Bucket and names no access key/),
        },
      },
    ]);
  });
});
