import { randomBytes } from 'node:crypto';
import {
  CloudTrailClient,
  type Event,
  type LookupAttribute,
  LookupEventsCommand,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../stand-in/cloudtrail-records';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const DEFAULT_ACCOUNT = '123456789012';
const ADMIN: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
});
afterAll(() => standIn.stop());

/** Real SDK clients, without retries so error tests see the first answer. */
function clients(credentials: Credentials = ADMIN, region = 'us-east-1', url = standIn.url) {
  const config = { region, endpoint: url, credentials, maxAttempts: 1 };
  return {
    iam: new IAMClient(config),
    sts: new STSClient(config),
    sns: new SNSClient(config),
    cloudTrail: new CloudTrailClient(config),
  };
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** The exception an SDK call rejects with, for asserting on name and HTTP status. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  if (!error) throw new Error('expected the call to fail');
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

async function userWithKey(iam = clients().iam) {
  const userName = unique('user');
  const { User } = await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const credentials: Credentials = {
    accessKeyId: AccessKey?.AccessKeyId ?? '',
    secretAccessKey: AccessKey?.SecretAccessKey ?? '',
  };
  return { userName, userId: User?.UserId ?? '', arn: User?.Arn ?? '', credentials };
}

function session(out: {
  Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string };
}) {
  return {
    accessKeyId: out.Credentials?.AccessKeyId ?? '',
    secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
    sessionToken: out.Credentials?.SessionToken ?? '',
  };
}

/** Every page of a lookup, as the admin (the default account's root) sees it. */
async function lookup(
  attribute: LookupAttribute,
  {
    region = 'us-east-1',
    credentials = ADMIN,
    ...input
  }: LookupEventsCommandInput & {
    region?: string;
    credentials?: Credentials;
  } = {},
): Promise<Event[]> {
  const { cloudTrail } = clients(credentials, region);
  const events: Event[] = [];
  let token: string | undefined;
  do {
    const page = await cloudTrail.send(
      new LookupEventsCommand({ ...input, LookupAttributes: [attribute], NextToken: token }),
    );
    events.push(...(page.Events ?? []));
    token = page.NextToken;
  } while (token);
  return events;
}

const byKey = (accessKeyId: string, options?: Parameters<typeof lookup>[1]) =>
  lookup({ AttributeKey: 'AccessKeyId', AttributeValue: accessKeyId }, options);

const recordOf = (event: Event | undefined): CloudTrailRecord =>
  JSON.parse(event?.CloudTrailEvent ?? 'null');

