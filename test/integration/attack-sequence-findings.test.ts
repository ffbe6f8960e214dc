import { Logger } from '@aws-lambda-powertools/logger';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onFinding } from '../../functions/on-finding';
import type { AwsClients } from '../../shared/aws-clients';
import { IncidentFailedError } from '../../shared/entry-points';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import type { StandInAdmin } from '../stand-in/admin';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';
import { loadEvent, TEST_CONFIG } from '../support/deps';
import { clientsAt } from '../support/endpoint';
import { seedUserWithKeys } from '../support/seed';

/**
 * An attack sequence whose actor carries only a user name, end to end: the responder reads the
 * finding its signal names with guardduty:GetFindings (served by the stand-in), and contains the
 * key that finding names, or escalates/fails with nothing changed.
 */
const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const DETECTOR = 'exampledetector';
const UNDERLYING = 'example0underlying0finding00001';
const SEQUENCE_INCIDENT = 'guardduty-example0attack0sequence0finding2';
const ADMIN = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'integration-test' };
const context = { awsRequestId: 'integration' };

let standIn: StandIn;
let admin: StandInAdmin;
let clients: AwsClients;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
  admin = standInAdmin(standIn);
  clients = clientsAt(standIn.url, ADMIN);
  admin.guardDutyDetector(ACCOUNT, { id: DETECTOR });
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.resetCalls());

function deps(): Deps {
  const logger = new Logger({ serviceName: 'integration', logLevel: 'SILENT' });
  // Three attempts, as the Lambda's clients make.
  return { clients: clientsAt(standIn.url, ADMIN, 3), config: TEST_CONFIG, logger };
}

async function keyStatuses(userName: string): Promise<Record<string, string>> {
  const out = await clients.iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return Object.fromEntries((out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId, k.Status]));
}

/** The signals example with the seeded user as its only actor. */
function sequenceEvent(userName: string) {
  const event = loadEvent('guardduty-attack-sequence-signals.json');
  const sequence = event.detail.service.detection.sequence;
  sequence.actors[0].user.name = userName;
  return { event, sequence };
}

const findingArn = (id: string, detector = DETECTOR) =>
  `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/${detector}/finding/${id}`;

/** An underlying finding (GuardDuty's camelCase JSON) naming a user's key. */
function keyFinding(id: string, accessKeyId: string, userName: string, userId: string) {
  return {
    id,
    arn: findingArn(id),
    accountId: ACCOUNT,
    region: 'us-east-1',
    schemaVersion: '2.0',
    type: 'Discovery:IAMUser/AnomalousBehavior',
    severity: 5,
    createdAt: '2026-11-22T09:41:00.000Z',
    updatedAt: '2026-11-22T09:41:00.000Z',
    resource: {
      resourceType: 'AccessKey',
      accessKeyDetails: { accessKeyId, principalId: userId, userName, userType: 'IAMUser' },
    },
  };
}

/** A unique underlying finding id per test: the detector is shared by the file's tests. */
let serial = 0;
const findingId = () => `example0underlying0finding${String(++serial).padStart(5, '0')}x`;

/** Points the sequence's FINDING signal at `id` (and adds signals for `more`). */
function signalFindings(sequence: Record<string, any>, id: string, ...more: string[]) {
  const [first] = sequence.signals;
  first.uid = findingArn(id);
  for (const other of more) sequence.signals.push({ ...first, uid: findingArn(other) });
}

/** Every key of these seeded users is still Active. */
async function expectAllActive(...users: { userName: string; accessKeyIds: string[] }[]) {
  for (const { userName, accessKeyIds } of users) {
    expect(await keyStatuses(userName)).toEqual(
      Object.fromEntries(accessKeyIds.map((k) => [k, 'Active'])),
    );
  }
}

/** The reports of an event whose incidents failed (onFinding throws so Lambda retries). */
async function failedReports(event: unknown): Promise<Report[]> {
  const error = await onFinding(event, context, deps()).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IncidentFailedError)) throw new Error(`expected IncidentFailedError`);
  return error.reports;
}

