import { randomBytes } from 'node:crypto';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateUserCommand, GetUserCommand, IAMClient, TagUserCommand } from '@aws-sdk/client-iam';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FaultOptions,
  type StandIn,
  type StandInOptions,
  standInAdmin,
  startStandIn,
} from '../stand-in/server';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const ADMIN: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };

let running: StandIn[] = [];

afterEach(async () => {
  await Promise.all(running.map((standIn) => standIn.stop()));
  running = [];
});

async function start(options: StandInOptions) {
  const standIn = await startStandIn({ port: 0, ...options });
  running.push(standIn);
  return { standIn, admin: standInAdmin(standIn) };
}

/** Real SDK clients over HTTP, without retries so every fault reaches the test. */
function clients(standIn: StandIn, credentials: Credentials = ADMIN) {
  const config = { region: 'us-east-1', endpoint: standIn.url, credentials, maxAttempts: 1 };
  return {
    iam: new IAMClient(config),
    sts: new STSClient(config),
    sns: new SNSClient(config),
    cloudTrail: new CloudTrailClient(config),
  };
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

type Failure = Error & {
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
  code?: string;
};

/** The exception an SDK call rejects with, for asserting on name and HTTP status. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Failure,
  );
  if (!error) throw new Error('expected the call to fail');
  return {
    name: error.name,
    status: error.$metadata?.httpStatusCode,
    fault: error.$fault,
    message: error.message,
    code: error.code,
  };
}

/** What a client saw: 'ok', an AWS error with its status, or 'dropped' (no HTTP answer at all). */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (e) {
    const status = (e as Failure).$metadata?.httpStatusCode;
    return status === undefined ? 'dropped' : `${(e as Error).name} ${status}`;
  }
}

const exists = (iam: IAMClient, userName: string) =>
  outcome(iam.send(new GetUserCommand({ UserName: userName }))).then((seen) => seen === 'ok');

describe('iamWriteRps', () => {
  it('answers Throttling beyond the rate without writing, never limits reads, then refills', async () => {
    const { standIn, admin } = await start({ iamWriteRps: 2 });
    const { iam } = clients(standIn);
    const [first, second, refused] = [unique('user'), unique('user'), unique('user')];

    await iam.send(new CreateUserCommand({ UserName: first }));
    await iam.send(new CreateUserCommand({ UserName: second }));
    const third = await failure(iam.send(new CreateUserCommand({ UserName: refused })));
    const reads: string[] = [];
    for (let i = 0; i < 5; i += 1)
      reads.push(await outcome(iam.send(new GetUserCommand({ UserName: first }))));
    const refusedExists = await exists(iam, refused);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const later = await iam.send(new CreateUserCommand({ UserName: refused }));

    expect(third).toMatchObject({
      name: 'Throttling',
      status: 400,
      fault: 'client',
      message: 'Rate exceeded',
    });
    expect(reads).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(refusedExists).toBe(false);
    expect(later.User?.UserName).toBe(refused);
    expect(standIn.calls.get('CreateUser')).toBe(4);
    expect(admin.faultCounts()).toEqual({
      throttling: 0,
      serverError: 0,
      dropped: 0,
      rateLimited: 1,
      iamWrites: { CreateUser: 3 },
    });
  });

  it('limits every mutating action, per account', async () => {
    const { standIn, admin } = await start({ iamWriteRps: 1 });
    const { iam } = clients(standIn);
    const userName = unique('user');
    const other = clients(standIn, admin.rootCredentials('210987654321')).iam;

    await iam.send(new CreateUserCommand({ UserName: userName }));
    const tag = await failure(
      iam.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: 'k', Value: 'v' }] })),
    );
    const elsewhere = await outcome(other.send(new CreateUserCommand({ UserName: userName })));

    expect(tag).toMatchObject({ name: 'Throttling', status: 400 });
    expect(elsewhere).toBe('ok');
    expect(admin.faultCounts()).toMatchObject({ rateLimited: 1, iamWrites: { CreateUser: 2 } });
  });

  it('can be set and lifted while running', async () => {
    const { standIn, admin } = await start({});
    const { iam } = clients(standIn);
    const create = () => outcome(iam.send(new CreateUserCommand({ UserName: unique('user') })));

    const unlimited = [await create(), await create(), await create()];
    admin.setIamWriteRps(1);
    const limited = [await create(), await create()];
    admin.setIamWriteRps(undefined);
    const lifted = [await create(), await create()];

    expect(unlimited).toEqual(['ok', 'ok', 'ok']);
    expect(limited).toEqual(['ok', 'Throttling 400']);
    expect(lifted).toEqual(['ok', 'ok']);
  });
});