describe('recording', () => {
  it("finds a user's call by its access key, with an IAMUser identity", async () => {
    const user = await userWithKey();
    const own = clients(user.credentials);
    await own.iam.send(new GetUserCommand({}));

    const events = await byKey(user.credentials.accessKeyId);

    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      EventName: 'GetUser',
      EventSource: 'iam.amazonaws.com',
      ReadOnly: 'true',
      AccessKeyId: user.credentials.accessKeyId,
      Username: user.userName,
      Resources: [],
    });
    expect(event?.EventTime).toBeInstanceOf(Date);
    const record = recordOf(event);
    expect(record.userIdentity).toEqual({
      type: 'IAMUser',
      principalId: user.userId,
      arn: user.arn,
      accountId: DEFAULT_ACCOUNT,
      accessKeyId: user.credentials.accessKeyId,
      userName: user.userName,
    });
    expect(record).toMatchObject({
      eventVersion: '1.08',
      eventSource: 'iam.amazonaws.com',
      eventName: 'GetUser',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      requestParameters: null,
      eventID: event?.EventId,
      readOnly: true,
      eventType: 'AwsApiCall',
      recipientAccountId: DEFAULT_ACCOUNT,
    });
    expect(record.eventTime).toMatch(ISO_SECONDS);
    expect(new Date(record.eventTime)).toEqual(event?.EventTime);
    expect(record.userAgent).toContain('aws-sdk-js');
  });

  it('records request parameters, resources and failures', async () => {
    const user = await userWithKey();
    const missing = unique('nobody');
    await failure(clients(user.credentials).iam.send(new GetUserCommand({ UserName: missing })));

    const [event] = await byKey(user.credentials.accessKeyId);

    expect(event?.Resources).toEqual([{ ResourceType: 'AWS::IAM::User', ResourceName: missing }]);
    expect(recordOf(event)).toMatchObject({
      requestParameters: { userName: missing },
      errorCode: 'NoSuchEntity',
      errorMessage: `The user with name ${missing} cannot be found.`,
    });
  });

  it("names an assumed role's session and the role that issued it", async () => {
    const user = await userWithKey();
    const { Role } = await clients().iam.send(
      new CreateRoleCommand({
        RoleName: unique('role'),
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    const roleName = Role?.RoleName ?? '';
    const out = await clients(user.credentials).sts.send(
      new AssumeRoleCommand({ RoleArn: Role?.Arn, RoleSessionName: 'incident-7' }),
    );
    const credentials = session(out);
    await clients(credentials).sts.send(new GetCallerIdentityCommand({}));

    const [event] = await byKey(credentials.accessKeyId);

    const issued = standInAdmin(standIn).temporaryCredential(credentials.accessKeyId);
    expect(event).toMatchObject({ EventName: 'GetCallerIdentity', Username: 'incident-7' });
    expect(recordOf(event).userIdentity).toEqual({
      type: 'AssumedRole',
      principalId: `${Role?.RoleId}:incident-7`,
      arn: `arn:aws:sts::${DEFAULT_ACCOUNT}:assumed-role/${roleName}/incident-7`,
      accountId: DEFAULT_ACCOUNT,
      accessKeyId: credentials.accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: Role?.RoleId,
          arn: Role?.Arn,
          accountId: DEFAULT_ACCOUNT,
          userName: roleName,
        },
        attributes: {
          creationDate: issued?.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          mfaAuthenticated: 'false',
        },
      },
    });
    // The AssumeRole call itself is the user's, with the role as its resource.
    const [assume] = await byKey(user.credentials.accessKeyId);
    expect(assume).toMatchObject({
      EventName: 'AssumeRole',
      EventSource: 'sts.amazonaws.com',
      Resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: Role?.Arn }],
    });
  });

  it('names a GetSessionToken session as the user, signing with the ASIA key', async () => {
    const user = await userWithKey();
    const out = await clients(user.credentials).sts.send(new GetSessionTokenCommand({}));
    const credentials = session(out);
    await clients(credentials).iam.send(new GetUserCommand({}));

    const [event] = await byKey(credentials.accessKeyId);

    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(event?.Username).toBe(user.userName);
    expect(recordOf(event).userIdentity).toEqual({
      type: 'IAMUser',
      principalId: user.userId,
      arn: user.arn,
      accountId: DEFAULT_ACCOUNT,
      accessKeyId: credentials.accessKeyId,
      userName: user.userName,
      sessionContext: {
        attributes: { creationDate: expect.stringMatching(ISO_SECONDS), mfaAuthenticated: 'false' },
      },
    });
  });

  it('records nothing for the default admin or an account root', async () => {
    const root = standInAdmin(standIn).rootCredentials('210987654321');
    await clients().sts.send(new GetCallerIdentityCommand({}));
    await clients(root).sts.send(new GetCallerIdentityCommand({}));

    expect(await byKey(ADMIN.accessKeyId)).toEqual([]);
    expect(await byKey(root.accessKeyId, { credentials: root })).toEqual([]);
  });

  it('leaves SNS Publish out: it is a data event', async () => {
    const user = await userWithKey();
    const { sns } = clients(user.credentials);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: unique('topic') }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'hello' }));

    const events = await byKey(user.credentials.accessKeyId);

    expect(events.map((e) => e.EventName)).toEqual(['CreateTopic']);
    expect(events[0]?.Resources).toEqual([]);
    expect(recordOf(events[0]).eventSource).toBe('sns.amazonaws.com');
  });

  it('exposes the recorded events to the admin', async () => {
    const user = await userWithKey();
    await clients(user.credentials).sts.send(new GetCallerIdentityCommand({}));

    const events = standInAdmin(standIn).cloudTrailEvents(DEFAULT_ACCOUNT);

    expect(events.at(-1)?.record.userIdentity.accessKeyId).toBe(user.credentials.accessKeyId);
    expect(standInAdmin(standIn).cloudTrailEvents('000000000000')).toEqual([]);
  });
});

