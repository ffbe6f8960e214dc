import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import healthEvent from '../../events/health-exposed-key.json';
import { onFinding } from '../../functions/on-finding';
import type { AwsClients } from '../../shared/aws-clients';
import { IncidentFailedError } from '../../shared/entry-points';
import type { Report } from '../../shared/report/report';
import { isIamWrite } from '../../test/stand-in/iam-writes';
import { standInAdmin } from '../../test/stand-in/server';
import { seedUserWithKeys } from '../../test/support/seed';
import { MAX_RETRIES } from './lambda-async';
import { inBatches } from './pool';
import { containerDeps, setUp } from './setup';

export interface BigEventOptions {
  users: number;
  keysPerUser: number;
  latencyMs: number;
  /** IAM writes the stand-in accepts per second (AWS `Throttling` beyond). */
  writeRps: number;
  /** What `getRemainingTimeInMillis` says when each invocation starts (Lambda's timeout). */
  budgetMs: number;
}

export interface Invocation {
  invocation: number;
  /** Reports naming one of the event's keys (from the result or from IncidentFailedError). */
  reports: number;
  contained: number;
  /** Contained with nothing written: every action found already in place. */
  alreadyContained: number;
  /** Keys contained for the first time in this invocation. */
  newlyContained: number;
  failed: number;
  /** Of `failed`: not started for lack of time (`DeadlineExceeded`). */
  failedDeadline: number;
  /** Failed with another error code, by code. */
  failedOther: Record<string, number>;
  /** Any other outcome, by outcome. */
  other: Record<string, number>;
  /** Keys of the event without a report in this invocation. */
  lost: number;
  /** The handler threw IncidentFailedError (Lambda retries the event). */
  threw: boolean;
  wallMs: number;
  budgetMs: number;
  withinBudget: boolean;
  /** IAM writes the stand-in accepted, per action, and the ones it refused (`Throttling`). */
  iamWrites: Record<string, number>;
  throttled: number;
  /** IAM write calls that failed in the end, by the attempts the SDK had made. */
  writesGivenUp: Record<number, number>;
  /**
   * Writes for keys contained in an earlier invocation: actions written (verified or done) in
   * their reports, and on the wire (`UpdateAccessKey` of such a key; `PutUserPolicy`, `TagUser`
   * … of a user whose every named key was contained before).
   */
  writesOnContainedBefore: { reports: number; wire: number };
  /** The actions in the reports of keys contained before, by status (`already-in-place` expected). */
  actionsOnContainedBefore: Record<string, number>;
}

export interface BigEventResult {
  options: BigEventOptions;
  keys: number;
  invocations: Invocation[];
  /** Keys Inactive in IAM after the last invocation (read through the seeding clients). */
  inactiveAtEnd: number;
  met: boolean;
}

type Args = { input: Record<string, unknown> };
type Next = (args: Args) => Promise<unknown>;
const actionOf = (context: { commandName?: string }) =>
  (context.commandName ?? '').replace(/Command$/, '');

/**
 * The IAM writes IAM accepted, with their input: a middleware at the deserialize step (below the
 * SDK's retry step and the responder's check before a retry), so each accepted attempt counts
 * once and a throttled one not at all. And the write calls that failed in the end (above the
 * retry step), by the attempts the SDK made: after one attempt means the SDK did not retry at all
 * (the client's retry quota was empty).
 */
class WriteLog {
  writes: { action: string; accessKeyId?: string; userName?: string }[] = [];
  /** IAM write calls that failed in the end, by the attempts the SDK made (`$metadata.attempts`). */
  gaveUp: Record<number, number> = {};