describe('random faults', () => {
  it('throttles every service when throttling is 1, before anything runs', async () => {
    const { standIn, admin } = await start({ faults: { throttling: 1 } });
    const { iam, sts, sns, cloudTrail } = clients(standIn);
    const userName = unique('user');

    const seen = [
      await failure(iam.send(new CreateUserCommand({ UserName: userName }))),
      await failure(sts.send(new GetCallerIdentityCommand({}))),
      await failure(sns.send(new ListTopicsCommand({}))),
      await failure(cloudTrail.send(new LookupEventsCommand({}))),
    ];
    admin.setFaults(undefined);

    expect(seen.map(({ name, status }) => `${name} ${status}`)).toEqual([
      'Throttling 400',
      'Throttling 400',
      'Throttling 400',
      'ThrottlingException 400',
    ]);
    expect(await exists(iam, userName)).toBe(false);
    expect(admin.faultCounts()).toMatchObject({ throttling: 4, serverError: 0, dropped: 0 });
    expect(Object.fromEntries(standIn.calls)).toMatchObject({
      CreateUser: 1,
      GetCallerIdentity: 1,
      ListTopics: 1,
      LookupEvents: 1,
    });
  });

  it('answers 500 on every service when serverError is 1, before anything runs', async () => {
    const { standIn, admin } = await start({ faults: { serverError: 1 } });
    const { iam, sts, cloudTrail } = clients(standIn);
    const userName = unique('user');

    const seen = [
      await failure(iam.send(new CreateUserCommand({ UserName: userName }))),
      await failure(sts.send(new GetCallerIdentityCommand({}))),
      await failure(cloudTrail.send(new LookupEventsCommand({}))),
    ];
    admin.setFaults(undefined);

    // IAM's SDK models ServiceFailure as ServiceFailureException; STS's does not model it.
    expect(seen.map(({ name, status, fault }) => `${name} ${status} ${fault}`)).toEqual([
      'ServiceFailureException 500 server',
      'ServiceFailure 500 server',
      'InternalFailure 500 server',
    ]);
    expect(await exists(iam, userName)).toBe(false);
    expect(admin.faultCounts()).toMatchObject({ throttling: 0, serverError: 3, dropped: 0 });
  });

  it('drops the connection after the action ran when dropped is 1', async () => {
    const { standIn, admin } = await start({ faults: { dropped: 1 } });
    const userName = unique('user');

    const seen = await failure(
      clients(standIn).iam.send(new CreateUserCommand({ UserName: userName })),
    );
    admin.setFaults(undefined);
    const { User } = await clients(standIn).iam.send(new GetUserCommand({ UserName: userName }));

    // No HTTP status: the socket closed before any answer (the SDK calls it a TimeoutError).
    expect(seen).toMatchObject({ status: undefined, code: 'ECONNRESET' });
    expect(User?.UserName).toBe(userName);
    expect(standIn.calls.get('CreateUser')).toBe(1);
    expect(admin.faultCounts()).toEqual({
      throttling: 0,
      serverError: 0,
      dropped: 1,
      rateLimited: 0,
      iamWrites: { CreateUser: 1 },
    });
  });

  it('delays fault answers by latencyMs, but drops at once', async () => {
    const { standIn, admin } = await start({ latencyMs: 400, faults: { throttling: 1 } });
    const { sts } = clients(standIn);
    const timed = async () => {
      const started = performance.now();
      const seen = await outcome(sts.send(new GetCallerIdentityCommand({})));
      return { seen, ms: performance.now() - started };
    };

    const throttled = await timed();
    admin.setFaults({ dropped: 1 });
    const dropped = await timed();

    expect(throttled.seen).toBe('Throttling 400');
    expect(throttled.ms).toBeGreaterThanOrEqual(390);
    expect(dropped.seen).toBe('dropped');
    expect(dropped.ms).toBeLessThan(300);
  });

  describe('seeded', () => {
    const FAULTS: FaultOptions = { throttling: 0.2, serverError: 0.2, dropped: 0.2, seed: 42 };

    /** Forty calls in sequence (order decides which request meets which draw). */
    async function run(faults: FaultOptions) {
      const { standIn, admin } = await start({ faults });
      const { sts } = clients(standIn);
      const seen: string[] = [];
      for (let i = 0; i < 40; i += 1)
        seen.push(await outcome(sts.send(new GetCallerIdentityCommand({}))));
      return { standIn, admin, seen };
    }

    const tally = (seen: string[], what: string) => seen.filter((s) => s === what).length;

    it('gives the same faults for the same seed and a different run for another', async () => {
      const one = await run(FAULTS);
      const two = await run(FAULTS);
      const other = await run({ ...FAULTS, seed: 7 });

      expect(two.seen).toEqual(one.seen);
      expect(two.admin.faultCounts()).toEqual(one.admin.faultCounts());
      expect(other.seen).not.toEqual(one.seen);
    });

    it('counts what the client saw, and resets the counts', async () => {
      const { standIn, admin, seen } = await run(FAULTS);
      const counts = admin.faultCounts();
      admin.resetFaultCounts();

      expect(counts).toEqual({
        throttling: tally(seen, 'Throttling 400'),
        serverError: tally(seen, 'ServiceFailure 500'),
        dropped: tally(seen, 'dropped'),
        rateLimited: 0,
        iamWrites: {},
      });
      // Every kind shows up, and some calls get through, so the comparison above means something.
      expect(counts.throttling).toBeGreaterThan(0);
      expect(counts.serverError).toBeGreaterThan(0);
      expect(counts.dropped).toBeGreaterThan(0);
      expect(tally(seen, 'ok')).toBeGreaterThan(0);
      expect(standIn.calls.get('GetCallerIdentity')).toBe(40);
      expect(admin.faultCounts()).toEqual({
        throttling: 0,
        serverError: 0,
        dropped: 0,
        rateLimited: 0,
        iamWrites: {},
      });
    });
  });

  it('rejects a probability outside 0..1', async () => {
    await expect(start({ faults: { throttling: 1.5 } })).rejects.toThrow(/not a probability/);
  });
});