describe('GetFederationToken', () => {
  it('issues a federated user acting in the caller account, named in CloudTrail', async () => {
    const user = await userWithKey();
    const out = await clients(user.credentials).sts.send(
      new GetFederationTokenCommand({ Name: 'bob', DurationSeconds: 900 }),
    );
    const credentials = session(out);
    const identity = await clients(credentials).sts.send(new GetCallerIdentityCommand({}));

    const arn = `arn:aws:sts::${DEFAULT_ACCOUNT}:federated-user/bob`;
    expect(out.FederatedUser).toEqual({ FederatedUserId: `${DEFAULT_ACCOUNT}:bob`, Arn: arn });
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.Expiration?.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(identity).toMatchObject({ Arn: arn, UserId: `${DEFAULT_ACCOUNT}:bob` });

    const [event] = await byKey(credentials.accessKeyId);
    expect(event?.Username).toBe('bob');
    expect(recordOf(event).userIdentity).toEqual({
      type: 'FederatedUser',
      principalId: `${DEFAULT_ACCOUNT}:bob`,
      arn,
      accountId: DEFAULT_ACCOUNT,
      accessKeyId: credentials.accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'IAMUser',
          principalId: user.userId,
          arn: user.arn,
          accountId: DEFAULT_ACCOUNT,
          userName: user.userName,
        },
        attributes: { creationDate: expect.stringMatching(ISO_SECONDS), mfaAuthenticated: 'false' },
      },
    });
    // The issuing call is on the user's key: how a responder finds who minted the session.
    const [issuing] = await lookup({
      AttributeKey: 'EventName',
      AttributeValue: 'GetFederationToken',
    });
    expect(issuing?.AccessKeyId).toBe(user.credentials.accessKeyId);
    expect(recordOf(issuing).requestParameters).toEqual({ name: 'bob', durationSeconds: '900' });
  });

  it('refuses session credentials and checks Name and Policy', async () => {
    const user = await userWithKey();
    const { sts } = clients(user.credentials);
    const federated = session(await sts.send(new GetFederationTokenCommand({ Name: 'eve' })));

    expect(
      await failure(clients(federated).sts.send(new GetFederationTokenCommand({ Name: 'eve' }))),
    ).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(await failure(sts.send(new GetFederationTokenCommand({ Name: 'x' })))).toMatchObject({
      name: 'ValidationError',
      status: 400,
    });
    expect(
      await failure(sts.send(new GetFederationTokenCommand({ Name: 'eve', Policy: '{not json' }))),
    ).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
    expect(
      await failure(
        sts.send(new GetFederationTokenCommand({ Name: 'eve', DurationSeconds: 129601 })),
      ),
    ).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  it('cuts sessions of the root to an hour', async () => {
    const out = await clients().sts.send(
      new GetFederationTokenCommand({ Name: 'rooted', DurationSeconds: 129600 }),
    );

    expect(out.Credentials?.Expiration?.getTime()).toBeLessThanOrEqual(Date.now() + 3600_000);
  });
});

