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
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
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
import { type CloudTrailRecord, cloudTrailDate } from '../stand-in/cloudtrail-records';
import { type SeededEvent, type StandIn, standInAdmin, startStandIn } from '../stand-in/server';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const DEFAULT_ACCOUNT = '123456789012';
const ADMIN: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
/** How CloudTrail writes dates inside responseElements: `Mar 24, 2014 9:11:59 PM`, in UTC. */
const CLOUDTRAIL_DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d:\d\d [AP]M$/;
const HOUR = 3600_000;

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
    // Typed as the API model has it, not as the query string carried it.
    expect(recordOf(issuing).requestParameters).toEqual({ name: 'bob', durationSeconds: 900 });
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

/** A date CloudTrail wrote in responseElements, read back (V8 parses this form with `UTC`). */
const parseCloudTrailDate = (value: unknown) => {
  expect(value).toMatch(CLOUDTRAIL_DATE);
  return new Date(`${String(value)} UTC`);
};

/** The event of `eventName` made with `accessKeyId`, and its record. */
async function eventOf(accessKeyId: string, eventName: string) {
  const event = (await byKey(accessKeyId)).find((e) => e.EventName === eventName);
  if (!event) throw new Error(`no ${eventName} by ${accessKeyId}`);
  return { event, record: recordOf(event) };
}

