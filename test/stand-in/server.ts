import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type StandInAdmin, StandInInternals } from './admin';
import { authenticate, credentialScope, type Scope } from './auth';
import {
  type Call,
  jsonParameters,
  queryParameters,
  recordCall,
  responseElementsOf,
} from './cloudtrail-records';
import { AwsError, INJECTABLE_FAULTS } from './errors';
import type { FaultOptions } from './faults';
import { guardDutyHandler } from './guardduty';
import {
  guardDutyError,
  guardDutyRoute,
  isGuardDuty,
  parseGuardDutyBody,
  unknownOperation,
} from './guardduty-protocol';
import type { Handler, Service } from './handler';
import { iam } from './iam';
import { isIamWrite } from './iam-writes';
import { jsonError, parseJsonBody } from './json-protocol';
import { jsonOperation, servicePrefix } from './json-services';
import { Params } from './params';
import { RateLimiter } from './rate-limiter';
import { assertTaskAllows } from './root-tasks';
import { sns } from './sns';
import { StandInState } from './state';
import { sts } from './sts';
import { errorXml, responseXml } from './xml';

export type { OrganizationSettings, RootKeyOptions, StandInAdmin } from './admin';
export type { SeededEvent, SeededIdentity } from './cloudtrail-seeding';
export type { FaultCounts, FaultOptions } from './faults';

export interface StandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Delay added to every response, to make round trips visible in timings. */
  latencyMs?: number;
  /**
   * LookupEvents calls allowed per second per account and region, beyond which it answers
   * ThrottlingException (AWS allows 2). Unset: unlimited.
   */
  cloudTrailRps?: number;
  /**
   * IAM writes (see iam-writes.ts) allowed per second per account, beyond which IAM answers
   * Throttling and nothing changes. Unset: unlimited.
   */
  iamWriteRps?: number;
  /** Random throttling, server errors and dropped connections on every request. Unset: none. */
  faults?: FaultOptions;
}

export interface StandIn {
  url: string;
  stop(): Promise<void>;
  /** Requests received per Action (or CloudTrail or GuardDuty operation), errors included. */
  calls: Map<string, number>;
  resetCalls(): void;
}

/** IAM, STS and SNS share one endpoint; their action names do not collide. CloudTrail and
 * Organizations, on the same endpoint, are told apart by their `X-Amz-Target` header, GuardDuty
 * by its signing name. */
const SERVICES = [iam, sts, sns];
const EVENT_SOURCES = new Map<Service, string>([
  [iam, 'iam.amazonaws.com'],
  [sts, 'sts.amazonaws.com'],
  [sns, 'sns.amazonaws.com'],
]);
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 2 * 1024 * 1024;

const internalsOf = new WeakMap<StandIn, StandInInternals>();

/** Stand-in-only controls (no HTTP, no moto equivalent); see `StandInAdmin`. */
export function standInAdmin(standIn: StandIn): StandInAdmin {
  const internals = internalsOf.get(standIn);
  if (!internals) throw new Error('not a stand-in started by startStandIn');
  return internals.admin();
}

