import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type StandInAdmin, StandInInternals } from './admin';
import { authenticate, credentialScope } from './auth';
import { AwsError } from './errors';
import type { Handler, Service } from './handler';
import { iam } from './iam';
import { Params } from './params';
import { sns } from './sns';
import { StandInState } from './state';
import { sts } from './sts';
import { errorXml, responseXml } from './xml';

export type { StandInAdmin } from './admin';

export interface StandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Delay added to every response, to make round trips visible in timings. */
  latencyMs?: number;
}

export interface StandIn {
  url: string;
  stop(): Promise<void>;
  /** Requests received per Action, errors included. */
  calls: Map<string, number>;
  resetCalls(): void;
}

/** IAM, STS and SNS share one endpoint; their action names do not collide. */
const SERVICES = [iam, sts, sns];
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

/** One request: parse, count, authenticate, dispatch, and answer as AWS would. */
async function answer(
  req: IncomingMessage,
  internals: StandInInternals,
  calls: Map<string, number>,
): Promise<{ status: number; body: string; requestId: string }> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://stand-in');
  let namespace = iam.namespace;
  try {
    const form = new URLSearchParams(await readBody(req));
    // GET requests (and presigned ones) carry their parameters in the query string.
    for (const [key, value] of url.searchParams) if (!form.has(key)) form.set(key, value);
    const params = new Params(form);
    const action = params.action ?? '';
    calls.set(action, (calls.get(action) ?? 0) + 1);
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
    const fault = internals.takeFault(action);
    if (fault) throw fault;

    const token =
      req.headers['x-amz-security-token'] ?? url.searchParams.get('X-Amz-Security-Token');
    const now = new Date();
    const { state } = internals;
    const caller = authenticate(state, scope, typeof token === 'string' ? token : undefined, now);
    const account = state.account(caller.principal.accountId);
    const result = routed.handler({ params, caller, state, account, now });
    return { status: 200, body: responseXml(action, namespace, result, requestId), requestId };
  } catch (error) {
    const aws =
      error instanceof AwsError
        ? error
        : new AwsError(
            'ServiceFailure',
            'The request processing has failed because of an unknown error.',
            500,
          );
    if (!(error instanceof AwsError)) console.error('stand-in: unexpected error', error);
    return { status: aws.status, body: errorXml(namespace, aws, requestId), requestId };
  }
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const internals = new StandInInternals(new StandInState());
  const calls = new Map<string, number>();
  const latencyMs = options.latencyMs ?? 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void answer(req, internals, calls)
      .then(async ({ status, body, requestId }) => {
        if (latencyMs > 0) await sleep(latencyMs);
        res.writeHead(status, {
          'Content-Type': 'text/xml',
          'Content-Length': Buffer.byteLength(body),
          'x-amzn-RequestId': requestId,
        });
        res.end(body);
      })
      // Only reachable if the client went away mid-answer (e.g. during stop()).
      .catch(() => res.destroy());
  });
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
