/**
 * A token bucket per key: `perSecond` calls a second, bursts of as many (at least one, so a rate
 * below 1 still lets calls through). A refused call takes no token: a client that keeps asking
 * still gets through at the rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;

  constructor(private readonly perSecond: number) {
    if (!(perSecond > 0)) throw new Error(`not a rate: ${perSecond}`);
    this.capacity = Math.max(1, perSecond);
  }

  take(key: string, nowMs: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: nowMs };
    bucket.tokens = Math.min(
      this.capacity,
      bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond,
    );
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
