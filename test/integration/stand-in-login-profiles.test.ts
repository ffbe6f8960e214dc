import { randomBytes } from 'node:crypto';
import { CloudTrailClient, type Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GetLoginProfileCommand,
  IAMClient,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../stand-in/cloudtrail-records';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const ADMIN: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };
/** Strong enough for any password policy, and easy to spot in a record. */
const PASSWORD = 'Pw-Backdoor-9f1c!Zq';

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
});
afterAll(() => standIn.stop());

/** Real SDK clients, without retries so error tests see the first answer. */
function clients(credentials: Credentials = ADMIN) {
  const config = { region: 'us-east-1', endpoint: standIn.url, credentials, maxAttempts: 1 };
  return { iam: new IAMClient(config), cloudTrail: new CloudTrailClient(config) };
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  if (!error) throw new Error('expected the call to fail');
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

async function newUser(iam = clients().iam) {
  const userName = unique('user');
  await iam.send(new CreateUserCommand({ UserName: userName }));
  return userName;
}

async function userWithKey() {
  const userName = await newUser();
  const { AccessKey } = await clients().iam.send(
    new CreateAccessKeyCommand({ UserName: userName }),
  );
  const credentials: Credentials = {
    accessKeyId: AccessKey?.AccessKeyId ?? '',
    secretAccessKey: AccessKey?.SecretAccessKey ?? '',
  };
  return { userName, credentials };
}

/** The events made with a key, newest first, as LookupEvents answers them. */
async function eventsOf(accessKeyId: string): Promise<Event[]> {
  const out = await clients().cloudTrail.send(
    new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: accessKeyId }],
    }),
  );
  return out.Events ?? [];
}

const recordOf = (event: Event | undefined): CloudTrailRecord =>
  JSON.parse(event?.CloudTrailEvent ?? 'null');

describe('login profiles', () => {
  it('creates, reads, updates and deletes a console password', async () => {
    const { iam } = clients();
    const userName = await newUser();

    const created = await iam.send(
      new CreateLoginProfileCommand({
        UserName: userName,
        Password: PASSWORD,
        PasswordResetRequired: true,
      }),
    );
    const read = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    await iam.send(
      new UpdateLoginProfileCommand({ UserName: userName, PasswordResetRequired: false }),
    );
    const updated = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    await iam.send(new UpdateLoginProfileCommand({ UserName: userName, Password: `${PASSWORD}2` }));
    const unchanged = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    await iam.send(new DeleteLoginProfileCommand({ UserName: userName }));
    const gone = await failure(iam.send(new GetLoginProfileCommand({ UserName: userName })));

    expect(created.LoginProfile).toEqual({
      UserName: userName,
      CreateDate: expect.any(Date),
      PasswordResetRequired: true,
    });
    expect(Math.abs((created.LoginProfile?.CreateDate?.getTime() ?? 0) - Date.now())).toBeLessThan(
      5000,
    );
    expect(read.LoginProfile).toEqual(created.LoginProfile);
    expect(updated.LoginProfile).toEqual({ ...created.LoginProfile, PasswordResetRequired: false });
    expect(unchanged.LoginProfile).toEqual(updated.LoginProfile);
    expect(gone).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `Login Profile for User ${userName} cannot be found.`,
    });
  });

  it('does not require a reset unless asked', async () => {
    const { iam } = clients();
    const userName = await newUser();

    const { LoginProfile } = await iam.send(
      new CreateLoginProfileCommand({ UserName: userName, Password: PASSWORD }),
    );

    expect(LoginProfile?.PasswordResetRequired).toBe(false);
  });

  it('answers IAM errors: one profile per user, unknown users and profiles', async () => {
    const { iam } = clients();
    const userName = await newUser();
    const nobody = unique('nobody');
    await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: PASSWORD }));

    const again = await failure(
      iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: PASSWORD })),
    );
    const unknownUser = await failure(
      iam.send(new CreateLoginProfileCommand({ UserName: nobody, Password: PASSWORD })),
    );
    const withoutProfile = await newUser();
    const update = await failure(
      iam.send(new UpdateLoginProfileCommand({ UserName: withoutProfile, Password: PASSWORD })),
    );
    const remove = await failure(
      iam.send(new DeleteLoginProfileCommand({ UserName: withoutProfile })),
    );

    expect(again).toEqual({
      name: 'EntityAlreadyExistsException',
      status: 409,
      message: `Login Profile for user ${userName} already exists.`,
    });
    expect(unknownUser).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `The user with name ${nobody} cannot be found.`,
    });
    const missing = {
      name: 'NoSuchEntityException',
      status: 404,
      message: `Login Profile for User ${withoutProfile} cannot be found.`,
    };
    expect(update).toEqual(missing);
    expect(remove).toEqual(missing);
  });

  it('checks the password without ever echoing it', async () => {
    const { iam } = clients();
    const userName = await newUser();
    const outOfRange = `${PASSWORD}\u0100`;
    const tooLong = `${PASSWORD}${'x'.repeat(128)}`;

    const badCharacter = await failure(
      iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: outOfRange })),
    );
    const long = await failure(
      iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: tooLong })),
    );
    const none = await failure(iam.send(new CreateLoginProfileCommand({ UserName: userName })));

    expect(badCharacter).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(badCharacter.message).toContain("at 'password' failed to satisfy constraint");
    expect(badCharacter.message).not.toContain(PASSWORD);
    expect(long).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(long.message).toContain('less than or equal to 128');
    expect(long.message).not.toContain(PASSWORD);
    expect(none).toMatchObject({ name: 'ValidationError', status: 400 });
    // Nothing was created by the refused calls.
    expect(
      await failure(iam.send(new GetLoginProfileCommand({ UserName: userName }))),
    ).toMatchObject({ name: 'NoSuchEntityException' });
  });

  it("applies to the calling user's own profile when UserName is left out", async () => {
    const user = await userWithKey();
    const own = clients(user.credentials).iam;

    const { LoginProfile } = await own.send(new CreateLoginProfileCommand({ Password: PASSWORD }));
    const read = await clients().iam.send(new GetLoginProfileCommand({ UserName: user.userName }));

    expect(LoginProfile?.UserName).toBe(user.userName);
    expect(read.LoginProfile?.UserName).toBe(user.userName);
  });

  it('keeps a user with a password from being deleted', async () => {
    const { iam } = clients();
    const userName = await newUser();
    await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: PASSWORD }));

    const refused = await failure(iam.send(new DeleteUserCommand({ UserName: userName })));
    await iam.send(new DeleteLoginProfileCommand({ UserName: userName }));
    await iam.send(new DeleteUserCommand({ UserName: userName }));

    expect(refused).toEqual({
      name: 'DeleteConflictException',
      status: 409,
      message: 'Cannot delete entity, must delete login profile first.',
    });
    expect(
      await failure(iam.send(new GetLoginProfileCommand({ UserName: userName }))),
    ).toMatchObject({
      name: 'NoSuchEntityException',
      message: `The user with name ${userName} cannot be found.`,
    });
  });

  it('counts Create, Update and Delete as IAM writes, and Get as a read', async () => {
    const { iam } = clients();
    const userName = await newUser();
    const admin = standInAdmin(standIn);
    const before = admin.faultCounts().iamWrites;
    const writes = (action: string) =>
      (admin.faultCounts().iamWrites[action] ?? 0) - (before[action] ?? 0);

    await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: PASSWORD }));
    await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    await iam.send(new UpdateLoginProfileCommand({ UserName: userName, Password: PASSWORD }));
    await iam.send(new DeleteLoginProfileCommand({ UserName: userName }));

    expect(writes('CreateLoginProfile')).toBe(1);
    expect(writes('UpdateLoginProfile')).toBe(1);
    expect(writes('DeleteLoginProfile')).toBe(1);
    expect(writes('GetLoginProfile')).toBe(0);
  });
});