function route(action: string): { service: Service; handler: Handler } | undefined {
  for (const service of SERVICES) {
    // Own properties only: an Action of `constructor` must not reach Object.prototype.
    const handler = Object.hasOwn(service.handlers, action) ? service.handlers[action] : undefined;
    if (handler) return { service, handler };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new AwsError('RequestEntityTooLarge', 'Request is too large', 413);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface Answer {
  status: number;
  body: string;
  requestId: string;
  headers: Record<string, string>;
  /** Close the connection instead of answering (the action has run). */
  dropped?: boolean;
}

/** What every request shares: the call counts, the state, the CloudTrail rate limit. */
interface Runtime {
  internals: StandInInternals;
  calls: Map<string, number>;
  limiter?: RateLimiter;
}

const count = (runtime: Runtime, action: string) =>
  runtime.calls.set(action, (runtime.calls.get(action) ?? 0) + 1);

function callerOf(req: IncomingMessage, url: URL, runtime: Runtime, scope: Scope, now: Date) {
  const token = req.headers['x-amz-security-token'] ?? url.searchParams.get('X-Amz-Security-Token');
  return authenticate(
    runtime.internals.state,
    scope,
    typeof token === 'string' ? token : undefined,
    now,
  );
}

function unexpected(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  console.error('stand-in: unexpected error', error);
  return new AwsError(
    'ServiceFailure',
    'The request processing has failed because of an unknown error.',
    500,
  );
}

/** One Query request (IAM, STS, SNS): parse, count, authenticate, dispatch, record, answer. */
async function answerQuery(req: IncomingMessage, runtime: Runtime): Promise<Answer> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const { internals } = runtime;
  let namespace = iam.namespace;
  let call: Call | undefined;
  let dropped = false;
  try {
    const form = new URLSearchParams(await readBody(req));
    // GET requests (and presigned ones) carry their parameters in the query string.
    for (const [key, value] of url.searchParams) if (!form.has(key)) form.set(key, value);
    const params = new Params(form);
    const action = params.action ?? '';
    count(runtime, action);
    const scope = credentialScope(req.headers, url.searchParams);
    if (scope.service === 'sts') namespace = sts.namespace;
    const routed = route(action);
    if (!routed) {
      const version = form.get('Version') ?? '';
      throw new AwsError(
        'InvalidAction',
        `Could not find operation ${action} for version ${version}`,
        400,
      );
    }
    namespace = routed.service.namespace;
    dropped = internals.admit(action);

    const now = new Date();
    const { state } = internals;
    const caller = callerOf(req, url, runtime, scope, now);
    const write = routed.service === iam && isIamWrite(action);
    // Refused before it is recorded or run: a throttled write leaves no trace.
    if (write && !internals.mayWrite(caller.principal.accountId, now.getTime())) {
      throw INJECTABLE_FAULTS.Throttling();
    }
    const eventSource = EVENT_SOURCES.get(routed.service) ?? '';
    call = {
      caller,
      eventSource,
      eventName: action,
      requestId,
      userAgent: req.headers['user-agent'] ?? '',
      parameters: queryParameters(form),
      now,
    };
    // A refusal is recorded, as CloudTrail records denied calls.
    assertTaskAllows(caller, servicePrefix(eventSource), action);
    const account = state.account(caller.principal.accountId);
    const host = req.headers.host ?? '';
    const result = routed.handler({ params, caller, state, account, now, host });
    recordCall(state, { ...call, response: responseElementsOf(action, result) });
    if (write) internals.wrote(action);
    const body = responseXml(action, namespace, result, requestId);
    return { status: 200, body, requestId, headers: { 'Content-Type': 'text/xml' }, dropped };
  } catch (error) {
    const aws = unexpected(error);
    if (call) recordCall(internals.state, { ...call, error: aws });
    const body = errorXml(namespace, aws, requestId);
    const headers = { 'Content-Type': 'text/xml' };
    return { status: aws.status, body, requestId, headers, dropped };
  }
}

/** One AWS JSON 1.1 request (CloudTrail, Organizations), dispatched on `X-Amz-Target`. */
async function answerJson(req: IncomingMessage, target: string, runtime: Runtime): Promise<Answer> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const { internals } = runtime;
  const headers = { 'Content-Type': JSON_CONTENT_TYPE };
  let call: Call | undefined;
  let dropped = false;
  try {
    const { eventSource, operation, handler: handlerOf } = jsonOperation(target);
    count(runtime, operation);
    const text = await readBody(req);
    const scope = credentialScope(req.headers, url.searchParams);
    const handler = handlerOf();
    const body = parseJsonBody(text);
    dropped = internals.admit(operation);

    const now = new Date();
    const { state } = internals;
    const caller = callerOf(req, url, runtime, scope, now);
    call = {
      caller,
      eventSource,
      eventName: operation,
      requestId,
      userAgent: req.headers['user-agent'] ?? '',
      parameters: jsonParameters(body),
      now,
    };
    assertTaskAllows(caller, servicePrefix(eventSource), operation);
    const result = handler({ body, caller, state, now, limiter: runtime.limiter });
    // Recorded after answering: a lookup does not find itself.
    recordCall(state, call);
    return { status: 200, body: JSON.stringify(result), requestId, headers, dropped };
  } catch (error) {
    const aws = unexpected(error);
    if (call) recordCall(internals.state, { ...call, error: aws });
    const { status, code, body } = jsonError(aws);
    const errorHeaders = { ...headers, 'x-amzn-ErrorType': code };
    return { status, body, requestId, headers: errorHeaders, dropped };
  }
}

