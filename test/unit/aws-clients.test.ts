import { describe, expect, it } from 'vitest';
import { backoffMs, createAwsClients, RETRY } from '../../shared/aws-clients';

/** What the SDK's strategies expose beyond the interface the client config declares. */
type Inspectable = { mode: string; maxAttempts(): Promise<number> };

describe('retries of IAM, STS and SNS calls', () => {
  it('wait a random time up to min(cap, base × 2^attempt)', () => {
    const top = () => 0.999_999;
    expect(backoffMs(1, top)).toBe(RETRY.baseMs * 2 - 1);
    expect(backoffMs(3, top)).toBe(RETRY.baseMs * 8 - 1);
    expect(backoffMs(20, top)).toBe(RETRY.capMs - 1);
    expect(backoffMs(5, () => 0)).toBe(0);
  });

  it('are the SDK strategy with the tuned attempts, on every client but CloudTrail', async () => {
    const clients = createAwsClients();

    for (const client of [clients.iam, clients.sts, clients.sns]) {
      const strategy = (await client.config.retryStrategy()) as unknown as Inspectable;
      expect(strategy.mode).toBe('standard');
      expect(await strategy.maxAttempts()).toBe(RETRY.maxAttempts);
    }
    const cloudtrail = (await clients.cloudtrail.config.retryStrategy()) as unknown as Inspectable;
    expect(cloudtrail.mode).toBe('adaptive');
  });
});