describe('LookupEvents', () => {
  it('answers no events for a key it never saw', async () => {
    const { cloudTrail } = clients();

    const out = await cloudTrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'ASIAUNKNOWNKEY000000' }],
      }),
    );

    expect(out.Events).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });

  it('pages newest first with MaxResults and NextToken', async () => {
    const user = await userWithKey();
    const { sts } = clients(user.credentials);
    for (let i = 0; i < 5; i += 1) await sts.send(new GetCallerIdentityCommand({}));
    const { cloudTrail } = clients();
    const attribute = { AttributeKey: 'Username' as const, AttributeValue: user.userName };

    const first = await cloudTrail.send(
      new LookupEventsCommand({ LookupAttributes: [attribute], MaxResults: 2 }),
    );
    // Events recorded between pages do not shift the next page.
    await sts.send(new GetCallerIdentityCommand({}));
    const second = await cloudTrail.send(
      new LookupEventsCommand({
        LookupAttributes: [attribute],
        MaxResults: 2,
        NextToken: first.NextToken,
      }),
    );
    const third = await cloudTrail.send(
      new LookupEventsCommand({
        LookupAttributes: [attribute],
        MaxResults: 2,
        NextToken: second.NextToken,
      }),
    );

    const recorded = standInAdmin(standIn)
      .cloudTrailEvents(DEFAULT_ACCOUNT)
      .filter((e) => e.username === user.userName)
      .map((e) => e.record.eventID)
      .reverse();
    const paged = [first, second, third].flatMap((page) => page.Events?.map((e) => e.EventId));
    expect([first, second, third].map((page) => page.Events?.length)).toEqual([2, 2, 1]);
    expect(third.NextToken).toBeUndefined();
    expect(paged).toEqual(recorded.slice(1));
  });

  it('refuses a NextToken that is not one, or belongs to another query', async () => {
    const user = await userWithKey();
    const { sts } = clients(user.credentials);
    await sts.send(new GetCallerIdentityCommand({}));
    await sts.send(new GetCallerIdentityCommand({}));
    const { cloudTrail } = clients();
    const attribute = { AttributeKey: 'Username' as const, AttributeValue: user.userName };
    const { NextToken } = await cloudTrail.send(
      new LookupEventsCommand({ LookupAttributes: [attribute], MaxResults: 1 }),
    );

    const invalid = { name: 'InvalidNextTokenException', status: 400 };
    expect(
      await failure(cloudTrail.send(new LookupEventsCommand({ NextToken: 'not-a-token' }))),
    ).toMatchObject(invalid);
    expect(
      await failure(cloudTrail.send(new LookupEventsCommand({ MaxResults: 1, NextToken }))),
    ).toMatchObject(invalid);
  });

  it('answers the documented exceptions for bad attributes, limits and times', async () => {
    const { cloudTrail } = clients();
    const send = (input: LookupEventsCommandInput) =>
      failure(cloudTrail.send(new LookupEventsCommand(input)));
    const key = { AttributeKey: 'AccessKeyId' as const, AttributeValue: 'AKIAIOSFODNN7EXAMPLE' };

    const invalidAttributes = { name: 'InvalidLookupAttributesException', status: 400 };
    expect(await send({ LookupAttributes: [key, key] })).toMatchObject(invalidAttributes);
    expect(
      await send({ LookupAttributes: [{ AttributeKey: 'UserArn' as never, AttributeValue: 'x' }] }),
    ).toMatchObject(invalidAttributes);
    expect(
      await send({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'yes' }] }),
    ).toMatchObject(invalidAttributes);
    const invalidMax = { name: 'InvalidMaxResultsException', status: 400 };
    expect(await send({ MaxResults: 0 })).toMatchObject(invalidMax);
    expect(await send({ MaxResults: 51 })).toMatchObject(invalidMax);
    expect(
      await send({ StartTime: new Date(), EndTime: new Date(Date.now() - 60_000) }),
    ).toMatchObject({ name: 'InvalidTimeRangeException', status: 400 });
  });

  it('filters by time range and drops events older than 90 days', async () => {
    const user = await userWithKey();
    await clients(user.credentials).sts.send(new GetCallerIdentityCommand({}));
    const admin = standInAdmin(standIn);
    const recorded = admin.state.cloudTrail.at(-1);
    if (!recorded) throw new Error('nothing recorded');
    const day = 24 * 3600_000;
    for (const age of [89, 91]) {
      const eventTime = new Date(Date.now() - age * day);
      admin.state.cloudTrail.push({
        ...recorded,
        eventTime,
        record: { ...recorded.record, eventID: `aged-${age}` },
      });
    }

    const all = await byKey(user.credentials.accessKeyId);
    const older = await byKey(user.credentials.accessKeyId, {
      EndTime: new Date(Date.now() - 30 * day),
    });
    const recent = await byKey(user.credentials.accessKeyId, {
      StartTime: new Date(Date.now() - 30 * day),
    });

    expect(all.map((e) => e.EventId)).toEqual([recorded.record.eventID, 'aged-89']);
    expect(older.map((e) => e.EventId)).toEqual(['aged-89']);
    expect(recent.map((e) => e.EventId)).toEqual([recorded.record.eventID]);
  });

  it("looks only in the request's region", async () => {
    const user = await userWithKey();
    await clients(user.credentials, 'eu-west-1').sts.send(new GetCallerIdentityCommand({}));

    const here = await byKey(user.credentials.accessKeyId, { region: 'eu-west-1' });
    const elsewhere = await byKey(user.credentials.accessKeyId, { region: 'us-east-1' });

    expect(here).toHaveLength(1);
    expect(recordOf(here[0]).awsRegion).toBe('eu-west-1');
    expect(elsewhere).toEqual([]);
  });

  it("looks only in the caller's account", async () => {
    const root = standInAdmin(standIn).rootCredentials('345678901234');
    const user = await userWithKey(clients(root).iam);
    await clients(user.credentials).sts.send(new GetCallerIdentityCommand({}));

    const own = await byKey(user.credentials.accessKeyId, { credentials: root });
    const other = await byKey(user.credentials.accessKeyId);

    expect(recordOf(own[0]).recipientAccountId).toBe('345678901234');
    expect(other).toEqual([]);
  });

  it('records lookups made with issued credentials, after answering them', async () => {
    const user = await userWithKey();
    const { cloudTrail } = clients(user.credentials);
    const key = {
      AttributeKey: 'AccessKeyId' as const,
      AttributeValue: user.credentials.accessKeyId,
    };

    const first = await cloudTrail.send(new LookupEventsCommand({ LookupAttributes: [key] }));
    const second = await cloudTrail.send(new LookupEventsCommand({ LookupAttributes: [key] }));

    expect(first.Events).toEqual([]);
    expect(second.Events).toHaveLength(1);
    expect(recordOf(second.Events?.[0])).toMatchObject({
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'LookupEvents',
      readOnly: true,
      requestParameters: {
        lookupAttributes: [{ attributeKey: 'AccessKeyId', attributeValue: key.AttributeValue }],
      },
    });
  });

  it('refuses a deactivated key as a JSON service does', async () => {
    const user = await userWithKey();
    await clients().iam.send(
      new UpdateAccessKeyCommand({
        UserName: user.userName,
        AccessKeyId: user.credentials.accessKeyId,
        Status: 'Inactive',
      }),
    );

    expect(
      await failure(clients(user.credentials).cloudTrail.send(new LookupEventsCommand({}))),
    ).toMatchObject({ name: 'UnrecognizedClientException', status: 400 });
  });

  it('counts LookupEvents calls, errors included', async () => {
    standIn.resetCalls();
    const { cloudTrail } = clients();
    await cloudTrail.send(new LookupEventsCommand({}));
    await failure(cloudTrail.send(new LookupEventsCommand({ MaxResults: 99 })));

    expect(standIn.calls.get('LookupEvents')).toBe(2);
  });
});