describe('responseElements', () => {
  it('writes dates as CloudTrail does, in UTC', () => {
    expect(cloudTrailDate(new Date('2014-03-24T21:11:59Z'))).toBe('Mar 24, 2014 9:11:59 PM');
    expect(cloudTrailDate(new Date('2019-10-02T00:05:09Z'))).toBe('Oct 2, 2019 12:05:09 AM');
    expect(cloudTrailDate(new Date('2019-10-02T12:00:00Z'))).toBe('Oct 2, 2019 12:00:00 PM');
  });

  it("shows the key a stolen key created, and never the new key's secret", async () => {
    const user = await userWithKey();
    const own = clients(user.credentials);
    const { AccessKey } = await own.iam.send(
      new CreateAccessKeyCommand({ UserName: user.userName }),
    );
    const secret = AccessKey?.SecretAccessKey ?? '';

    const { event, record } = await eventOf(user.credentials.accessKeyId, 'CreateAccessKey');

    expect(secret).toHaveLength(40);
    expect(record.requestParameters).toEqual({ userName: user.userName });
    expect(record.responseElements).toEqual({
      accessKey: {
        userName: user.userName,
        accessKeyId: AccessKey?.AccessKeyId,
        status: 'Active',
        createDate: expect.stringMatching(CLOUDTRAIL_DATE),
      },
    });
    const accessKey = record.responseElements?.accessKey as { createDate?: string } | undefined;
    expect(parseCloudTrailDate(accessKey?.createDate)).toEqual(AccessKey?.CreateDate);
    expect(record.readOnly).toBe(false);
    // Nowhere in what LookupEvents answers: not the record, not the event around it.
    const answered = JSON.stringify(event);
    expect(answered).not.toContain(secret);
    expect(answered).not.toContain(user.credentials.secretAccessKey);
    expect(answered).not.toMatch(/secret/i);
    // In a real record's order: the request, then the response, then the ids.
    const members = Object.keys(record);
    const at = members.indexOf('responseElements');
    expect(members.slice(at - 1, at + 3)).toEqual([
      'requestParameters',
      'responseElements',
      'requestID',
      'eventID',
    ]);
  });

  it('shows the user and the role created, the trust policy URL-encoded', async () => {
    const user = await userWithKey();
    const own = clients(user.credentials);
    const userName = unique('made');
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:*' },
      ],
    });
    const { User } = await own.iam.send(new CreateUserCommand({ UserName: userName, Path: '/x/' }));
    const { Role } = await own.iam.send(
      new CreateRoleCommand({ RoleName: unique('made'), AssumeRolePolicyDocument: trust }),
    );

    const created = await eventOf(user.credentials.accessKeyId, 'CreateUser');
    const role = await eventOf(user.credentials.accessKeyId, 'CreateRole');

    expect(created.record.responseElements).toEqual({
      user: {
        path: '/x/',
        userName,
        userId: User?.UserId,
        arn: User?.Arn,
        createDate: expect.stringMatching(CLOUDTRAIL_DATE),
      },
    });
    expect(role.record.requestParameters).toMatchObject({ assumeRolePolicyDocument: trust });
    expect(role.record.responseElements).toEqual({
      role: {
        path: '/',
        roleName: Role?.RoleName,
        roleId: Role?.RoleId,
        arn: Role?.Arn,
        createDate: expect.stringMatching(CLOUDTRAIL_DATE),
        assumeRolePolicyDocument: encodeURIComponent(trust),
      },
    });
  });

  it('shows the session AssumeRole issued, without its secret', async () => {
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
    const out = await clients(user.credentials).sts.send(
      new AssumeRoleCommand({ RoleArn: Role?.Arn, RoleSessionName: 'sweep', DurationSeconds: 900 }),
    );

    const { event, record } = await eventOf(user.credentials.accessKeyId, 'AssumeRole');

    expect(record.requestParameters).toEqual({
      roleArn: Role?.Arn,
      roleSessionName: 'sweep',
      durationSeconds: 900,
    });
    expect(record.responseElements).toEqual({
      credentials: {
        accessKeyId: out.Credentials?.AccessKeyId,
        sessionToken: out.Credentials?.SessionToken,
        expiration: expect.stringMatching(CLOUDTRAIL_DATE),
      },
      assumedRoleUser: {
        assumedRoleId: out.AssumedRoleUser?.AssumedRoleId,
        arn: out.AssumedRoleUser?.Arn,
      },
    });
    const credentials = record.responseElements?.credentials as { expiration?: string } | undefined;
    expect(parseCloudTrailDate(credentials?.expiration)).toEqual(out.Credentials?.Expiration);
    expect(JSON.stringify(event)).not.toContain(out.Credentials?.SecretAccessKey ?? '-');
  });

  it('is null for reads and for refused calls', async () => {
    const user = await userWithKey();
    const own = clients(user.credentials);
    await own.iam.send(new GetUserCommand({}));
    await failure(own.iam.send(new CreateUserCommand({ UserName: user.userName })));

    const read = await eventOf(user.credentials.accessKeyId, 'GetUser');
    const refused = await eventOf(user.credentials.accessKeyId, 'CreateUser');

    expect(read.record.responseElements).toBeNull();
    expect(refused.record).toMatchObject({ errorCode: 'EntityAlreadyExists' });
    expect(refused.record.responseElements).toBeNull();
    expect(Object.keys(refused.record)).toContain('responseElements');
  });

  it('shows typed request parameters, e.g. setAsDefault as a boolean', async () => {
    const user = await userWithKey();
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    });
    const { Policy } = await clients().iam.send(
      new CreatePolicyCommand({ PolicyName: unique('policy'), PolicyDocument: document }),
    );
    await clients(user.credentials).iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: Policy?.Arn,
        PolicyDocument: document,
        SetAsDefault: true,
      }),
    );

    const { record } = await eventOf(user.credentials.accessKeyId, 'CreatePolicyVersion');

    expect(record.requestParameters).toEqual({
      policyArn: Policy?.Arn,
      policyDocument: document,
      setAsDefault: true,
    });
    expect(record.responseElements).toBeNull();
  });
});

