import { chatCard } from './chat-card';
import { emailText } from './email-text';
import { headline, type NotifiedRecord } from './notified-record';
import { ascii } from './text';

/** SNS Publish: a message is at most 256 KB (262,144 bytes of UTF-8), the JSON structure included. */
export const MAX_MESSAGE_BYTES = 262_144;

/** SMS: 140 ASCII characters fit one message. */
const SMS_CHARS = 140;

/**
 * The topic's message with `MessageStructure: 'json'`: one string per delivery protocol. SNS
 * sends `default` to every protocol without a key of its own.
 */
export interface NotificationMessage {
  /** The full record as JSON, as the topic carried it before: for any other protocol. */
  default: string;
  /** The full record as JSON (the followUp function reads it). */
  lambda?: string;
  sqs?: string;
  'email-json'?: string;
  http?: string;
  /** The chat card: AWS Chatbot / Amazon Q Developer subscribes over https. */
  https: string;
  /** Plain text for people, the full JSON at its end. */
  email: string;
  sms: string;
}

/**
 * The message for every protocol, within SNS's size limit. When the whole does not fit, what
 * goes first: the email-json and http copies (SNS gives them `default`, the same JSON), then the
 * JSON at the end of the email, then the lambda and sqs copies (`default` again).
 */
export function notificationMessage(record: NotifiedRecord): NotificationMessage {
  const json = JSON.stringify(record);
  const base = {
    default: json,
    https: JSON.stringify(chatCard(record)),
    sms: smsLine(headline(record)),
  };
  const machine = { lambda: json, sqs: json };
  const email = emailText(record, { withJson: true });
  const shortEmail = () => emailText(record, { withJson: false });
  const candidates: (() => NotificationMessage)[] = [
    () => ({ ...base, ...machine, 'email-json': json, http: json, email }),
    () => ({ ...base, ...machine, email }),
    () => ({ ...base, ...machine, email: shortEmail() }),
    () => ({ ...base, email: shortEmail() }),
  ];
  let message = base as NotificationMessage;
  for (const candidate of candidates) {
    message = candidate();
    if (messageBytes(message) <= MAX_MESSAGE_BYTES) return message;
  }
  // Still too large: the record itself is. SNS refuses it, and publishing logs that.
  return message;
}

function smsLine(text: string): string {
  const line = ascii(text);
  return line.length <= SMS_CHARS ? line : `${line.slice(0, SMS_CHARS - 3)}...`;
}

/** The size SNS counts: the JSON structure as published, in UTF-8 bytes. */
export function messageBytes(message: NotificationMessage): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}
