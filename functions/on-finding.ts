import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { defaultDeps, throwIfRetryable } from '../shared/entry-points';
import { intakeEvent } from '../shared/intake/any-event';
import { logger } from '../shared/logger';
import type { Report } from '../shared/report/report';
import type { Deps } from '../shared/respond';
import { limitsOf, respondAll } from '../shared/respond-all';

/** EventBridge → GuardDuty, Security Hub or AWS Health event about access keys. One report per incident. */
export async function onFinding(
  event: unknown,
  context: Pick<Context, 'awsRequestId'> & Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
  deps: Deps = defaultDeps(),
): Promise<Report[]> {
  const reports = await respondAll(
    intakeEvent(event, 'eventbridge', `event-${context.awsRequestId}`, 'findings'),
    deps,
    limitsOf(context),
  );
  throwIfRetryable(reports);
  return reports;
}

export const handler = middy((event: unknown, context: Context) => onFinding(event, context)).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
