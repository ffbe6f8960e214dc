import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { defaultDeps } from '../shared/entry-points';
import { intakeEvent } from '../shared/intake/any-event';
import { logger } from '../shared/logger';
import type { Report } from '../shared/report/report';
import type { Deps } from '../shared/respond';
import { limitsOf, respondAll } from '../shared/respond-all';

/**
 * Invoked by a person (Lambda console test event, `osls invoke`): a runbook request or a pasted
 * GuardDuty, Security Hub or Health event. The report is the invocation result, failures
 * included, so it never throws; an event with several incidents returns a list.
 */
export async function contain(
  event: unknown,
  context: Pick<Context, 'awsRequestId'> & Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
  deps: Deps = defaultDeps(),
): Promise<Report | Report[]> {
  const reports = await respondAll(
    intakeEvent(event, 'console', `console-${context.awsRequestId}`, 'anything'),
    deps,
    limitsOf(context),
  );
  return reports.length === 1 && reports[0] ? reports[0] : reports;
}

export const handler = middy((event: unknown, context: Context) => contain(event, context)).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