describe('in CloudTrail', () => {
  it('records CreateLoginProfile with what it made, never the password', async () => {
    const user = await userWithKey();
    const target = await newUser();
    const own = clients(user.credentials).iam;
    const { LoginProfile } = await own.send(
      new CreateLoginProfileCommand({
        UserName: target,
        Password: PASSWORD,
        PasswordResetRequired: true,
      }),
    );

    const [event] = await eventsOf(user.credentials.accessKeyId);
    const record = recordOf(event);

    expect(event).toMatchObject({
      EventName: 'CreateLoginProfile',
      EventSource: 'iam.amazonaws.com',
      ReadOnly: 'false',
      Username: user.userName,
      Resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: target }],
    });
    expect(record.requestParameters).toEqual({ userName: target, passwordResetRequired: true });
    expect(record.responseElements).toEqual({
      loginProfile: {
        userName: target,
        createDate: expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d:\d\d [AP]M$/),
        passwordResetRequired: true,
      },
    });
    const profile = record.responseElements?.loginProfile as { createDate?: string } | undefined;
    expect(new Date(`${profile?.createDate} UTC`)).toEqual(LoginProfile?.CreateDate);
    expect(JSON.stringify(event)).not.toContain(PASSWORD);
    expect(event?.CloudTrailEvent).not.toMatch(/password"/i);
  });

  it('records updates and refusals without the password either', async () => {
    const user = await userWithKey();
    const target = await newUser();
    const own = clients(user.credentials).iam;
    await own.send(new CreateLoginProfileCommand({ UserName: target, Password: PASSWORD }));
    await own.send(
      new UpdateLoginProfileCommand({
        UserName: target,
        Password: `${PASSWORD}-new`,
        PasswordResetRequired: false,
      }),
    );
    await failure(
      own.send(new CreateLoginProfileCommand({ UserName: target, Password: `${PASSWORD}\u0100` })),
    );
    await own.send(new GetLoginProfileCommand({ UserName: target }));

    const [get, refused, update, create] = await eventsOf(user.credentials.accessKeyId);

    expect([get, refused, update, create].map((e) => e?.EventName)).toEqual([
      'GetLoginProfile',
      'CreateLoginProfile',
      'UpdateLoginProfile',
      'CreateLoginProfile',
    ]);
    expect(recordOf(update)).toMatchObject({
      requestParameters: { userName: target, passwordResetRequired: false },
      responseElements: null,
      readOnly: false,
    });
    expect(recordOf(refused)).toMatchObject({
      errorCode: 'ValidationError',
      requestParameters: { userName: target },
      responseElements: null,
    });
    expect(recordOf(get)).toMatchObject({ readOnly: true, responseElements: null });
    for (const event of [get, refused, update, create]) {
      expect(JSON.stringify(event)).not.toContain(PASSWORD);
    }
  });
});
