import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, SourceData } from '@smithy/types';
import { backoffMs } from '../aws-clients';

/**
 * GuardDuty's `GetFindings`, and nothing else of GuardDuty: one signed restJson1 request
 * (`POST /detector/{detectorId}/findings/get`, `{"findingIds": […]}` → `{"findings": […]}` in
 * GuardDuty's camelCase JSON). The SDK's GuardDuty client carries the schema of every GuardDuty
 * shape (about 110 KiB minified) into every function for this one call; the answer is validated
 * by the caller's own schema anyway.
 */
export interface GuardDutyFindings {
  /** The findings GuardDuty has of these ids (unknown ids are left out), as GuardDuty's JSON. */
  getFindings(detectorId: string, findingIds: string[]): Promise<unknown[]>;
}

/** A GuardDuty error, named as the SDK names it (`BadRequestException`, …): awsErrorCode reads it. */
export class GuardDutyError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

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

const ATTEMPTS = 3;
/** GuardDuty answers GetFindings in well under a second: 5 s an attempt, then retried. */
const TIMEOUT_MS = 5_000;

export interface GuardDutyFindingsOptions {
  credentials: AwsCredentialIdentityProvider;
  region: () => Promise<string>;
  /** Default: `AWS_ENDPOINT_URL_GUARDDUTY`, `AWS_ENDPOINT_URL`, else GuardDuty's regional endpoint. */
  endpoint?: string;
}

export function guardDutyFindings(options: GuardDutyFindingsOptions): GuardDutyFindings {
  return {
    async getFindings(detectorId, findingIds) {
      const region = await options.region();
      const base = new URL(
        options.endpoint ??
          process.env.AWS_ENDPOINT_URL_GUARDDUTY ??
          process.env.AWS_ENDPOINT_URL ??
          `https://guardduty.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`,
      );
      const path = `${base.pathname.replace(/\/$/, '')}/detector/${encodeURIComponent(detectorId)}/findings/get`;
      const body = JSON.stringify({ findingIds });
      const signer = new SignatureV4({
        service: 'guardduty',
        region,
        credentials: options.credentials,
        sha256: Sha256,
      });
      for (let attempt = 0; ; attempt++) {
        const signed = await signer.sign({
          method: 'POST',
          protocol: base.protocol,
          hostname: base.hostname,
          ...(base.port ? { port: Number(base.port) } : {}),
          path,
          query: {},
          headers: {
            host: base.host,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          },
          body,
        });
        let answer: Answer | undefined;
        let failure: unknown;
        try {
          answer = await post(new URL(path, base), signed.headers, body);
        } catch (error) {
          failure = error;
        }
        const retryable = !answer || answer.status === 429 || answer.status >= 500;
        if (retryable && attempt + 1 < ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt + 1)));
          continue;
        }
        if (!answer) throw failure;
        if (answer.status < 200 || answer.status > 299) throw errorOf(answer);
        const parsed = JSON.parse(answer.text) as { findings?: unknown };
        return Array.isArray(parsed.findings) ? parsed.findings : [];
      }
    },
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One POST with node's own http(s), which every Lambda runtime has (a global `fetch` is not
 * there in every host that runs the handler: `osls invoke local` replaces it).
 */
function post(url: URL, headers: Record<string, string>, body: string): Promise<Answer> {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, timeout: TIMEOUT_MS }, (res) => {
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
    req.on('timeout', () => req.destroy(new Error('GuardDuty did not answer in time')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The modeled exception in `x-amzn-ErrorType` (the SDK reads it first), else the body's `__type`. */
function errorOf(answer: Answer): GuardDutyError {
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
  return new GuardDutyError(name, message, answer.status);
}
