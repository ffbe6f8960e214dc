import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchesPattern } from '../support/event-pattern';
import { packageTemplate } from './package-template';

/** The rules, named here by what they route. */
const GUARDDUTY = 'GuardDuty';
const ASFF = 'Security Hub (ASFF)';
const OCSF = 'Security Hub (OCSF)';
const HEALTH = 'Health';
const RULE_OF = new Map([
  ['aws.guardduty GuardDuty Finding', GUARDDUTY],
  ['aws.securityhub Security Hub Findings - Imported', ASFF],
  ['aws.securityhub Findings Imported V2', OCSF],
  ['aws.health AWS Health Event', HEALTH],
]);

/** Each rule of the packaged template, by name. */
let rules: Record<string, unknown>;

beforeAll(() => {
  const template = packageTemplate();
  const patterns = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Events::Rule')
    .map((r) => r.Properties.EventPattern as { source: string[]; 'detail-type': string[] });
  const named = patterns.map((p) => {
    const name = RULE_OF.get(`${p.source[0]} ${p['detail-type'][0]}`);
    if (!name) throw new Error(`a rule this test does not know: ${JSON.stringify(p)}`);
    return [name, p] as const;
  });
  rules = Object.fromEntries(named);
  expect(Object.keys(rules).sort()).toEqual([...RULE_OF.values()].sort());
}, 120_000);

const eventsDir = join(__dirname, '..', '..', 'events');
const event = (name: string) => JSON.parse(readFileSync(join(eventsDir, name), 'utf8'));
const matchingRules = (e: unknown) =>
  Object.keys(rules).filter((name) => matchesPattern(rules[name], e));

