import { Logger } from '@aws-lambda-powertools/logger';
import { GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onFinding } from '../../functions/on-finding';
import {
  formatCutoff,
  readRevocationPolicy,
  revocationPolicy,
} from '../../shared/revocation/revocation-policy';
import { consoleRevocationPolicy } from '../support/console-policy';
import { TEST_CONFIG } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import { roleFindingEvent, seedRoleSession } from '../support/seed';

/**
 * A containing write that IAM throttles (or whose answer is lost) is retried by the SDK; before
 * the retry, the responder reads whether the write is still needed. The faults come from the
 * test's own HTTP handler around the SDK's, so these run against any endpoint.
 */

let endpoint: Endpoint;
let accountId: string;
const context = { awsRequestId: 'retried-writes' };

beforeAll(async () => {
  endpoint = await useEndpoint();
  accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => endpoint.stop());

type Send = () => Promise<{ response: HttpResponse }>;
/** Sees every IAM request of one incident; `send` passes it on to the endpoint. */
type Intercept = (request: HttpRequest, send: Send) => Promise<{ response: HttpResponse }>;

const throttling = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'Throttling',
    $metadata: { httpStatusCode: 400 },
  });
const connectionReset = () =>
  Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });

/** One incident's deps, its IAM requests going through `intercept`. */
function depsWith(intercept: Intercept) {
  const clients = endpoint.newClients();
  const inner = clients.iam.config.requestHandler;
  clients.iam = new IAMClient({
    region: clients.iam.config.region,
    endpoint: endpoint.url,
    credentials: clients.iam.config.credentials,
    maxAttempts: 3,
    requestHandler: {
      handle: (request: HttpRequest, options?: object) =>
        intercept(request, () => inner.handle(request, options)),
    },
  });
  const logger = new Logger({ serviceName: 'integration', logLevel: 'SILENT' });
  return { clients, config: TEST_CONFIG, logger };
}

/** An IAM query-protocol request's parameter (`Action`, `PolicyDocument`, …). */
function paramOf(request: HttpRequest, name: string): string {
  return new URLSearchParams(String(request.body ?? '')).get(name) ?? '';
}

/** Fails the first PutRolePolicy attempt with `fault`, after running `meanwhile`. */
function firstPutFails(
  fault: () => Error,
  meanwhile: (send: Send, request: HttpRequest) => Promise<unknown>,
) {
  const seen = { puts: 0 };
  const intercept: Intercept = async (request, send) => {
    if (paramOf(request, 'Action') !== 'PutRolePolicy') return send();
    seen.puts += 1;
    if (seen.puts > 1) return send();
    await meanwhile(send, request);
    throw fault();
  };
  return { seen, deps: depsWith(intercept) };
}

async function putRolePolicy(roleName: string, document: string) {
  await endpoint.clients.iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: 'AWSRevokeOlderSessions',
      PolicyDocument: document,
    }),
  );
}

async function cutoffOf(roleName: string): Promise<string> {
  const out = await endpoint.clients.iam.send(
    new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'AWSRevokeOlderSessions' }),
  );
  const existing = readRevocationPolicy(out.PolicyDocument);
  return existing.kind === 'cutoff' ? formatCutoff(existing.cutoff) : existing.kind;
}

const inAnHour = () => formatCutoff(new Date(Date.now() + 3600_000));

async function roleIncident() {
  const session = await seedRoleSession(endpoint.clients);
  const event = roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId);
  return { roleName: session.roleName, event };
}

