import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { defaultDeps, IncidentFailedError } from '../shared/entry-points';
import { followUp } from '../shared/follow-up/follow-up';
import { metricLine } from '../shared/follow-up/follow-up-metrics';
import type { FollowUpRecord } from '../shared/follow-up/follow-up-record';
import { intakeFollowUp } from '../shared/follow-up/follow-up-request';
import { failedFollowUp } from '../shared/follow-up/sweep';
import { logger } from '../shared/logger';
import { publishRecord } from '../shared/notify/publish-report';
import type { Deps } from '../shared/respond';

/**
 * After a containment, off its critical path: the notification topic delivers the report of every
 * containment here (an SNS filter passes `contained` only), which is swept for persistence and
 * gets its hold check scheduled; EventBridge Scheduler brings the hold check back later. A person
 * can ask for either (events/follow-up-*.json). One record per request, logged, published and
 * returned; an AWS failure throws after the records are logged, so Lambda retries.
 */
export async function onFollowUp(
  event: unknown,
  _context: Pick<Context, 'awsRequestId'>,
  deps: Deps = defaultDeps(),
  emit: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<FollowUpRecord[]> {
  const clock = deps.clock ?? Date.now;
  const records: FollowUpRecord[] = [];
  for (const intake of intakeFollowUp(event, deps.config.notificationTopicArn)) {
    if (intake.kind === 'ignored') {
      deps.logger.info('not followed up', { reason: intake.reason });
      continue;
    }
    const { request } = intake;
    deps.logger.appendKeys({ incidentId: request.incidentId, accessKeyId: request.accessKeyId });
    let record: FollowUpRecord;
    try {
      record = await followUp(request, deps);
    } catch (error) {
      deps.logger.error('follow-up failed', { error: error as Error });
      record = failedFollowUp(request.check === 'hold-check' ? 'hold' : 'sweep', request, error);
    }
    const level =
      record.outcome === 'failed' || record.outcome === 'still-in-use'
        ? 'error'
        : record.outcome === 'held' || record.outcome === 'clean' || record.outcome === 'skipped'
          ? 'info'
          : 'warn';
    deps.logger[level]('follow-up record', { followUp: record });
    emit(metricLine(record, clock()));
    if (record.outcome !== 'skipped') {
      const subject = `[FOLLOW-UP ${record.outcome.toUpperCase()}] ${record.incidentId}`;
      await publishRecord(
        subject,
        record,
        deps.config.notificationTopicArn,
        deps.clients,
        deps.logger,
      );
    }
    deps.logger.resetKeys();
    records.push(record);
  }
  // Retried: the follow-up itself failed, or a containment it made did (both are idempotent).
  const failed = records.filter((r) => r.outcome === 'failed' || r.errorCode !== null);
  if (failed.length > 0) {
    throw new IncidentFailedError(
      `${failed.length} follow-up(s) failed: ${failed.map((r) => `${r.incidentId}: ${r.errorCode}`).join(', ')}`,
      [],
    );
  }
  return records;
}

export const handler = middy((event: unknown, context: Context) => onFollowUp(event, context)).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
