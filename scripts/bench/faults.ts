import type { FaultCounts } from '../../test/stand-in/faults';
import { standInAdmin } from '../../test/stand-in/server';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  userFindingEvent,
} from '../../test/support/seed';
import { inBatches } from './pool';
import { setUp } from './setup';
import { type Tally, tally } from './tally';
import { runWave } from './wave';

export interface FaultRunOptions {
  incidents: number;
  concurrency: number;
  /** Probabilities per request, every service: Throttling, HTTP 500, dropped connection. */
  throttling: number;
  serverError: number;
  dropped: number;
  latencyMs: number;
  seed: number;
}

export interface FaultRunResult extends Tally {
  options: FaultRunOptions;
  /** What the stand-in did: faults injected per kind. */
  injected: Omit<FaultCounts, 'iamWrites' | 'rateLimited'>;
  requests: number;
  sdkRetries: number;
  wallMs: number;
}

/**
 * `incidents` GuardDuty findings, each for its own principal (half IAM users' keys, half role
 * sessions), through `concurrency` containers while the stand-in fails requests at random. Every
 * event goes through Lambda's async retries; what still fails must be on record and reach the
 * on-failure destination.
 */
export async function runFaults(
  options: FaultRunOptions,
  progress: (line: string) => void,
): Promise<FaultRunResult> {
  const b = await setUp({ latencyMs: options.latencyMs });
  const admin = standInAdmin(b.standIn);
  try {
    const users = Math.ceil(options.incidents / 2);
    const events = [
      ...(await inBatches(users, 25, async () => {
        const { userName, accessKeyIds } = await seedUserWithKeys(b.own, 1);
        return userFindingEvent(b.ownAccount, userName, accessKeyIds[0] ?? '');
      })),
      ...(await inBatches(options.incidents - users, 25, async () => {
        const s = await seedRoleSession(b.own);
        return roleFindingEvent(b.ownAccount, s.roleName, s.roleId, s.accessKeyId);
      })),
    ].map((event, i) => {
      event.id = `faults-event-${i}`;
      event.detail.id = `faults${i}finding`;
      return event;
    });
    progress(
      `  faults: ${events.length} incidents, ${options.throttling * 100}% throttling, ${options.serverError * 100}% HTTP 500, ${options.dropped * 100}% dropped`,
    );

    admin.setFaults({
      throttling: options.throttling,
      serverError: options.serverError,
      dropped: options.dropped,
      seed: options.seed,
    });
    admin.resetFaultCounts();
    const { outcomes, wallMs, requests, sdkRetries } = await runWave(
      b,
      events,
      options.concurrency,
      'faults',
    );
    admin.setFaults(undefined);

    const { throttling, serverError, dropped } = admin.faultCounts();
    return {
      ...tally(outcomes),
      options,
      injected: { throttling, serverError, dropped },
      requests,
      sdkRetries,
      wallMs,
    };
  } finally {
    await b.standIn.stop();
  }
}
