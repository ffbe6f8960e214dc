import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchesPattern } from '../support/event-pattern';
import { packageTemplate } from './package-template';

/** Each rule, from the packaged template, by the source it routes. */
let rules: Record<string, unknown>;

beforeAll(() => {
  const template = packageTemplate();
  const patterns = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Events::Rule')
    .map((r) => r.Properties.EventPattern as { source: string[] });
  rules = Object.fromEntries(patterns.map((p) => [p.source[0], p]));
}, 120_000);

const eventsDir = join(__dirname, '..', '..', 'events');
const event = (name: string) => JSON.parse(readFileSync(join(eventsDir, name), 'utf8'));
const matchingRules = (e: unknown) =>
  Object.keys(rules).filter((source) => matchesPattern(rules[source], e));

describe('EventBridge rules', () => {
  it.each([
    ['guardduty-akia-iam-user.json', 'aws.guardduty'],
    ['guardduty-asia-assumed-role.json', 'aws.guardduty'],
    ['guardduty-asia-role-session.json', 'aws.guardduty'],
    ['guardduty-root-credentials.json', 'aws.guardduty'],
    ['guardduty-protected-role.json', 'aws.guardduty'],
    ['securityhub-akia-iam-user.json', 'aws.securityhub'],
    ['health-exposed-key.json', 'aws.health'],
  ])('routes %s by the %s rule only', (file, source) => {
    expect(matchingRules(event(file))).toEqual([source]);
  });

  it.each([
    'arn:aws:securityhub:us-east-1::product/aws/guardduty',
    'arn:aws:securityhub:eu-west-1::product/aws/inspector',
    'arn:aws-us-gov:securityhub:us-gov-west-1::product/aws/guardduty',
  ])('routes a Security Hub finding of an AWS service (%s)', (productArn) => {
    const finding = event('securityhub-akia-iam-user.json');
    finding.detail.findings[0].ProductArn = productArn;

    expect(matchingRules(finding)).toEqual(['aws.securityhub']);
  });

  it('routes a Security Hub custom action too', () => {
    const custom = event('securityhub-akia-iam-user.json');
    custom['detail-type'] = 'Security Hub Findings - Custom Action';

    expect(matchingRules(custom)).toEqual(['aws.securityhub']);
  });

  it.each([
    [
      'a GuardDuty finding about an EC2 instance',
      'guardduty-akia-iam-user.json',
      (e: any) => {
        e.detail.resource = { resourceType: 'Instance' };
      },
    ],
    [
      'a Security Hub finding without an access key',
      'securityhub-akia-iam-user.json',
      (e: any) => {
        e.detail.findings[0].Resources[0].Type = 'AwsEc2Instance';
      },
    ],
    [
      "a Security Hub finding imported under the account's own product",
      'securityhub-akia-iam-user.json',
      (e: any) => {
        e.detail.findings[0].ProductArn =
          'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default';
      },
    ],
    [
      "a Security Hub finding of a partner's product",
      'securityhub-akia-iam-user.json',
      (e: any) => {
        e.detail.findings[0].ProductArn =
          'arn:aws:securityhub:us-east-1::product/crowdstrike/crowdstrike-falcon';
      },
    ],
    [
      'a Security Hub finding with no ProductArn',
      'securityhub-akia-iam-user.json',
      (e: any) => {
        delete e.detail.findings[0].ProductArn;
      },
    ],
    [
      'a Health event of another kind',
      'health-exposed-key.json',
      (e: any) => {
        e.detail.eventTypeCode = 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED';
      },
    ],
    [
      'an event from another source',
      'guardduty-akia-iam-user.json',
      (e: any) => {
        e.source = 'aws.ec2';
      },
    ],
  ])('does not route %s', (_label, file, change) => {
    const e = event(file);
    change(e);

    expect(matchingRules(e)).toEqual([]);
  });

  it('routes none of the runbook and SNS events (they are not EventBridge events)', () => {
    const others = readdirSync(eventsDir).filter(
      (f) => f.startsWith('console-') || f.startsWith('sns-'),
    );

    expect(others.length).toBeGreaterThan(3);
    for (const file of others) expect(matchingRules(event(file))).toEqual([]);
  });
});
