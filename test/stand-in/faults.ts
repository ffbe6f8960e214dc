import { type AwsError, INJECTABLE_FAULTS } from './errors';

/**
 * Random faults for every request (all services), to measure how a client copes with a flaky
 * AWS. Probabilities are 0..1 and drawn independently; the first that hits wins.
 */
export interface FaultOptions {
  /**
   * Answers Throttling (CloudTrail: ThrottlingException; GuardDuty: 429 TooManyRequestsException)
   * before the action runs.
   */
  throttling?: number;
  /**
   * Answers a 500 (ServiceFailure; CloudTrail: InternalFailure; GuardDuty:
   * InternalServerErrorException) before the action runs.
   */
  serverError?: number;
  /**
   * Runs the action, then closes the connection instead of answering (whatever the answer, errors
   * included): the client cannot tell whether it happened, so it must be safe to retry.
   */
  dropped?: number;
  /** Seeds the draws: the same seed and the same requests give the same faults. */
  seed?: number;
}

export const DEFAULT_FAULT_SEED = 1;

/** What the stand-in did to requests since the counts were last reset. */
export interface FaultCounts {
  throttling: number;
  serverError: number;
  dropped: number;
  /** IAM writes refused by `iamWriteRps`. */
  rateLimited: number;
  /** IAM writes that changed state, per action (dropped ones included: they did). */
  iamWrites: Record<string, number>;
}

export const noFaults = (): FaultCounts => ({
  throttling: 0,
  serverError: 0,
  dropped: 0,
  rateLimited: 0,
  iamWrites: {},
});

/** mulberry32: a tiny PRNG, good enough for fault dice and reproducible from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fate of one request: an error instead of the action, or an answer that never leaves. */
export interface Drawn {
  error?: { kind: 'throttling' | 'serverError'; error: AwsError };
  dropped: boolean;
}

function probability(name: string, value: number | undefined): number {
  const p = value ?? 0;
  if (!(p >= 0 && p <= 1)) throw new Error(`faults.${name} is not a probability: ${value}`);
  return p;
}

export class RandomFaults {
  private readonly random: () => number;
  private readonly throttling: number;
  private readonly serverError: number;
  private readonly dropped: number;

  constructor(options: FaultOptions) {
    this.throttling = probability('throttling', options.throttling);
    this.serverError = probability('serverError', options.serverError);
    this.dropped = probability('dropped', options.dropped);
    this.random = mulberry32(options.seed ?? DEFAULT_FAULT_SEED);
  }

  /** Three draws per request whatever comes of them, so request n always meets the same dice. */
  draw(): Drawn {
    const throttled = this.random() < this.throttling;
    const failed = this.random() < this.serverError;
    const dropped = this.random() < this.dropped;
    if (throttled) {
      return {
        error: { kind: 'throttling', error: INJECTABLE_FAULTS.Throttling() },
        dropped: false,
      };
    }
    if (failed) {
      const error = INJECTABLE_FAULTS.ServiceFailure();
      return { error: { kind: 'serverError', error }, dropped: false };
    }
    return { dropped };
  }
}
