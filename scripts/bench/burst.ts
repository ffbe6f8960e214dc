import { mulberry32 } from '../../test/stand-in/faults';
import { standInAdmin } from '../../test/stand-in/server';
import { roleFindingEvent, seedRoleSession } from '../../test/support/seed';
import { inBatches, shuffled } from './pool';
import { setUp } from './setup';
import { type Tally, tally } from './tally';
import { runWave } from './wave';

export interface BurstOptions {
  findings: number;
  principals: number;
  concurrency: number;
  /** IAM writes the stand-in accepts per second (AWS `Throttling` beyond). */
  writeRps: number;
  latencyMs: number;
  seed: number;
}

export interface BurstResult extends Tally {
  options: BurstOptions;
  /** Incidents that wrote a revocation, per principal (1 is ideal: later ones find it in place). */
  writesPerPrincipal: { min: number; max: number; mean: number };
  /** IAM writes the stand-in accepted, per action. */
  iamWrites: Record<string, number>;
  /** IAM writes refused with `Throttling` by the stand-in's write rate. */
  throttled: number;
  /** Requests the stand-in received beyond the calls the responder's code made: SDK retries. */
  sdkRetries: number;
  wallMs: number;
  /** Distinct principals ÷ write rate: every principal's one write at the full rate. */
  idealMs: number;
}

/**
 * A wave of GuardDuty findings for the sessions of `principals` roles (`findings ÷ principals`
 * each, as GuardDuty re-publishes a finding and several detectors report one credential), in a
 * seeded random order, all delivered at once to `concurrency` containers. The stand-in throttles
 * IAM writes at `writeRps`. Seeding happens before the limit is switched on.
 */
export async function runBurst(
  options: BurstOptions,
  progress: (line: string) => void,
): Promise<BurstResult> {
  const b = await setUp({ latencyMs: options.latencyMs });
  const admin = standInAdmin(b.standIn);
  try {
    const sessions = await inBatches(options.principals, 10, () => seedRoleSession(b.own));
    const perPrincipal = Math.ceil(options.findings / options.principals);
    const events = Array.from({ length: options.findings }, (_, i) => {
      const s = sessions[i % sessions.length];
      if (!s) throw new Error('no principal seeded');
      const event = roleFindingEvent(b.ownAccount, s.roleName, s.roleId, s.accessKeyId);
      event.id = `burst-event-${i}`;
      event.detail.id = `burst${i}finding${Math.floor(i / sessions.length)}of${perPrincipal}`;
      return event;
    });
    const order = shuffled(events, mulberry32(options.seed));
    progress(
      `  burst: ${events.length} findings for ${sessions.length} roles, concurrency ${options.concurrency}, IAM writes ≤ ${options.writeRps}/s`,
    );

    admin.setIamWriteRps(options.writeRps);
    admin.resetFaultCounts();
    const { outcomes, wallMs, sdkRetries } = await runWave(b, order, options.concurrency, 'burst');
    const counts = admin.faultCounts();
    const writes = new Map(sessions.map((s) => [s.roleName, 0]));
    for (const o of outcomes) {
      for (const r of o.reports) {
        const wrote = r.actions.some(
          (a) =>
            a.name === 'revoke-role-sessions' && (a.status === 'verified' || a.status === 'done'),
        );
        const name = r.principal?.name;
        if (wrote && name) writes.set(name, (writes.get(name) ?? 0) + 1);
      }
    }
    const perRole = [...writes.values()];
    return {
      ...tally(outcomes),
      options,
      writesPerPrincipal: {
        min: Math.min(...perRole),
        max: Math.max(...perRole),
        mean: perRole.reduce((a, n) => a + n, 0) / perRole.length,
      },
      iamWrites: counts.iamWrites,
      throttled: counts.rateLimited,
      sdkRetries,
      wallMs,
      idealMs: (sessions.length / options.writeRps) * 1000,
    };
  } finally {
    await b.standIn.stop();
  }
}