describe('EventBridge rules', () => {
  it.each([
    ['guardduty-akia-iam-user.json', GUARDDUTY],
    ['guardduty-asia-assumed-role.json', GUARDDUTY],
    ['guardduty-asia-role-session.json', GUARDDUTY],
    ['guardduty-root-credentials.json', GUARDDUTY],
    ['guardduty-member-root-key.json', GUARDDUTY],
    ['guardduty-protected-role.json', GUARDDUTY],
    ['guardduty-attack-sequence.json', GUARDDUTY],
    ['guardduty-attack-sequence-signals.json', GUARDDUTY],
    ['guardduty-attack-sequence-no-key.json', GUARDDUTY],
    ['guardduty-s3-finding.json', GUARDDUTY],
    ['securityhub-akia-iam-user.json', ASFF],
    ['securityhub-ocsf-guardduty.json', OCSF],
    ['health-exposed-key.json', HEALTH],
  ])('routes %s by the %s rule only', (file, rule) => {
    expect(matchingRules(event(file))).toEqual([rule]);
  });

  it('has a rule for every EventBridge event in events/', () => {
    const eventBridge = readdirSync(eventsDir).filter(
      (f) => !f.startsWith('console-') && !f.startsWith('sns-') && !f.startsWith('follow-up-'),
    );

    for (const file of eventBridge) expect(matchingRules(event(file)), file).toHaveLength(1);
  });

  it.each([
    'arn:aws:securityhub:us-east-1::product/aws/guardduty',
    'arn:aws:securityhub:eu-west-1::product/aws/inspector',
    'arn:aws-us-gov:securityhub:us-gov-west-1::product/aws/guardduty',
  ])('routes a Security Hub finding of an AWS service (%s)', (productArn) => {
    const finding = event('securityhub-akia-iam-user.json');
    finding.detail.findings[0].ProductArn = productArn;

    expect(matchingRules(finding)).toEqual([ASFF]);
  });

  it.each([
    'arn:aws:securityhub:us-east-1::productv2/aws/guardduty',
    'arn:aws:securityhub:eu-west-1::productv2/aws/inspector',
    'arn:aws-us-gov:securityhub:us-gov-west-1::productv2/aws/guardduty',
  ])('routes an OCSF finding of an AWS product (%s)', (productUid) => {
    const finding = event('securityhub-ocsf-guardduty.json');
    finding.detail.findings[0].metadata.product.uid = productUid;

    expect(matchingRules(finding)).toEqual([OCSF]);
  });

  it.each([
    [
      'actor.user',
      (f: any) => Object.assign(f.actor.user, { credential_uid: 'AKIAEXAMPLEKEY000001' }),
    ],
    [
      'actor.session',
      (f: any) => Object.assign(f.actor, { session: { credential_uid: 'ASIAEXAMPLE' } }),
    ],
    [
      'an evidence',
      (f: any) =>
        Object.assign(f, { evidences: [{ actor: { user: { credential_uid: 'ASIAEXAMPLE' } } }] }),
    ],
    [
      'an access-key resource',
      (f: any) => Object.assign(f, { resources: [{ type: 'AWS::IAM::AccessKey' }] }),
    ],
  ])('routes an OCSF finding whose key is in %s, and not without it', (_where, place) => {
    const finding = event('securityhub-ocsf-guardduty.json');
    const [ocsf] = finding.detail.findings;
    delete ocsf.actor.user.credential_uid;
    delete ocsf.resources;
    delete ocsf.evidences;
    expect(matchingRules(finding)).toEqual([]);

    place(ocsf);

    expect(matchingRules(finding)).toEqual([OCSF]);
  });

  it.each([
    ['an attack sequence', 'guardduty-attack-sequence.json'],
    ['an S3 finding that names a key', 'guardduty-s3-finding.json'],
  ])('routes %s by the GuardDuty rule', (_label, file) => {
    expect(matchingRules(event(file))).toEqual([GUARDDUTY]);
  });

  it('routes a Security Hub custom action too', () => {
    const custom = event('securityhub-akia-iam-user.json');
    custom['detail-type'] = 'Security Hub Findings - Custom Action';

    expect(matchingRules(custom)).toEqual([ASFF]);
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
      'a GuardDuty S3 finding that names no key',
      'guardduty-s3-finding.json',
      (e: any) => {
        delete e.detail.resource.accessKeyDetails;
      },
    ],
    [
      'an OCSF finding of a partner product',
      'securityhub-ocsf-guardduty.json',
      (e: any) => {
        e.detail.findings[0].metadata.product.uid =
          'arn:aws:securityhub:us-east-1::productv2/crowdstrike/crowdstrike-falcon';
      },
    ],
    [
      "an OCSF finding imported under the account's own product",
      'securityhub-ocsf-guardduty.json',
      (e: any) => {
        e.detail.findings[0].metadata.product.uid =
          'arn:aws:securityhub:us-east-1:123456789012:productv2/123456789012/default';
      },
    ],
    [
      'an OCSF finding without a product',
      'securityhub-ocsf-guardduty.json',
      (e: any) => {
        delete e.detail.findings[0].metadata.product;
      },
    ],
    [
      'an OCSF finding with no key anywhere (a posture control)',
      'securityhub-ocsf-guardduty.json',
      (e: any) => {
        const [f] = e.detail.findings;
        delete f.actor;
        delete f.evidences;
        f.resources = [{ type: 'AWS::S3::Bucket', uid: 'arn:aws:s3:::demo-bucket' }];
      },
    ],
    [
      'an OCSF finding whose key and AWS product are in two different findings',
      'securityhub-ocsf-guardduty.json',
      (e: any) => {
        const [f] = e.detail.findings;
        const other = structuredClone(f);
        other.metadata.product.uid = 'arn:aws:securityhub:us-east-1::productv2/acme/scanner';
        delete f.actor;
        delete f.evidences;
        delete f.resources;
        e.detail.findings.push(other);
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

  it('routes none of the runbook, SNS and follow-up events (they are not EventBridge events)', () => {
    const others = readdirSync(eventsDir).filter(
      (f) => f.startsWith('console-') || f.startsWith('sns-') || f.startsWith('follow-up-'),
    );

    expect(others.length).toBeGreaterThan(3);
    for (const file of others) expect(matchingRules(event(file))).toEqual([]);
  });
});