describe('wire protocol', () => {
  const signed = (target: string, body = '{}') =>
    fetch(standIn.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': target,
        Authorization: `AWS4-HMAC-SHA256 Credential=${ADMIN.accessKeyId}/20260101/us-east-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body,
    });

  it('accepts the namespaced target older SDKs send and answers JSON 1.1', async () => {
    const res = await signed(
      'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
      JSON.stringify({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: 'none' }] }),
    );

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await res.json()).toEqual({ Events: [] });
  });

  it('names the error in __type and x-amzn-ErrorType', async () => {
    const unknown = await signed('CloudTrail_20131101.DescribeTrails');
    const malformed = await signed('CloudTrail_20131101.LookupEvents', '[');

    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ __type: 'SerializationException' });
  });
});

describe('throttling', () => {
  let throttled: StandIn;

  beforeAll(async () => {
    throttled = await startStandIn({ port: 0, cloudTrailRps: 2 });
  });
  afterAll(() => throttled.stop());

  it('answers ThrottlingException beyond the rate, per account and region', async () => {
    const { cloudTrail } = clients(ADMIN, 'us-east-1', throttled.url);
    const send = () => cloudTrail.send(new LookupEventsCommand({}));

    await send();
    await send();
    const third = await failure(send());
    const otherRegion = await clients(ADMIN, 'us-west-2', throttled.url).cloudTrail.send(
      new LookupEventsCommand({}),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    const later = await send();

    expect(third).toMatchObject({
      name: 'ThrottlingException',
      status: 400,
      message: 'Rate exceeded',
    });
    expect(otherRegion.Events).toEqual([]);
    expect(later.Events).toEqual([]);
    expect(throttled.calls.get('LookupEvents')).toBe(5);
  });

  it('leaves other actions unthrottled', async () => {
    const { sts } = clients(ADMIN, 'eu-central-1', throttled.url);
    for (let i = 0; i < 5; i += 1) {
      expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(DEFAULT_ACCOUNT);
    }
  });
});
