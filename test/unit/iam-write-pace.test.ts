import {
  GetUserCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import {
  IAM_WRITES_PER_SECOND,
  paceIamWrites,
  WritePace,
  whilePacing,
} from '../../shared/iam-write-pace';

/** The pace of IAM writes, on a fake clock: how long each write waited, and which waited at all. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('the IAM write pace', () => {
  it(`lets ${IAM_WRITES_PER_SECOND} writes go at once, then one every 1/${IAM_WRITES_PER_SECOND} s`, async () => {
    const time = fakeTime();
    const pace = new WritePace(IAM_WRITES_PER_SECOND, time.now, time.sleep);

    for (let i = 0; i < IAM_WRITES_PER_SECOND; i++) await pace.take();
    expect(time.waits).toEqual([]);

    for (let i = 0; i < 4; i++) await pace.take();
    expect(time.now()).toBe(4 * (1000 / IAM_WRITES_PER_SECOND));
  });

  it('saves up at most one second of writes while quiet', async () => {
    const time = fakeTime();
    const pace = new WritePace(8, time.now, time.sleep);
    for (let i = 0; i < 8; i++) await pace.take();

    time.advance(60_000);
    for (let i = 0; i < 8; i++) await pace.take();
    expect(time.waits).toEqual([]);
    await pace.take();
    expect(time.waits).toEqual([125]);
  });

  /** An IAM client that never reaches the network, paced by a pace that records each wait. */
  function pacedClient() {
    const taken: string[] = [];
    const iam = new IAMClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' },
      maxAttempts: 1,
      // Answers nothing: the request is stopped before it leaves.
      requestHandler: {
        handle: async () => {
          throw Object.assign(new Error('offline'), { name: 'Offline' });
        },
      },
    });
    paceIamWrites(iam, { take: async () => void taken.push('write') } as unknown as WritePace);
    const calls = async () => {
      await iam.send(new GetUserCommand({ UserName: 'u' })).catch(() => undefined);
      await iam
        .send(
          new UpdateAccessKeyCommand({
            UserName: 'u',
            AccessKeyId: 'AKIAUNITTEST00000001',
            Status: 'Inactive',
          }),
        )
        .catch(() => undefined);
      await iam
        .send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'p', PolicyDocument: '{}' }))
        .catch(() => undefined);
    };
    return { taken, calls };
  }

  it('holds IAM writes while incidents run together, and never a read', async () => {
    const { taken, calls } = pacedClient();

    await whilePacing(calls);

    expect(taken).toEqual(['write', 'write']);
  });

  it('holds nothing for an incident alone (its containing write never waits)', async () => {
    const { taken, calls } = pacedClient();

    await calls();

    expect(taken).toEqual([]);
  });
});
