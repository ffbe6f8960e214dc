/**
 * What each way into the responder may carry. EventBridge delivers AWS's own events (`aws.*`
 * sources cannot be sent with PutEvents); the findings topic only EventBridge can publish to; the
 * runbook topic only the principals in RUNBOOK_PUBLISHERS can publish to (its topic policy), and
 * it carries runbook requests only; the `contain` function, which only principals allowed
 * `lambda:InvokeFunction` on it can call, takes either.
 */
export type Accepts = 'findings' | 'runbook' | 'anything';

/** The reason a request or event may not come this way, or undefined when it may. */
export function refusedHere(accepts: Accepts, carries: 'finding' | 'runbook'): string | undefined {
  if (accepts === 'anything') return undefined;
  if (accepts === 'findings' && carries === 'runbook') {
    return 'a runbook request arrived where only AWS finding events are accepted: runbook requests go to the runbook topic or the contain function';
  }
  if (accepts === 'runbook' && carries === 'finding') {
    return 'a finding event arrived on the runbook topic, which carries runbook requests only: findings are acted on only from EventBridge or the findings topic (which only EventBridge can publish to)';
  }
  return undefined;
}

/** The SNS topics the responder reads, and what each may carry. */
export interface Topics {
  runbookTopicArn?: string;
  findingsTopicArn?: string;
}

export function acceptsFromTopic(topicArn: string, topics: Topics): Accepts | undefined {
  if (topics.runbookTopicArn && topicArn === topics.runbookTopicArn) return 'runbook';
  if (topics.findingsTopicArn && topicArn === topics.findingsTopicArn) return 'findings';
  return undefined;
}

/**
 * Security Hub findings produced by an AWS service carry `ProductArn`
 * `arn:<partition>:securityhub:<region>::product/aws/<service>`, with no account. Anyone with
 * `securityhub:BatchImportFindings` can import a finding under the account's own product
 * (`…:<account>:product/<account>/default`), and partners under theirs: only AWS's are acted on.
 */
const AWS_PRODUCT_ARN = /^arn:aws(-[a-z]+)*:securityhub:[a-z0-9-]+::product\/aws\/[a-z0-9-]+$/;

export function isAwsProduct(productArn: string | undefined): boolean {
  return productArn !== undefined && AWS_PRODUCT_ARN.test(productArn);
}

/**
 * The same rule for Security Hub's OCSF findings (`Findings Imported V2`): an AWS service's
 * `metadata.product.uid` is `arn:<partition>:securityhub:<region>::productv2/aws/<service>`.
 */
const AWS_PRODUCT_V2_ARN = /^arn:aws(-[a-z]+)*:securityhub:[a-z0-9-]+::productv2\/aws\/[a-z0-9-]+$/;

export function isAwsProductV2(productUid: string | undefined): boolean {
  return productUid !== undefined && AWS_PRODUCT_V2_ARN.test(productUid);
}