describe('a throttled revocation write, before the SDK retries it', () => {
  it('writes nothing when another responder’s cutoff landed meanwhile, and says so', async () => {
    const { roleName, event } = await roleIncident();
    const theirs = inAnHour();
    const { seen, deps } = firstPutFails(throttling, () =>
      putRolePolicy(roleName, JSON.stringify(revocationPolicy(theirs))),
    );

    const [report] = await onFinding(event, context, deps);

    expect(seen.puts).toBe(1);
    expect(await cutoffOf(roleName)).toBe(theirs);
    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [
        {
          name: 'revoke-role-sessions',
          status: 'already-in-place',
          detail: expect.stringContaining(`cutoff ${theirs}, written while this write waited`),
        },
      ],
    });
    expect(report?.reason).toMatch(/already contained .*nothing written/);
  });

  it('writes nothing when the same cutoff landed meanwhile: IAM refused this one', async () => {
    const { roleName, event } = await roleIncident();
    // Another finding planned in the same second: the very same document.
    const { seen, deps } = firstPutFails(throttling, (_send, request) =>
      putRolePolicy(roleName, paramOf(request, 'PolicyDocument')),
    );

    const [report] = await onFinding(event, context, deps);

    expect(seen.puts).toBe(1);
    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [{ status: 'already-in-place', detail: expect.stringMatching(/written while/) }],
    });
  });

  it('still writes when what landed meanwhile is a cutoff already past', async () => {
    const { roleName, event } = await roleIncident();
    const past = formatCutoff(new Date(Date.now() - 60_000));
    const before = Date.now();
    const { seen, deps } = firstPutFails(throttling, () =>
      putRolePolicy(roleName, consoleRevocationPolicy(past)),
    );

    const [report] = await onFinding(event, context, deps);

    expect(seen.puts).toBe(2);
    expect(new Date(await cutoffOf(roleName)).getTime()).toBeGreaterThan(before);
    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [{ name: 'revoke-role-sessions', status: 'verified' }],
    });
  });

  it('retries as usual when nothing landed meanwhile', async () => {
    const { roleName, event } = await roleIncident();
    const before = Date.now();
    const { seen, deps } = firstPutFails(throttling, async () => {});

    const [report] = await onFinding(event, context, deps);

    expect(seen.puts).toBe(2);
    expect(new Date(await cutoffOf(roleName)).getTime()).toBeGreaterThan(before);
    expect(report).toMatchObject({ actions: [{ status: 'verified' }] });
  });
});

describe('a revocation write whose answer is lost', () => {
  it('is not sent again: the read before the retry finds it landed', async () => {
    const { roleName, event } = await roleIncident();
    const { seen, deps } = firstPutFails(connectionReset, (send) => send());

    const [report] = await onFinding(event, context, deps);

    expect(seen.puts).toBe(1);
    const cutoff = await cutoffOf(roleName);
    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [
        {
          status: 'verified',
          detail: expect.stringMatching(
            new RegExp(
              `issued before ${cutoff} \\(its answer was lost; read back before a retry\\)`,
            ),
          ),
        },
      ],
    });
  });
});

describe('reading a revocation back', () => {
  it('accepts another writer’s cutoff that still covers the moment of the incident', async () => {
    const { roleName, event } = await roleIncident();
    // Lands right after ours: earlier than ours, but after this incident began.
    const soon = formatCutoff(new Date(Date.now() + 5_000));
    const deps = depsWith(async (request, send) => {
      const answer = await send();
      if (paramOf(request, 'Action') === 'PutRolePolicy') {
        await putRolePolicy(roleName, JSON.stringify(revocationPolicy(soon)));
      }
      return answer;
    });

    const [report] = await onFinding(event, context, deps);

    expect(await cutoffOf(roleName)).toBe(soon);
    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [
        { status: 'verified', detail: expect.stringContaining(`read back: cutoff ${soon}`) },
      ],
    });
  });

  it('fails when the cutoff it finds is before the incident', async () => {
    const { roleName, event } = await roleIncident();
    const past = formatCutoff(new Date(Date.now() - 60_000));
    const deps = depsWith(async (request, send) => {
      const answer = await send();
      if (paramOf(request, 'Action') === 'PutRolePolicy') {
        await putRolePolicy(roleName, consoleRevocationPolicy(past));
      }
      return answer;
    });

    await expect(onFinding(event, context, deps)).rejects.toThrow(/VerificationFailed/);
  });
});
