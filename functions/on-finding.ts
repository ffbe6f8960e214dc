import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { defaultDeps, intakeFindingEvent, throwIfRetryable } from '../shared/entry-points';
import { logger } from '../shared/logger';
import type { Report } from '../shared/report/report';
import { type Deps, respond } from '../shared/respond';

/** EventBridge → GuardDuty finding about an access key. One report per finding. */
export async function onFinding(
  event: unknown,
  context: Pick<Context, 'awsRequestId'>,
  deps: Deps = defaultDeps(),
): Promise<Report[]> {
  const report = await respond(intakeFindingEvent(event, `event-${context.awsRequestId}`), deps);
  throwIfRetryable([report]);
  return [report];
}

export const handler = middy((event: unknown, context: Context) => onFinding(event, context)).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
