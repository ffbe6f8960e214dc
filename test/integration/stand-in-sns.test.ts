import { randomBytes } from 'node:crypto';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iam } from '../stand-in/iam';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';
import { sns as snsService } from '../stand-in/sns';
import { deliveredAs } from '../stand-in/state';
import { sts } from '../stand-in/sts';

const DEFAULT_ACCOUNT = '123456789012';
const ADMIN = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
});
afterAll(() => standIn.stop());

/** The real SDK client, without retries so error tests see the first answer. */
function client(region = 'us-east-1', credentials = ADMIN) {
  return new SNSClient({ region, endpoint: standIn.url, credentials, maxAttempts: 1 });
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function topic(sns = client()) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: unique('topic') }));
  return TopicArn ?? '';
}

/** The exception an SDK call rejects with, for asserting on name and HTTP status. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  if (!error) throw new Error('expected the call to fail');
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

describe('SNS topics', () => {
  it('creates a topic named in the region the request was signed for', async () => {
    const name = unique('topic');

    const { TopicArn } = await client('eu-west-1').send(new CreateTopicCommand({ Name: name }));

    expect(TopicArn).toBe(`arn:aws:sns:eu-west-1:${DEFAULT_ACCOUNT}:${name}`);
  });

  it('answers the same topic when a name is created twice', async () => {
    const sns = client();
    const name = unique('topic');

    const first = await sns.send(new CreateTopicCommand({ Name: name }));
    const second = await sns.send(new CreateTopicCommand({ Name: name }));

    expect(second.TopicArn).toBe(first.TopicArn);
  });

  it('lists the topics of the caller in the region of the request only', async () => {
    const here = await topic(client('us-east-2'));
    const elsewhere = await topic(client('us-west-2'));

    const { Topics } = await client('us-east-2').send(new ListTopicsCommand({}));

    const arns = Topics?.map((t) => t.TopicArn);
    expect(arns).toContain(here);
    expect(arns).not.toContain(elsewhere);
  });

  it('pages ListTopics by 100 with NextToken', async () => {
    const sns = client('ap-south-1');
    const created = [];
    for (let i = 0; i < 101; i += 1) created.push(await topic(sns));

    const first = await sns.send(new ListTopicsCommand({}));
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));

    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    expect(second.NextToken).toBeUndefined();
    const listed = [...(first.Topics ?? []), ...(second.Topics ?? [])].map((t) => t.TopicArn);
    expect(listed).toEqual(created);
  });

  it('refuses a topic name SNS refuses', async () => {
    const error = await failure(client().send(new CreateTopicCommand({ Name: 'has space' })));

    expect(error).toEqual({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Invalid parameter: Topic Name',
    });
  });

  it('deletes a topic, and deleting it again is not an error', async () => {
    const sns = client();
    const arn = await topic(sns);

    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));

    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics?.map((t) => t.TopicArn)).not.toContain(arn);
  });
});

describe('SNS Publish', () => {
  it('publishes a message with a subject that the admin then sees', async () => {
    const sns = client();
    const arn = await topic(sns);
    const before = new Date();

    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Subject: '[CONTAINED] IAMUser demo-ci-deployer in 123456789012',
        Message: '{"outcome":"contained"}',
        MessageAttributes: {
          outcome: { DataType: 'String', StringValue: 'contained' },
          severity: { DataType: 'Number', StringValue: '8.5' },
        },
      }),
    );

    expect(MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const published = standInAdmin(standIn).published(arn);
    expect(published).toEqual([
      {
        topicArn: arn,
        messageId: MessageId,
        subject: '[CONTAINED] IAMUser demo-ci-deployer in 123456789012',
        message: '{"outcome":"contained"}',
        messageAttributes: {
          outcome: { dataType: 'String', value: 'contained' },
          severity: { dataType: 'Number', value: '8.5' },
        },
        at: expect.any(Date),
      },
    ]);
    expect(published[0]?.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
  });

  it('takes a message per protocol (MessageStructure json), default required', async () => {
    const sns = client();
    const arn = await topic(sns);
    const structured = { default: '{"outcome":"contained"}', email: 'Contained.', https: '{}' };

    await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Message: JSON.stringify(structured),
        MessageStructure: 'json',
      }),
    );
    const [published] = standInAdmin(standIn).published(arn);
    expect(published && deliveredAs(published, 'email')).toBe('Contained.');
    expect(published && deliveredAs(published, 'lambda')).toBe('{"outcome":"contained"}');

    for (const [Message, MessageStructure] of [
      [JSON.stringify({ email: 'no default' }), 'json'],
      ['not json', 'json'],
      ['["default"]', 'json'],
      [JSON.stringify(structured), 'xml'],
    ]) {
      expect(
        await failure(sns.send(new PublishCommand({ TopicArn: arn, Message, MessageStructure }))),
      ).toMatchObject({ name: 'InvalidParameterException' });
    }
    expect(standInAdmin(standIn).published(arn)).toHaveLength(1);
  });

  it('keeps messages per topic, a subject being optional', async () => {
    const sns = client();
    const [a, b] = [await topic(sns), await topic(sns)];

    await sns.send(new PublishCommand({ TopicArn: a, Message: 'to a' }));
    await sns.send(new PublishCommand({ TopicArn: b, Message: 'to b' }));

    const admin = standInAdmin(standIn);
    expect(admin.published(a).map((m) => m.message)).toEqual(['to a']);
    expect(admin.published(a)[0]).not.toHaveProperty('subject');
    expect(admin.published().map((m) => m.topicArn)).toEqual(expect.arrayContaining([a, b]));
  });

  it('counts Publish in calls like every action', async () => {
    const sns = client();
    const arn = await topic(sns);
    standIn.resetCalls();

    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'one' }));
    await failure(sns.send(new PublishCommand({ TopicArn: `${arn}-gone`, Message: 'two' })));

    expect(standIn.calls.get('Publish')).toBe(2);
  });

  it('answers NotFound for a topic that does not exist', async () => {
    const arn = `arn:aws:sns:us-east-1:${DEFAULT_ACCOUNT}:${unique('missing')}`;

    const error = await failure(client().send(new PublishCommand({ TopicArn: arn, Message: 'x' })));

    expect(error).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Topic does not exist',
    });
  });

  it('answers NotFound for a deleted topic, the admin keeping what was published', async () => {
    const sns = client();
    const arn = await topic(sns);
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'before' }));
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));

    const error = await failure(sns.send(new PublishCommand({ TopicArn: arn, Message: 'after' })));

    expect(error).toMatchObject({ name: 'NotFoundException', status: 404 });
    expect(
      standInAdmin(standIn)
        .published(arn)
        .map((m) => m.message),
    ).toEqual(['before']);
  });

  it('answers InvalidParameter for a missing message', async () => {
    const arn = await topic();

    const error = await failure(
      client().send(new PublishCommand({ TopicArn: arn } as { TopicArn: string; Message: string })),
    );

    expect(error).toEqual({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Invalid parameter: Empty message',
    });
    expect(standInAdmin(standIn).published(arn)).toEqual([]);
  });

  it('answers InvalidParameter for an empty message', async () => {
    const error = await failure(
      client().send(new PublishCommand({ TopicArn: await topic(), Message: '' })),
    );

    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });

  it('accepts a subject of 100 characters and refuses one of 101', async () => {
    const sns = client();
    const arn = await topic(sns);

    await sns.send(new PublishCommand({ TopicArn: arn, Subject: 's'.repeat(100), Message: 'x' }));
    const error = await failure(
      sns.send(new PublishCommand({ TopicArn: arn, Subject: 's'.repeat(101), Message: 'x' })),
    );

    expect(error).toEqual({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Invalid parameter: Subject',
    });
    expect(standInAdmin(standIn).published(arn)).toHaveLength(1);
  });

  it('refuses a subject with a line break, non-ASCII text, or nothing in it', async () => {
    const sns = client();
    const arn = await topic(sns);

    for (const subject of ['two\nlines', 'café', '', ' leading space']) {
      const error = await failure(
        sns.send(new PublishCommand({ TopicArn: arn, Subject: subject, Message: 'x' })),
      );
      expect(error, JSON.stringify(subject)).toMatchObject({
        name: 'InvalidParameterException',
        message: 'Invalid parameter: Subject',
      });
    }
  });

  it('answers InvalidParameter without a TopicArn', async () => {
    const error = await failure(client().send(new PublishCommand({ Message: 'x' })));

    expect(error).toEqual({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    });
  });

  it('answers InvalidParameter for a topic of another region', async () => {
    const arn = await topic(client('eu-central-1'));

    const error = await failure(
      client('us-east-1').send(new PublishCommand({ TopicArn: arn, Message: 'x' })),
    );

    expect(error).toEqual({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Invalid parameter: TopicArn',
    });
  });

  it("answers AuthorizationError for another account's topic", async () => {
    const other = standInAdmin(standIn).rootCredentials('111122223333');
    const arn = await topic(client('us-east-1', other));

    const error = await failure(client().send(new PublishCommand({ TopicArn: arn, Message: 'x' })));

    expect(error).toEqual({
      name: 'AuthorizationErrorException',
      status: 403,
      message: `User: arn:aws:iam::${DEFAULT_ACCOUNT}:root is not authorized to perform: SNS:Publish on resource: ${arn}`,
    });
  });

  it('refuses a message attribute of an unknown type or without a value', async () => {
    const sns = client();
    const arn = await topic(sns);

    const badType = await failure(
      sns.send(
        new PublishCommand({
          TopicArn: arn,
          Message: 'x',
          MessageAttributes: { a: { DataType: 'Text', StringValue: 'v' } },
        }),
      ),
    );
    const noValue = await failure(
      sns.send(
        new PublishCommand({
          TopicArn: arn,
          Message: 'x',
          MessageAttributes: { a: { DataType: 'String', StringValue: '' } },
        }),
      ),
    );

    expect(badType).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(noValue).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/must contain non-empty message attribute value/),
    });
  });
});

describe('one endpoint for IAM, STS and SNS', () => {
  it('has no action name in two services', () => {
    const names = [iam, sts, snsService].flatMap((service) => Object.keys(service.handlers));

    expect(names.length).toBe(new Set(names).size);
  });
});
