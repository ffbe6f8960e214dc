import {
  GetFindingsCommand,
  type GetFindingsCommandInput,
  GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StandInAdmin } from '../stand-in/admin';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';
import { uniqueName } from '../support/endpoint';

/**
 * The stand-in's GuardDuty `GetFindings` through the real SDK, against what GuardDuty documents:
 * the detector's findings among the ids asked for (unknown ids left out), BadRequestException
 * (400) for a detector the caller does not own or invalid input, and its 429/500 answers.
 */
interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const DEFAULT_ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const ADMIN: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };
const DETECTOR = 'exampledetector';

let standIn: StandIn;
let admin: StandInAdmin;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
  admin = standInAdmin(standIn);
  admin.addGuardDutyFindings(DEFAULT_ACCOUNT, [finding('finding-one'), finding('finding-two')], {
    id: DETECTOR,
  });
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.resetCalls());

/** A real SDK client without retries, so error tests see the first answer. */
function guardDuty(credentials: Credentials = ADMIN, region = 'us-east-1', maxAttempts = 1) {
  return new GuardDutyClient({ region, endpoint: standIn.url, credentials, maxAttempts });
}

/** An underlying finding as GuardDuty's JSON (camelCase) names a user's key. */
function finding(id: string, accessKeyId = 'AKIAEXAMPLEDEMO00001') {
  return {
    id,
    arn: `arn:aws:guardduty:us-east-1:${DEFAULT_ACCOUNT}:detector/${DETECTOR}/finding/${id}`,
    accountId: DEFAULT_ACCOUNT,
    region: 'us-east-1',
    schemaVersion: '2.0',
    type: 'Discovery:IAMUser/AnomalousBehavior',
    severity: 5,
    createdAt: '2026-11-22T09:41:00.000Z',
    updatedAt: '2026-11-22T09:41:00.000Z',
    resource: {
      resourceType: 'AccessKey',
      accessKeyDetails: {
        accessKeyId,
        principalId: 'AIDAEXAMPLEDEMO00001',
        userName: 'demo-ml-trainer',
        userType: 'IAMUser',
      },
    },
  };
}

type Failure = Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };

