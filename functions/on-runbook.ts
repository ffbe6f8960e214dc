import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { defaultDeps, throwIfRetryable } from '../shared/entry-points';
import { intakeSnsEvent } from '../shared/intake/sns-event';
import { logger } from '../shared/logger';
import type { Report } from '../shared/report/report';
import type { Deps } from '../shared/respond';
import { limitsOf, respondAll } from '../shared/respond-all';

/**
 * SNS → one report per incident; every record is handled even if one fails. Runbook requests only
 * from the runbook topic, finding events only from the findings topic.
 */
export async function onRunbook(
  event: unknown,
  context: Pick<Context, 'awsRequestId'> & Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
  deps: Deps = defaultDeps(),
): Promise<Report[]> {
  const reports = await respondAll(
    intakeSnsEvent(event, `sns-${context.awsRequestId}`, deps.config),
    deps,
    limitsOf(context),
  );
  throwIfRetryable(reports);
  return reports;
}

export const handler = middy((event: unknown, context: Context) => onRunbook(event, context)).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