  attach(clients: AwsClients): AwsClients {
    const stack = clients.iam.middlewareStack as { add(m: unknown, o: unknown): void };
    const accepted = (next: Next, context: { commandName?: string }) => async (args: Args) => {
      const out = await next(args);
      const action = actionOf(context);
      if (isIamWrite(action)) {
        const { AccessKeyId, UserName } = args.input;
        this.writes.push({
          action,
          ...(typeof AccessKeyId === 'string' ? { accessKeyId: AccessKeyId } : {}),
          ...(typeof UserName === 'string' ? { userName: UserName } : {}),
        });
      }
      return out;
    };
    const failed = (next: Next, context: { commandName?: string }) => async (args: Args) => {
      try {
        return await next(args);
      } catch (error) {
        // StopRetry: the responder's check before a retry found the write in place, not a failure.
        if (isIamWrite(actionOf(context)) && (error as Error).name !== 'StopRetry') {
          const attempts =
            (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 0;
          this.gaveUp[attempts] = (this.gaveUp[attempts] ?? 0) + 1;
        }
        throw error;
      }
    };
    stack.add(accepted, { step: 'deserialize', name: 'benchWriteLog' });
    stack.add(failed, { step: 'initialize', name: 'benchWriteFailures' });
    return clients;
  }
}

const written = (r: Report) =>
  r.actions.filter((a) => a.status === 'verified' || a.status === 'done').length;

/**
 * One AWS Health event naming every key of `users` IAM users (`keysPerUser` each) in the
 * responder's own account, against a stand-in with `latencyMs` per call and IAM writes limited to
 * `writeRps`. The real `onFinding` runs with a context whose remaining time counts down from
 * `budgetMs` of wall clock; each invocation that throws is invoked again with the same event, as
 * Lambda's async retries would (at most `maximumRetryAttempts` times, without Lambda's wait).
 */
export async function runBigEvent(
  options: BigEventOptions,
  progress: (line: string) => void,
): Promise<BigEventResult> {
  const b = await setUp({ latencyMs: options.latencyMs });
  const admin = standInAdmin(b.standIn);
  try {
    const users = await inBatches(options.users, 25, () =>
      seedUserWithKeys(b.own, options.keysPerUser),
    );
    const ownerOf = new Map<string, string>();
    for (const u of users) for (const k of u.accessKeyIds) ownerOf.set(k, u.userName);
    const keys = [...ownerOf.keys()];
    // The intake reads up to 100 `affectedEntities` and 100 `resources`: the keys fill both.
    if (keys.length > 200) throw new Error('the intake reads at most 200 keys here');
    const event = {
      ...healthEvent,
      id: 'big-event-1',
      account: b.ownAccount,
      resources: keys.slice(100, 200),
      detail: {
        ...healthEvent.detail,
        eventArn: `arn:aws:health:global::event/RISK/AWS_RISK_CREDENTIALS_EXPOSED/AWS_RISK_CREDENTIALS_EXPOSED-bench-${keys.length}`,
        eventMetadata: { accountId: b.ownAccount },
        affectedEntities: keys.slice(0, 100).map((entityValue) => ({ entityValue })),
      },
    };
    progress(
      `  big event: ${keys.length} keys of ${users.length} users in one Health event, IAM writes ≤ ${options.writeRps}/s, ${options.budgetMs} ms per invocation`,
    );

    admin.setIamWriteRps(options.writeRps);
    const containedIn = new Map<string, number>();
    const invocations: Invocation[] = [];
    for (let n = 1; n <= MAX_RETRIES + 1; n++) {
      admin.resetFaultCounts();
      // Each invocation in a new container (clients, and their SDK retry quota, new): a retry a
      // minute later may find a warm one instead (see BENCHMARKS.md).
      const log = new WriteLog();
      const deps = containerDeps(b, (clients) => log.attach(clients));
      const started = Date.now();
      const context = {
        awsRequestId: `big-event-${n}`,
        getRemainingTimeInMillis: () => started + options.budgetMs - Date.now(),
      };
      let reports: Report[] = [];
      let threw = false;
      try {
        reports = await onFinding(event, context, deps);
      } catch (error) {
        if (!(error instanceof IncidentFailedError)) throw error;
        reports = error.reports;
        threw = true;
      }
      const wallMs = Date.now() - started;
      const counts = admin.faultCounts();

      const before = new Set(containedIn.keys());
      const byKey = new Map<string, Report>();
      for (const r of reports)
        if (r.accessKeyId && ownerOf.has(r.accessKeyId)) byKey.set(r.accessKeyId, r);
      const inv: Invocation = {
        invocation: n,
        reports: byKey.size,
        contained: 0,
        alreadyContained: 0,
        newlyContained: 0,
        failed: 0,
        failedDeadline: 0,
        failedOther: {},
        other: {},
        lost: keys.length - byKey.size,
        threw,
        wallMs,
        budgetMs: options.budgetMs,
        withinBudget: wallMs <= options.budgetMs,
        iamWrites: counts.iamWrites,
        throttled: counts.rateLimited,
        writesGivenUp: log.gaveUp,
        writesOnContainedBefore: { reports: 0, wire: 0 },
        actionsOnContainedBefore: {},
      };
      for (const [key, r] of byKey) {
        if (before.has(key)) {
          inv.writesOnContainedBefore.reports += written(r);
          for (const a of r.actions) {
            const statuses = inv.actionsOnContainedBefore;
            statuses[a.status] = (statuses[a.status] ?? 0) + 1;
          }
        }
        if (r.outcome === 'contained') {
          inv.contained++;
          if (written(r) === 0) inv.alreadyContained++;
          if (!containedIn.has(key)) {
            containedIn.set(key, n);
            inv.newlyContained++;
          }
        } else if (r.outcome === 'failed') {
          inv.failed++;
          if (r.errorCode === 'DeadlineExceeded') inv.failedDeadline++;
          else {
            const code = r.errorCode ?? 'none';
            inv.failedOther[code] = (inv.failedOther[code] ?? 0) + 1;
          }
        } else inv.other[r.outcome] = (inv.other[r.outcome] ?? 0) + 1;
      }
      const doneUsers = new Set(
        users.filter((u) => u.accessKeyIds.every((k) => before.has(k))).map((u) => u.userName),
      );
      for (const w of log.writes) {
        const onDone = w.accessKeyId
          ? before.has(w.accessKeyId)
          : w.userName !== undefined && doneUsers.has(w.userName);
        if (onDone) inv.writesOnContainedBefore.wire++;
      }
      invocations.push(inv);
      progress(
        `  big event, invocation ${n}: ${inv.contained} contained (${inv.newlyContained} new), ${inv.failed} failed (${inv.failedDeadline} deadline), ${inv.lost} lost, ${wallMs} ms`,
      );
      if (!threw) break;
    }
    admin.setIamWriteRps(undefined);

    let inactiveAtEnd = 0;
    for (let i = 0; i < users.length; i += 25) {
      const listed = await Promise.all(
        users
          .slice(i, i + 25)
          .map((u) => b.own.iam.send(new ListAccessKeysCommand({ UserName: u.userName }))),
      );
      for (const out of listed)
        for (const k of out.AccessKeyMetadata ?? [])
          if (k.AccessKeyId && ownerOf.has(k.AccessKeyId) && k.Status === 'Inactive')
            inactiveAtEnd++;
    }
    const met = invocations.every(
      (i) =>
        i.lost === 0 &&
        i.withinBudget &&
        i.writesOnContainedBefore.reports === 0 &&
        i.writesOnContainedBefore.wire === 0,
    );
    return { options, keys: keys.length, invocations, inactiveAtEnd, met };
  } finally {
    await b.standIn.stop();
  }
}
