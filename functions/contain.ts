import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { defaultDeps } from '../shared/entry-points';
import { intakeRequestBody } from '../shared/intake/request-body';
import { logger } from '../shared/logger';
import type { Report } from '../shared/report/report';
import { type Deps, respond } from '../shared/respond';

/**
 * Invoked by a person (Lambda console test event, `osls invoke`): a runbook request or a pasted
 * GuardDuty event. The report is the invocation result, failures included, so it never throws.
 */
export async function contain(
  event: unknown,
  context: Pick<Context, 'awsRequestId'>,
  deps: Deps = defaultDeps(),
): Promise<Report> {
  return respond(intakeRequestBody(event, 'console', `console-${context.awsRequestId}`), deps);
}

export const handler = middy((event: unknown, context: Context) => contain(event, context)).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