describe('an attack sequence whose key is only in its underlying finding', () => {
  it('deactivates the key that finding names, not the user’s other key', async () => {
    const { userName, userId, accessKeyIds } = await seedUserWithKeys(clients);
    const [stolen = '', other = ''] = accessKeyIds;
    const { event } = sequenceEvent(userName);
    admin.addGuardDutyFindings(ACCOUNT, [keyFinding(UNDERLYING, stolen, userName, userId)], {
      id: DETECTOR,
    });

    const reports = await onFinding(event, context, deps());

    expect(await keyStatuses(userName)).toEqual({ [stolen]: 'Inactive', [other]: 'Active' });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      incidentId: `${SEQUENCE_INCIDENT}-${stolen}`,
      accessKeyId: stolen,
      outcome: 'contained',
      principal: { type: 'IAMUser', name: userName },
      reason: expect.stringContaining(`named by its finding ${UNDERLYING}`),
      finding: { type: 'AttackSequence:S3/CompromisedData', sequenceId: 'example-sequence-0002' },
      errorCode: null,
    });
    expect(standIn.calls.get('GetFindings')).toBe(1);
  });

  it('two underlying findings naming two keys of the user: two incidents, both contained', async () => {
    const { userName, userId, accessKeyIds } = await seedUserWithKeys(clients);
    const [first = '', second = ''] = accessKeyIds;
    const [a, b] = [findingId(), findingId()];
    const { event, sequence } = sequenceEvent(userName);
    signalFindings(sequence, a, b);
    admin.addGuardDutyFindings(
      ACCOUNT,
      [keyFinding(a, first, userName, userId), keyFinding(b, second, userName, userId)],
      { id: DETECTOR },
    );

    const reports = await onFinding(event, context, deps());

    expect(reports.map((r) => [r.incidentId, r.accessKeyId, r.outcome])).toEqual([
      [`${SEQUENCE_INCIDENT}-${first}`, first, 'contained'],
      [`${SEQUENCE_INCIDENT}-${second}`, second, 'contained'],
    ]);
    expect(await keyStatuses(userName)).toEqual({ [first]: 'Inactive', [second]: 'Inactive' });
    // Both ids in one call.
    expect(standIn.calls.get('GetFindings')).toBe(1);
  });

  it('an underlying finding naming no key: escalated naming the user, nothing changed', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(clients);
    const id = findingId();
    const { event, sequence } = sequenceEvent(userName);
    signalFindings(sequence, id);
    admin.addGuardDutyFindings(
      ACCOUNT,
      [
        {
          id,
          arn: findingArn(id),
          type: 'Discovery:IAMUser/AnomalousBehavior',
          resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0abc1234' } },
        },
      ],
      { id: DETECTOR },
    );

    const reports = await onFinding(event, context, deps());

    expect(reports).toEqual([
      expect.objectContaining({
        incidentId: SEQUENCE_INCIDENT,
        accessKeyId: null,
        outcome: 'escalated',
        reason: expect.stringMatching(
          new RegExp(`carries an access key id.*it names IAMUser ${userName}\\b`),
        ),
        actions: [],
        errorCode: null,
        finding: expect.objectContaining({ sequenceId: 'example-sequence-0002' }),
      }),
    ]);
    await expectAllActive({ userName, accessKeyIds });
    expect(standIn.calls.get('GetFindings')).toBe(1);
  });

  it('the finding its signal names is not in the detector: escalated, nothing changed', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(clients);
    const { event, sequence } = sequenceEvent(userName);
    signalFindings(sequence, findingId()); // never seeded

    const reports = await onFinding(event, context, deps());

    expect(reports).toEqual([
      expect.objectContaining({
        incidentId: SEQUENCE_INCIDENT,
        outcome: 'escalated',
        reason: expect.stringContaining(`it names IAMUser ${userName}`),
        actions: [],
        errorCode: null,
      }),
    ]);
    await expectAllActive({ userName, accessKeyIds });
  });

  it("a detector that is not the responder's: escalated with BadRequest, not retried, nothing changed", async () => {
    const { userName, userId, accessKeyIds } = await seedUserWithKeys(clients);
    const [stolen = ''] = accessKeyIds;
    // Another account's detector holds a finding naming the key: the responder may not read it.
    const theirs = admin.guardDutyDetector(OTHER_ACCOUNT);
    const id = findingId();
    admin.addGuardDutyFindings(OTHER_ACCOUNT, [keyFinding(id, stolen, userName, userId)]);
    const { event, sequence } = sequenceEvent(userName);
    event.detail.service.detectorId = theirs;
    sequence.signals[0].uid = findingArn(id, theirs);

    const reports = await onFinding(event, context, deps());

    expect(reports).toEqual([
      expect.objectContaining({
        incidentId: SEQUENCE_INCIDENT,
        accessKeyId: null,
        outcome: 'escalated',
        errorCode: 'BadRequest',
        reason: expect.stringMatching(
          new RegExp(`GetFindings on detector ${theirs} failed \\(BadRequest\\).*${userName}`),
        ),
        actions: [],
      }),
    ]);
    await expectAllActive({ userName, accessKeyIds });
    // A refusal is not retried by the SDK either.
    expect(standIn.calls.get('GetFindings')).toBe(1);
  });

  it('GetFindings throttled on every attempt: failed with the code, so Lambda retries; nothing changed', async () => {
    const { userName, userId, accessKeyIds } = await seedUserWithKeys(clients);
    const [stolen = ''] = accessKeyIds;
    const id = findingId();
    const { event, sequence } = sequenceEvent(userName);
    signalFindings(sequence, id);
    admin.addGuardDutyFindings(ACCOUNT, [keyFinding(id, stolen, userName, userId)], {
      id: DETECTOR,
    });
    admin.injectFault('Throttling', { action: 'GetFindings', times: 3 });

    const reports = await failedReports(event);

    expect(reports).toEqual([
      expect.objectContaining({
        incidentId: SEQUENCE_INCIDENT,
        accessKeyId: null,
        outcome: 'failed',
        errorCode: 'TooManyRequests',
        reason: expect.stringContaining(`GetFindings on detector ${DETECTOR} failed`),
        actions: [],
      }),
    ]);
    // The SDK retried throttling: every one of its three attempts was refused.
    expect(standIn.calls.get('GetFindings')).toBe(3);
    await expectAllActive({ userName, accessKeyIds });
  });

  it("a finding claiming the actor holds another user's key: escalated, nothing changed", async () => {
    const actor = await seedUserWithKeys(clients);
    const owner = await seedUserWithKeys(clients);
    const [theirKey = ''] = owner.accessKeyIds;
    const id = findingId();
    const { event, sequence } = sequenceEvent(actor.userName);
    signalFindings(sequence, id);
    // The finding says the actor holds the key; IAM says another user owns it.
    admin.addGuardDutyFindings(ACCOUNT, [keyFinding(id, theirKey, actor.userName, actor.userId)], {
      id: DETECTOR,
    });

    const reports = await onFinding(event, context, deps());

    expect(reports).toEqual([
      expect.objectContaining({
        incidentId: `${SEQUENCE_INCIDENT}-${theirKey}`,
        outcome: 'escalated',
        reason: expect.stringContaining(
          `the finding names user ${actor.userName} but IAM says key ${theirKey} belongs to ${owner.userName}`,
        ),
        actions: [],
        errorCode: null,
      }),
    ]);
    await expectAllActive(actor, owner);
  });

  it('a finding naming the key of a user the sequence does not name: escalated, nothing changed', async () => {
    const actor = await seedUserWithKeys(clients);
    const owner = await seedUserWithKeys(clients);
    const [theirKey = ''] = owner.accessKeyIds;
    const id = findingId();
    const { event, sequence } = sequenceEvent(actor.userName);
    signalFindings(sequence, id);
    // The finding and IAM agree on the owner, but the sequence names another actor.
    admin.addGuardDutyFindings(ACCOUNT, [keyFinding(id, theirKey, owner.userName, owner.userId)], {
      id: DETECTOR,
    });

    const reports = await onFinding(event, context, deps());

    expect(reports).toEqual([
      expect.objectContaining({
        incidentId: `${SEQUENCE_INCIDENT}-${theirKey}`,
        outcome: 'escalated',
        reason: expect.stringContaining(
          `names ${theirKey} of IAMUser ${owner.userName}, who is not among the sequence's actors (IAMUser ${actor.userName})`,
        ),
        actions: [],
      }),
    ]);
    await expectAllActive(actor, owner);
  });

  it('two underlying findings naming different holders of one key: failed as ambiguous, not retried, nothing changed', async () => {
    const actor = await seedUserWithKeys(clients);
    const owner = await seedUserWithKeys(clients);
    const [theirKey = ''] = owner.accessKeyIds;
    const [a, b] = [findingId(), findingId()];
    const { event, sequence } = sequenceEvent(actor.userName);
    signalFindings(sequence, a, b);
    admin.addGuardDutyFindings(
      ACCOUNT,
      [
        keyFinding(a, theirKey, owner.userName, owner.userId),
        keyFinding(b, theirKey, actor.userName, actor.userId),
      ],
      { id: DETECTOR },
    );

    // Resolves: an ambiguous claim is bad input, which Lambda's retries cannot fix.
    const reports = await onFinding(event, context, deps());

    expect(reports).toEqual([
      expect.objectContaining({
        incidentId: `${SEQUENCE_INCIDENT}-${theirKey}`,
        accessKeyId: theirKey,
        outcome: 'failed',
        reason: expect.stringContaining(
          `names two principals for ${theirKey} (IAMUser ${owner.userName}, IAMUser ${actor.userName})`,
        ),
        actions: [],
        errorCode: null,
      }),
    ]);
    await expectAllActive(actor, owner);
  });
});