describe('seeded events', () => {
  /** A key the stand-in never issued: only seeded events carry it. */
  const seededKey = () => `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const admin = () => standInAdmin(standIn);
  const seed = (accessKeyId: string, eventTime: Date, extra: Partial<SeededEvent> = {}) =>
    admin().addCloudTrailEvent({
      accountId: DEFAULT_ACCOUNT,
      eventTime,
      eventName: 'CreateUser',
      eventSource: 'iam.amazonaws.com',
      accessKeyId,
      identity: { type: 'IAMUser', userName: 'mallory' },
      ...extra,
    });

  it('builds the record a call would have, found by its key', async () => {
    const key = seededKey();
    const at = new Date(Date.now() - 2 * HOUR + 123);
    const eventId = seed(key, at, {
      requestParameters: { userName: 'backdoor' },
      responseElements: { user: { userName: 'backdoor', createDate: cloudTrailDate(at) } },
    });

    const events = await byKey(key);

    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      EventId: eventId,
      EventName: 'CreateUser',
      EventSource: 'iam.amazonaws.com',
      ReadOnly: 'false',
      AccessKeyId: key,
      Username: 'mallory',
      Resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: 'backdoor' }],
    });
    // Kept to the second, as CloudTrail does.
    expect(event?.EventTime?.getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
    const record = recordOf(event);
    expect(record).toMatchObject({
      eventVersion: '1.08',
      eventTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      awsRegion: 'us-east-1',
      requestParameters: { userName: 'backdoor' },
      responseElements: { user: { userName: 'backdoor', createDate: cloudTrailDate(at) } },
      eventID: eventId,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: DEFAULT_ACCOUNT,
      eventCategory: 'Management',
    });
    expect(record.userIdentity).toEqual({
      type: 'IAMUser',
      principalId: expect.stringMatching(/^AIDA[A-Z2-7]{16}$/),
      arn: `arn:aws:iam::${DEFAULT_ACCOUNT}:user/mallory`,
      accountId: DEFAULT_ACCOUNT,
      accessKeyId: key,
      userName: 'mallory',
    });
    // The same made-up user is the same principal in every event that names it.
    seed(key, new Date(at.getTime() - HOUR));
    const [, older] = await byKey(key);
    expect(recordOf(older).userIdentity.principalId).toBe(record.userIdentity.principalId);
  });

  it("names an existing user's ids, and an assumed role's session", async () => {
    const user = await userWithKey();
    const key = seededKey();
    const session = seededKey().replace(/^AKIA/, 'ASIA');
    const roleArn = 'arn:aws:iam::210987654321:role/elsewhere';
    seed(key, new Date(Date.now() - HOUR), {
      eventName: 'AssumeRole',
      eventSource: 'sts.amazonaws.com',
      identity: { type: 'IAMUser', userName: user.userName },
      requestParameters: { roleArn, roleSessionName: 'x' },
      responseElements: { credentials: { accessKeyId: session } },
    });
    seed(session, new Date(Date.now() - HOUR / 2), {
      eventName: 'ListBuckets',
      eventSource: 's3.amazonaws.com',
      identity: { type: 'AssumedRole', roleName: 'ops', sessionName: 'x', roleId: 'AROAEXAMPLE' },
      errorCode: 'AccessDenied',
      errorMessage: 'denied',
      responseElements: { never: 'shown' },
    });

    const [assume] = await byKey(key);
    const [list] = await byKey(session);

    expect(assume).toMatchObject({
      Username: user.userName,
      ReadOnly: 'true',
      Resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: roleArn }],
    });
    expect(recordOf(assume).userIdentity).toMatchObject({
      principalId: user.userId,
      arn: user.arn,
    });
    expect(recordOf(assume).responseElements).toEqual({
      credentials: { accessKeyId: session },
    });
    expect(list).toMatchObject({ Username: 'x', ReadOnly: 'true' });
    expect(recordOf(list)).toMatchObject({
      errorCode: 'AccessDenied',
      errorMessage: 'denied',
      responseElements: null,
    });
    expect(recordOf(list).userIdentity).toEqual({
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:x',
      arn: `arn:aws:sts::${DEFAULT_ACCOUNT}:assumed-role/ops/x`,
      accountId: DEFAULT_ACCOUNT,
      accessKeyId: session,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLE',
          arn: `arn:aws:iam::${DEFAULT_ACCOUNT}:role/ops`,
          accountId: DEFAULT_ACCOUNT,
          userName: 'ops',
        },
        attributes: { creationDate: expect.stringMatching(ISO_SECONDS), mfaAuthenticated: 'false' },
      },
    });
  });

  it('answers newest first whatever order they were added, within StartTime and EndTime', async () => {
    const user = await userWithKey();
    const key = user.credentials.accessKeyId;
    const now = Date.now();
    // Added out of order, all older than the call the key makes now.
    const twoHours = seed(key, new Date(now - 2 * HOUR));
    const aDay = seed(key, new Date(now - 24 * HOUR));
    const halfHour = seed(key, new Date(now - HOUR / 2));
    await clients(user.credentials).iam.send(new GetUserCommand({}));
    const [call] = await byKey(key);
    const ids = (events: Event[]) => events.map((e) => e.EventId);

    const all = await byKey(key);
    const since = await byKey(key, { StartTime: new Date(now - 3 * HOUR) });
    const until = await byKey(key, { EndTime: new Date(now - HOUR) });
    const between = await byKey(key, {
      StartTime: new Date(now - 3 * HOUR),
      EndTime: new Date(now - HOUR),
    });
    // Both ends are inclusive.
    const exactly = await byKey(key, {
      StartTime: new Date(Math.floor((now - 2 * HOUR) / 1000) * 1000),
      EndTime: new Date(Math.floor((now - 2 * HOUR) / 1000) * 1000),
    });

    expect(call?.EventName).toBe('GetUser');
    expect(ids(all)).toEqual([call?.EventId, halfHour, twoHours, aDay]);
    expect(ids(since)).toEqual([call?.EventId, halfHour, twoHours]);
    expect(ids(until)).toEqual([twoHours, aDay]);
    expect(ids(between)).toEqual([twoHours]);
    expect(ids(exactly)).toEqual([twoHours]);
    // The admin lists them oldest first.
    const listed = admin()
      .cloudTrailEvents(DEFAULT_ACCOUNT)
      .filter((e) => e.record.userIdentity.accessKeyId === key)
      .map((e) => e.record.eventID);
    expect(listed).toEqual([aDay, twoHours, halfHour, call?.EventId]);
  });

  it('pages across seeded events with MaxResults and NextToken, each once', async () => {
    const key = seededKey();
    const now = Date.now();
    // Shuffled times, two of them in the same second.
    const minutesAgo = [30, 5, 50, 5, 20];
    const seeded = minutesAgo.map((m) => ({
      id: seed(key, new Date(now - m * 60_000)),
      time: Math.floor((now - m * 60_000) / 1000),
    }));
    const { cloudTrail } = clients();
    const input = {
      LookupAttributes: [{ AttributeKey: 'AccessKeyId' as const, AttributeValue: key }],
      MaxResults: 2,
    };

    const pages = [];
    let token: string | undefined;
    do {
      const page = await cloudTrail.send(new LookupEventsCommand({ ...input, NextToken: token }));
      pages.push(page.Events?.map((e) => e.EventId) ?? []);
      token = page.NextToken;
    } while (token && pages.length < 10);

    // Newest first; the later-added of two events in the same second first, as recorded ones.
    const expected = seeded
      .map((event, index) => ({ ...event, index }))
      .sort((a, b) => b.time - a.time || b.index - a.index)
      .map((event) => event.id);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(expected);
    expect(new Set(pages.flat()).size).toBe(5);
  });

  it('refuses what is not an event', () => {
    const key = seededKey();

    expect(() => seed(key, new Date(), { accountId: '12345' })).toThrow(/account id/);
    expect(() => seed(key, new Date('not a date'))).toThrow(/eventTime/);
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
