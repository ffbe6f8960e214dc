import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, SourceData } from '@smithy/types';
import { backoffMs } from './aws-clients';

/**
 * One signed request to an AWS service, for the few calls of services whose SDK client would
 * carry the schema of every one of their shapes into every function (GuardDuty's GetFindings,
 * Organizations' DescribeOrganization, CloudTrail's LookupEvents, Scheduler's two calls, SNS's
 * Publish). Throttling, 5xx and broken connections are retried.
 */

/**
 * An AWS error answer, named as the SDK names it (`BadRequestException`, …; a Query service's
 * `<Code>`, `NotFound`): awsErrorCode reads it.
 */
export class AwsServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface SignedRequestOptions {
  credentials: AwsCredentialIdentityProvider;
  region: () => Promise<string>;
  /** Overrides the endpoint (a stand-in); else the `AWS_ENDPOINT_URL…` variables, else AWS's. */
  endpoint?: string;
}

export interface SignedRequest {
  /** The signing name (`guardduty`, `organizations`, `sns`). */
  service: string;
  /** Checked first: `AWS_ENDPOINT_URL_<envName>`, as the SDK does. */
  envName: string;
  /** AWS's endpoint for a region. */
  awsEndpoint(region: string): string;
  /** Path below the endpoint's own. */
  path: string;
  /** Default POST. */
  method?: 'POST' | 'DELETE';
  query?: Record<string, string>;
  body: string;
  /**
   * `application/json` (restJson), `application/x-amz-json-1.1` with an `x-amz-target`, or
   * `application/x-www-form-urlencoded` (Query).
   */
  headers: Record<string, string>;
  /** How the service words an error: JSON (default) or Query's XML `<Error><Code>`. */
  errors?: 'json' | 'xml';
  /** What a hung service is called in the timeout's message. */
  label: string;
  /** Default 3. Throttling, 5xx and broken connections are retried, with full-jitter backoff. */
  attempts?: number;
  /** Default 5 s an attempt. */
  timeoutMs?: number;
}

const ATTEMPTS = 3;
/** Services answer throttling with a 400 and one of these (SNS: `Throttled`). */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'Throttled',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
/** These calls answer in well under a second: 5 s an attempt, then retried. */
const TIMEOUT_MS = 5_000;

/** The answer's JSON (`{}` for an empty body); throws AwsServiceError for an error answer. */
export async function signedJsonPost(
  options: SignedRequestOptions,
  request: SignedRequest,
): Promise<unknown> {
  const text = await signedRequest(options, request);
  return text.trim() === '' ? {} : JSON.parse(text);
}

/** The answer's body; throws AwsServiceError for an error answer. */
export async function signedRequest(
  options: SignedRequestOptions,
  request: SignedRequest,
): Promise<string> {
  const region = await options.region();
  const base = new URL(
    options.endpoint ??
      process.env[`AWS_ENDPOINT_URL_${request.envName}`] ??
      process.env.AWS_ENDPOINT_URL ??
      request.awsEndpoint(region),
  );
  const path = `${base.pathname.replace(/\/$/, '')}${request.path}`;
  const { body } = request;
  const method = request.method ?? 'POST';
  const query = request.query ?? {};
  const attempts = request.attempts ?? ATTEMPTS;
  const signer = new SignatureV4({
    service: request.service,
    region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  for (let attempt = 0; ; attempt++) {
    const signed = await signer.sign({
      method,
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path,
      query,
      headers: {
        ...request.headers,
        host: base.host,
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    });
    let answer: Answer | undefined;
    let failure: unknown;
    try {
      const url = new URL(path, base);
      for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
      answer = await send(url, method, signed.headers, body, request);
    } catch (error) {
      failure = error;
    }
    const retryable =
      !answer ||
      answer.status === 429 ||
      answer.status >= 500 ||
      (answer.status === 400 && THROTTLING.has(errorOf(answer, request).name));
    if (retryable && attempt + 1 < attempts) {
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt + 1)));
      continue;
    }
    if (!answer) throw failure;
    if (answer.status < 200 || answer.status > 299) throw errorOf(answer, request);
    return answer.text;
  }
}

/** AWS's endpoint host suffix for a region. */
export const dnsSuffix = (region: string) =>
  region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';

/** node:crypto behind the interface SignatureV4 takes. */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined
      ? createHash('sha256')
      : createHmac('sha256', bytes(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One request with node's own http(s), which every Lambda runtime has (a global `fetch` is not
 * there in every host that runs the handler: `osls invoke local` replaces it).
 */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string,
  { label, timeoutMs = TIMEOUT_MS }: SignedRequest,
): Promise<Answer> {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${label} did not answer in time`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The error an answer words, as its service words errors. */
function errorOf(answer: Answer, request: SignedRequest): AwsServiceError {
  return request.errors === 'xml' ? xmlErrorOf(answer) : jsonErrorOf(answer);
}

/** The modeled exception in `x-amzn-ErrorType` (the SDK reads it first), else the body's `__type`. */
function jsonErrorOf(answer: Answer): AwsServiceError {
  let body: { message?: unknown; Message?: unknown; __type?: unknown } = {};
  try {
    body = JSON.parse(answer.text);
  } catch {
    // Not JSON: named by the status alone.
  }
  const header = answer.headers['x-amzn-errortype'];
  const raw = (Array.isArray(header) ? header[0] : header) ?? String(body.__type ?? '');
  const name = raw.split(':')[0]?.split('#').at(-1) || `HTTP${answer.status}`;
  const message = String(body.message ?? body.Message ?? `HTTP ${answer.status}`);
  return new AwsServiceError(name, message, answer.status);
}

const XML_ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
  '&amp;': '&',
};

/** A Query service's `<ErrorResponse><Error><Code>…</Code><Message>…</Message>`. */
function xmlErrorOf(answer: Answer): AwsServiceError {
  const field = (tag: string) =>
    new RegExp(`<${tag}>([^<]*)</${tag}>`)
      .exec(answer.text)?.[1]
      ?.replace(/&(lt|gt|quot|apos|amp);/g, (entity) => XML_ENTITIES[entity] ?? entity);
  return new AwsServiceError(
    field('Code') || `HTTP${answer.status}`,
    field('Message') ?? `HTTP ${answer.status}`,
    answer.status,
  );
}
