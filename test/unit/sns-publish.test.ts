import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { awsErrorCode } from '../../shared/errors';
import { notifications, type PublishInput } from '../../shared/notify/sns-publish';
import { useScriptedServer } from '../support/scripted-server';

/**
 * SNS's Publish as it goes on the wire: a SigV4-signed Query POST whose form is the one the SDK's
 * own SNS client sends for the same input; SNS's XML errors named as awsErrorCode names the SDK's;
 * throttling and 5xx retried, a refusal not. A local HTTP server plays SNS.
 */
const OK = {
  status: 200,
  body:
    '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>' +
    '<MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId>' +
    '</ResponseMetadata></PublishResponse>',
};
const wire = useScriptedServer('text/xml', OK);

const credentials = { accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' };
const publisher = (attempts?: number) =>
  notifications({
    credentials: async () => credentials,
    region: async () => 'eu-west-1',
    endpoint: wire.url,
    ...(attempts ? { attempts } : {}),
  });
const sdk = () =>
  new SNSClient({ region: 'eu-west-1', endpoint: wire.url, credentials, maxAttempts: 1 });

const snsError = (code: string, message: string) =>
  '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>' +
  `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;

const INPUT: PublishInput = {
  TopicArn: 'arn:aws:sns:eu-west-1:123456789012:credential-responder-prod-notifications',
  Subject: "[CONTAINED] User ci-deploy (it's 100% done!) in 123456789012",
  Message: JSON.stringify({
    default: '{"outcome":"contained","reason":"a & b = c + d; ünïcode ✓ (*)\nnext line"}',
    email: 'Line one\r\nLine two: ~!@#$%^&*()_+{}|:"<>?',
  }),
  MessageStructure: 'json',
  MessageAttributes: {
    outcome: { DataType: 'String', StringValue: 'contained' },
    record: { DataType: 'String', StringValue: 'report' },
  },
};

const form = (body: string | undefined) => [...new URLSearchParams(body ?? '')].sort();

describe('SNS Publish', () => {
  it("sends the form the SDK's client sends for the same input, signed for sns", async () => {
    await publisher().publish(INPUT);
    await sdk().send(new PublishCommand(INPUT));

    const [ours, theirs] = wire.seen;
    expect(ours?.method).toBe('POST');
    expect(ours?.url).toBe('/');
    expect(ours?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(ours?.headers.authorization).toMatch(/\/eu-west-1\/sns\/aws4_request/);
    expect(form(ours?.body)).toEqual(form(theirs?.body));
    expect(new URLSearchParams(ours?.body).get('Message')).toBe(INPUT.Message);
    expect(new URLSearchParams(ours?.body).get('Subject')).toBe(INPUT.Subject);
  });

  it('leaves out what the input does not have', async () => {
    await publisher().publish({ TopicArn: INPUT.TopicArn, Message: 'plain' });

    expect(form(wire.seen[0]?.body)).toEqual(
      form(`Action=Publish&Version=2010-03-31&TopicArn=${INPUT.TopicArn}&Message=plain`),
    );
  });

  it.each([
    ['NotFound', 404, 'Topic does not exist'],
    ['AuthorizationError', 403, 'User: x is not authorized to perform: SNS:Publish on &lt;t&gt;'],
    ['InvalidParameter', 400, 'Invalid parameter: Message'],
  ])(
    'names %s as awsErrorCode names the SDK error, without retrying it',
    async (code, status, message) => {
      wire.answers.push({ status, body: snsError(code, message) });
      wire.answers.push({ status, body: snsError(code, message) });

      const ours = await publisher()
        .publish(INPUT)
        .catch((e: unknown) => e);
      const theirs = await sdk()
        .send(new PublishCommand(INPUT))
        .catch((e: unknown) => e);

      expect(awsErrorCode(ours)).toBe(code);
      expect(awsErrorCode(ours)).toBe(awsErrorCode(theirs));
      expect((ours as Error).message).toBe((theirs as Error).message);
      expect(wire.seen).toHaveLength(2);
    },
  );

  it('retries throttling and 5xx answers, then succeeds', async () => {
    wire.answers.push({ status: 400, body: snsError('Throttled', 'Rate exceeded') });
    wire.answers.push({ status: 500, body: snsError('InternalError', 'oops') });

    await publisher().publish(INPUT);

    expect(wire.seen).toHaveLength(3);
  });

  it('gives up after its attempts with the last error', async () => {
    for (let i = 0; i < 3; i++)
      wire.answers.push({ status: 400, body: snsError('Throttled', 'Rate exceeded') });

    const error = await publisher(3)
      .publish(INPUT)
      .catch((e: unknown) => e);

    expect(awsErrorCode(error)).toBe('Throttled');
    expect(wire.seen).toHaveLength(3);
  });
});