/** One GuardDuty request (restJson1), dispatched on its method and path. */
async function answerGuardDuty(req: IncomingMessage, runtime: Runtime): Promise<Answer> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const { internals } = runtime;
  const headers = { 'Content-Type': 'application/json' };
  let call: Call | undefined;
  let dropped = false;
  try {
    const method = req.method ?? 'GET';
    const route = guardDutyRoute(method, url.pathname);
    count(runtime, route?.operation ?? `${method} ${url.pathname}`);
    const text = await readBody(req);
    const scope = credentialScope(req.headers, url.searchParams);
    if (!route) throw unknownOperation(method, url.pathname);
    const handler = guardDutyHandler(route.operation);
    const body = parseGuardDutyBody(text);
    dropped = internals.admit(route.operation);

    const now = new Date();
    const { state } = internals;
    const caller = callerOf(req, url, runtime, scope, now);
    call = {
      caller,
      eventSource: 'guardduty.amazonaws.com',
      eventName: route.operation,
      requestId,
      userAgent: req.headers['user-agent'] ?? '',
      parameters: jsonParameters({ detectorId: route.detectorId, ...body }),
      now,
    };
    assertTaskAllows(caller, 'guardduty', route.operation);
    const result = handler({ detectorId: route.detectorId, body, caller, state });
    recordCall(state, call);
    return { status: 200, body: JSON.stringify(result), requestId, headers, dropped };
  } catch (error) {
    const aws = unexpected(error);
    if (call) recordCall(internals.state, { ...call, error: aws });
    const { status, code, body } = guardDutyError(aws);
    const errorHeaders = { ...headers, 'x-amzn-ErrorType': code };
    return { status, body, requestId, headers: errorHeaders, dropped };
  }
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const internals = new StandInInternals(new StandInState(), options);
  const calls = new Map<string, number>();
  const latencyMs = options.latencyMs ?? 0;
  const runtime: Runtime = { internals, calls };
  if (options.cloudTrailRps !== undefined) runtime.limiter = new RateLimiter(options.cloudTrailRps);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    const answering = isGuardDuty(req.headers, req.url)
      ? answerGuardDuty(req, runtime)
      : typeof target === 'string'
        ? answerJson(req, target, runtime)
        : answerQuery(req, runtime);
    void answering
      .then(async ({ status, body, requestId, headers, dropped }) => {
        if (dropped) {
          // The worst case for a client: the action ran, but no answer (nor status) comes back.
          internals.count('dropped');
          res.destroy();
          return;
        }
        if (latencyMs > 0) await sleep(latencyMs);
        res.writeHead(status, {
          ...headers,
          'Content-Length': Buffer.byteLength(body),
          'x-amzn-RequestId': requestId,
        });
        res.end(body);
      })
      // Only reachable if the client went away mid-answer (e.g. during stop()).
      .catch(() => res.destroy());
  });
  // Node closes an idle keep-alive connection after 5 s; a client reusing it at that moment gets
  // "socket hang up" (seen once while the benchmark seeded with single-attempt clients). Kept for
  // a minute, the race needs a minute's idle connection; stop() closes them all.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const standIn: StandIn = {
    url: `http://127.0.0.1:${port}`,
    calls,
    resetCalls: () => calls.clear(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  internalsOf.set(standIn, internals);
  return standIn;
}
