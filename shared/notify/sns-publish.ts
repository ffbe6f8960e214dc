import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { HTTP, RETRY } from '../aws-clients';
import { dnsSuffix, signedRequest } from '../signed-request';

/** The parts of SNS's `Publish` the responder uses (the SDK's names). */
export interface PublishInput {
  TopicArn: string;
  Subject?: string;
  Message: string;
  MessageStructure?: 'json';
  MessageAttributes?: Record<string, { DataType: 'String'; StringValue: string }>;
}

/**
 * The notification topic, as the responder publishes to it: SNS's `Publish` and nothing else.
 * A signed Query request rather than the SDK's SNS client: publishing comes after the containing
 * write, yet the client (about 21 KiB minified, its schema and errors) was compiled and evaluated
 * at every cold start. Errors keep SNS's codes (`NotFound`, `AuthorizationError`), which is what
 * awsErrorCode gives for the SDK's exceptions too.
 */
export interface Notifications {
  publish(input: PublishInput): Promise<void>;
}

export interface NotificationsOptions {
  credentials: AwsCredentialIdentityProvider;
  region: () => Promise<string>;
  /** Default: `AWS_ENDPOINT_URL_SNS`, `AWS_ENDPOINT_URL`, else SNS's regional endpoint. */
  endpoint?: string;
  /** Default: as many as the SDK clients' (aws-clients.ts, RETRY). */
  attempts?: number;
}

/** The SDK's Query encoding: encodeURIComponent, and `!'()*` too. */
const encode = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** `Publish`'s input as Query form fields, `MessageAttributes` as `entry.N.Name` / `.Value.*`. */
export function publishForm(input: PublishInput): string {
  const fields: [string, string][] = [
    ['Action', 'Publish'],
    ['Version', '2010-03-31'],
    ['TopicArn', input.TopicArn],
    ['Message', input.Message],
  ];
  if (input.Subject !== undefined) fields.push(['Subject', input.Subject]);
  if (input.MessageStructure !== undefined)
    fields.push(['MessageStructure', input.MessageStructure]);
  Object.entries(input.MessageAttributes ?? {}).forEach(([name, value], i) => {
    const entry = `MessageAttributes.entry.${i + 1}`;
    fields.push([`${entry}.Name`, name]);
    fields.push([`${entry}.Value.DataType`, value.DataType]);
    fields.push([`${entry}.Value.StringValue`, value.StringValue]);
  });
  return fields.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&');
}

export function notifications(options: NotificationsOptions): Notifications {
  return {
    async publish(input) {
      await signedRequest(options, {
        service: 'sns',
        envName: 'SNS',
        awsEndpoint: (region) => `https://sns.${region}.${dnsSuffix(region)}`,
        path: '/',
        body: publishForm(input),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        errors: 'xml',
        label: 'SNS',
        attempts: options.attempts ?? RETRY.maxAttempts,
        timeoutMs: HTTP.requestTimeout,
      });
    },
  };
}
