import { randomUUID } from 'node:crypto';
import { AwsError } from './errors';
import type { Handler, RequestContext, Service } from './handler';
import type { PublishedMessage, Topic } from './state';

/**
 * SNS's own errors (the SDK model's `awsQueryError` traits): SNS does not answer IAM's
 * ValidationError, but InvalidParameter with "Invalid parameter: <what>".
 */
const invalidParameter = (what: string) =>
  new AwsError('InvalidParameter', `Invalid parameter: ${what}`, 400);
const parameterValueInvalid = (message: string) =>
  new AwsError('ParameterValueInvalid', message, 400);
const notFound = (message: string) => new AwsError('NotFound', message, 404);

/** Standard topics only: FIFO topics (`.fifo`, MessageGroupId) are not simulated. */
const TOPIC_NAME = /^[\w-]{1,256}$/;
const TOPIC_ARN = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([\w-]{1,256})$/;
/** Printable ASCII, not starting with a space, at most 100 characters: no line breaks. */
const SUBJECT = /^[\x21-\x7E][\x20-\x7E]{0,99}$/;
const MAX_MESSAGE_BYTES = 262_144;
const PAGE_SIZE = 100;

/** The topic at `arn` (undefined if none), once the ARN is well-formed, of the request's region
 * and not another account's. */
function findTopic(
  ctx: RequestContext,
  arn: string | undefined,
  action: string,
): Topic | undefined {
  const match = arn === undefined ? null : TOPIC_ARN.exec(arn);
  // A topic of another region is not "not found" but a bad parameter, as on AWS.
  if (!arn || !match || match[1] !== ctx.caller.scope.region) throw invalidParameter('TopicArn');
  const topic = ctx.state.topics.get(arn);
  // Topic policies are not simulated: the default one lets only the owning account in.
  if (topic && topic.accountId !== ctx.account.id) {
    throw new AwsError(
      'AuthorizationError',
      `User: ${ctx.caller.principal.arn} is not authorized to perform: SNS:${action} on resource: ${arn}`,
      403,
    );
  }
  return topic;
}

/** Idempotent by name: the same name in the same account and region gives the same topic. */
const createTopic: Handler = ({ params, state, account, caller, now }) => {
  // Attributes and Tags are accepted and ignored.
  const name = params.string('Name');
  if (name === undefined || !TOPIC_NAME.test(name)) throw invalidParameter('Topic Name');
  const { region } = caller.scope;
  const arn = `arn:aws:sns:${region}:${account.id}:${name}`;
  if (!state.topics.has(arn)) {
    state.topics.set(arn, { arn, name, accountId: account.id, region, createDate: now });
  }
  return { TopicArn: arn };
};

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue|BinaryValue`. */
function messageAttributes(ctx: RequestContext): PublishedMessage['messageAttributes'] {
  const attributes: PublishedMessage['messageAttributes'] = {};
  for (let n = 1; ; n += 1) {
    const prefix = `MessageAttributes.entry.${n}`;
    const name = ctx.params.string(`${prefix}.Name`);
    if (name === undefined) return attributes;
    const dataType = ctx.params.string(`${prefix}.Value.DataType`) ?? '';
    const [kind] = dataType.split('.');
    if (kind !== 'String' && kind !== 'Number' && kind !== 'Binary') {
      throw parameterValueInvalid(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const field = kind === 'Binary' ? 'BinaryValue' : 'StringValue';
    const value = ctx.params.string(`${prefix}.Value.${field}`);
    if (!value) {
      throw parameterValueInvalid(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
      );
    }
    if (kind === 'Number' && !Number.isFinite(Number(value))) {
      throw parameterValueInvalid(`Could not cast message attribute '${name}' value to number.`);
    }
    attributes[name] = { dataType, value };
  }
}

/**
 * `MessageStructure: json`: the message is a JSON object of one string per protocol, `default`
 * required (what every protocol without its own key receives). Other keys are ignored by SNS.
 */
function messageStructure(
  structure: string | undefined,
  message: string,
): Record<string, string> | undefined {
  if (structure === undefined) return undefined;
  if (structure !== 'json') throw invalidParameter('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (typeof (parsed as { default?: unknown }).default !== 'string') {
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  return Object.fromEntries(
    entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

const publish: Handler = (ctx) => {
  const { params, state, now } = ctx;
  const subject = params.string('Subject');
  if (subject !== undefined && !SUBJECT.test(subject)) throw invalidParameter('Subject');
  // A missing Message reads as an empty one.
  const message = params.string('Message') ?? '';
  if (message === '') throw invalidParameter('Empty message');
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  const perProtocol = messageStructure(params.string('MessageStructure'), message);
  const attributes = messageAttributes(ctx);
  // TargetArn (platform endpoints) and PhoneNumber (SMS) are not simulated.
  const topicArn = params.string('TopicArn');
  if (topicArn === undefined) {
    throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  }
  if (!findTopic(ctx, topicArn, 'Publish')) throw notFound('Topic does not exist');

  const messageId = randomUUID();
  state.published.push({
    topicArn,
    messageId,
    ...(subject === undefined ? {} : { subject }),
    message,
    ...(perProtocol ? { perProtocol } : {}),
    messageAttributes: attributes,
    at: now,
  });
  return { MessageId: messageId };
};

/** The caller's topics in the request's region, 100 a page. */
const listTopics: Handler = ({ params, state, account, caller }) => {
  const token = params.string('NextToken');
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('NextToken');
  const topics = [...state.topics.values()].filter(
    (topic) => topic.accountId === account.id && topic.region === caller.scope.region,
  );
  const end = start + PAGE_SIZE;
  return {
    Topics: topics.slice(start, end).map((topic) => ({ TopicArn: topic.arn })),
    NextToken: end < topics.length ? String(end) : undefined,
  };
};

/** Idempotent: deleting a topic that does not exist is not an error, as on AWS. */
const deleteTopic: Handler = (ctx) => {
  const topic = findTopic(ctx, ctx.params.string('TopicArn'), 'DeleteTopic');
  if (topic) ctx.state.topics.delete(topic.arn);
  return undefined;
};

export const sns: Service = {
  namespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
  version: '2010-03-31',
  handlers: {
    CreateTopic: createTopic,
    Publish: publish,
    ListTopics: listTopics,
    DeleteTopic: deleteTopic,
  },
};