/** The exception an SDK call rejects with: its name, HTTP status and fault. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Failure,
  );
  if (!error) throw new Error('expected the call to fail');
  return {
    name: error.name,
    status: error.$metadata?.httpStatusCode,
    fault: error.$fault,
    message: error.message,
  };
}

const getFindings = (input: GetFindingsCommandInput, client = guardDuty()) =>
  client.send(new GetFindingsCommand(input));

describe('GetFindings', () => {
  it('returns the findings asked for as the SDK parses them, leaving unknown ids out', async () => {
    const out = await getFindings({
      DetectorId: DETECTOR,
      FindingIds: ['finding-two', 'no-such-finding', 'finding-one', 'finding-two'],
    });

    expect(out.Findings?.map((f) => f.Id)).toEqual(['finding-two', 'finding-one']);
    expect(out.Findings?.[1]).toMatchObject({
      Id: 'finding-one',
      AccountId: DEFAULT_ACCOUNT,
      Type: 'Discovery:IAMUser/AnomalousBehavior',
      Severity: 5,
      Resource: {
        ResourceType: 'AccessKey',
        AccessKeyDetails: {
          AccessKeyId: 'AKIAEXAMPLEDEMO00001',
          PrincipalId: 'AIDAEXAMPLEDEMO00001',
          UserName: 'demo-ml-trainer',
          UserType: 'IAMUser',
        },
      },
    });
    expect(standIn.calls.get('GetFindings')).toBe(1);
  });

  it('answers an empty list when none of the ids is known', async () => {
    const out = await getFindings({ DetectorId: DETECTOR, FindingIds: ['unknown-1', 'unknown-2'] });

    expect(out.Findings).toEqual([]);
  });

  it("refuses another account's detector and a detector that does not exist (BadRequestException 400)", async () => {
    const theirs = admin.guardDutyDetector(OTHER_ACCOUNT);
    admin.addGuardDutyFindings(OTHER_ACCOUNT, [finding('their-finding')]);

    for (const DetectorId of [theirs, 'nosuchdetector']) {
      expect(await failure(getFindings({ DetectorId, FindingIds: ['their-finding'] }))).toEqual({
        name: 'BadRequestException',
        status: 400,
        fault: 'client',
        message: expect.stringMatching(/detectorId is not owned by the current account/),
      });
    }
    // The owner reads the same detector.
    const owner = guardDuty(admin.rootCredentials(OTHER_ACCOUNT));
    const out = await getFindings({ DetectorId: theirs, FindingIds: ['their-finding'] }, owner);
    expect(out.Findings?.map((f) => f.Id)).toEqual(['their-finding']);
  });

  it('refuses a detector of another region (detectors are regional)', async () => {
    const west = guardDuty(ADMIN, 'us-west-2');

    expect(
      await failure(getFindings({ DetectorId: DETECTOR, FindingIds: ['finding-one'] }, west)),
    ).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  it('refuses more than 50 ids and accepts 50 (BadRequestException 400)', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `finding-${i}`);

    expect(await failure(getFindings({ DetectorId: DETECTOR, FindingIds: ids }))).toMatchObject({
      name: 'BadRequestException',
      status: 400,
    });
    const fifty = [...ids.slice(0, 49), 'finding-one'];
    const out = await getFindings({ DetectorId: DETECTOR, FindingIds: fifty });
    expect(out.Findings?.map((f) => f.Id)).toEqual(['finding-one']);
  });

  it('refuses a request without FindingIds (a required member)', async () => {
    const missing = { DetectorId: DETECTOR } as GetFindingsCommandInput;

    expect(await failure(getFindings(missing))).toEqual({
      name: 'BadRequestException',
      status: 400,
      fault: 'client',
      message: expect.stringMatching(/findingIds is missing/),
    });
  });

  it('answers injected throttling as TooManyRequestsException 429, which the SDK retries', async () => {
    admin.injectFault('Throttling', { action: 'GetFindings' });

    expect(
      await failure(getFindings({ DetectorId: DETECTOR, FindingIds: ['finding-one'] })),
    ).toMatchObject({ name: 'TooManyRequestsException', status: 429 });

    admin.injectFault('Throttling', { action: 'GetFindings' });
    const retrying = guardDuty(ADMIN, 'us-east-1', 2);
    const out = await getFindings({ DetectorId: DETECTOR, FindingIds: ['finding-one'] }, retrying);
    expect(out.Findings?.map((f) => f.Id)).toEqual(['finding-one']);
    expect(standIn.calls.get('GetFindings')).toBe(3);
  });

  it('answers an injected server error as InternalServerErrorException 500', async () => {
    admin.injectFault('ServiceFailure', { action: 'GetFindings' });

    expect(
      await failure(getFindings({ DetectorId: DETECTOR, FindingIds: ['finding-one'] })),
    ).toMatchObject({ name: 'InternalServerErrorException', status: 500, fault: 'server' });
    // Spent: the next call is answered.
    const out = await getFindings({ DetectorId: DETECTOR, FindingIds: ['finding-one'] });
    expect(out.Findings).toHaveLength(1);
  });

  it("records a user's calls in its account's CloudTrail, refusals with their error code", async () => {
    // Root callers leave no trail in the stand-in: call as an IAM user of the default account.
    const iam = new IAMClient({ region: 'us-east-1', endpoint: standIn.url, credentials: ADMIN });
    const userName = uniqueName('gd-reader');
    await iam.send(new CreateUserCommand({ UserName: userName }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const reader = guardDuty({
      accessKeyId: AccessKey?.AccessKeyId ?? '',
      secretAccessKey: AccessKey?.SecretAccessKey ?? '',
    });
    const before = admin.cloudTrailEvents(DEFAULT_ACCOUNT).length;

    await getFindings({ DetectorId: DETECTOR, FindingIds: ['finding-one'] }, reader);
    await failure(getFindings({ DetectorId: 'nosuchdetector', FindingIds: ['x'] }, reader));

    const events = admin.cloudTrailEvents(DEFAULT_ACCOUNT).slice(before);
    expect(events.map((e) => e.username)).toEqual([userName, userName]);
    expect(events.map((e) => e.record)).toEqual([
      expect.objectContaining({
        eventSource: 'guardduty.amazonaws.com',
        eventName: 'GetFindings',
        awsRegion: 'us-east-1',
        readOnly: true,
        userIdentity: expect.objectContaining({ type: 'IAMUser', userName }),
        requestParameters: { detectorId: DETECTOR, findingIds: ['finding-one'] },
      }),
      expect.objectContaining({
        eventSource: 'guardduty.amazonaws.com',
        eventName: 'GetFindings',
        errorCode: 'BadRequestException',
        requestParameters: { detectorId: 'nosuchdetector', findingIds: ['x'] },
      }),
    ]);
  });
});
