import { describe, expect, it } from 'vitest';
import { intakeSecurityHubEvent } from '../../../shared/intake/securityhub-event';
import { loadEvent } from '../../support/deps';

const event = () => loadEvent('securityhub-akia-iam-user.json');
const firstFinding = (e: Record<string, any>) => e.detail.findings[0];

describe('intakeSecurityHubEvent', () => {
  it('takes the key from the resource id and the principal from its details', () => {
    const [intake] = intakeSecurityHubEvent(event(), 'eventbridge', 'fallback');

    expect(intake).toMatchObject({
      kind: 'request',
      request: {
        source: 'securityhub',
        trigger: 'eventbridge',
        accessKeyId: 'AKIAEXAMPLEDEMO00005',
        incidentId: expect.stringMatching(/^securityhub-[0-9a-f]{24}$/),
        finding: {
          accountId: '123456789012',
          severityLabel: 'HIGH',
          principal: {
            userType: 'IAMUser',
            userName: 'demo-data-exporter',
            principalId: 'AIDAEXAMPLEDEMO00004',
          },
        },
      },
    });
  });

  it('gives one incident per finding of a batch, a bad finding failing on its own', () => {
    const batch = event();
    const second = structuredClone(firstFinding(batch));
    second.Id = 'another-finding';
    second.Resources[0].Id = 'AWS::IAM::AccessKey:AKIAEXAMPLEDEMO00002';
    batch.detail.findings.push(second, { Id: 'broken' });

    const intakes = intakeSecurityHubEvent(batch, 'eventbridge', 'fallback');

    expect(
      intakes.map((i) =>
        i.kind === 'request'
          ? i.request.accessKeyId
          : i.kind === 'rejected'
            ? i.rejected.outcome
            : i.kind,
      ),
    ).toEqual(['AKIAEXAMPLEDEMO00005', 'AKIAEXAMPLEDEMO00002', 'failed']);
    expect(intakes[0]?.kind === 'request' && intakes[0].request.incidentId).not.toBe(
      intakes[1]?.kind === 'request' && intakes[1].request.incidentId,
    );
  });

  it('treats a custom action as a person asking', () => {
    const custom = event();
    custom['detail-type'] = 'Security Hub Findings - Custom Action';

    expect(intakeSecurityHubEvent(custom, 'eventbridge', 'fallback')[0]).toMatchObject({
      request: { trigger: 'custom-action' },
    });
  });

  it.each([
    ['a sample finding', (f: any) => Object.assign(f, { Sample: true }), /sample/],
    [
      'a placeholder key',
      (f: any) => {
        f.Resources[0].Id = 'AWS::IAM::AccessKey:GeneratedFindingAccessKeyId';
      },
      /sample/,
    ],
    ['an archived finding', (f: any) => Object.assign(f, { RecordState: 'ARCHIVED' }), /archived/],
    [
      'a suppressed finding',
      (f: any) => Object.assign(f, { Workflow: { Status: 'SUPPRESSED' } }),
      /SUPPRESSED/,
    ],
    [
      'a finding without an access key resource',
      (f: any) => {
        f.Resources[0].Type = 'AwsEc2Instance';
      },
      /no AwsIamAccessKey/,
    ],
    [
      'a key resource naming no key',
      (f: any) => {
        f.Resources[0].Id = 'AWS::IAM::AccessKey:null';
      },
      /names no access key id/,
    ],
  ])('skips %s', (_label, change, reason) => {
    const e = event();
    change(firstFinding(e));

    expect(intakeSecurityHubEvent(e, 'eventbridge', 'fallback')[0]).toMatchObject({
      kind: 'rejected',
      rejected: { outcome: 'skipped', reason: expect.stringMatching(reason) },
    });
  });

  it('fails a resource id that is not a key id, without echoing it', () => {
    const e = event();
    firstFinding(e).Resources[0].Id = 'AWS::IAM::AccessKey:wJalrXUtnFEMIsecret';

    const [intake] = intakeSecurityHubEvent(e, 'eventbridge', 'fallback');

    expect(intake).toMatchObject({ rejected: { outcome: 'failed' } });
    expect(JSON.stringify(intake)).not.toContain('wJalrXUtnFEMIsecret');
  });

  it('derives the severity label from the normalized score when there is no label', () => {
    const e = event();
    firstFinding(e).Severity = { Normalized: 30 };

    expect(intakeSecurityHubEvent(e, 'eventbridge', 'fallback')[0]).toMatchObject({
      request: { finding: { severityLabel: 'LOW' } },
    });
  });

  it("reads the product's own types and severity: BatchUpdateFindings cannot raise them", () => {
    const e = event();
    // A person with securityhub:BatchUpdateFindings rewrote Types and Severity.
    Object.assign(firstFinding(e), {
      Types: ['TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller'],
      Severity: { Label: 'CRITICAL', Normalized: 90 },
      FindingProviderFields: {
        Types: ['TTPs/Discovery/Discovery:S3-BucketEnumeration.Unusual'],
        Severity: { Label: 'LOW', Original: '2.0' },
      },
    });

    expect(intakeSecurityHubEvent(e, 'eventbridge', 'fallback')[0]).toMatchObject({
      request: {
        finding: {
          type: 'TTPs/Discovery/Discovery:S3-BucketEnumeration.Unusual',
          severityLabel: 'LOW',
        },
      },
    });
    expect(
      (intakeSecurityHubEvent(e, 'eventbridge', 'fallback')[0] as any).request.finding.otherTypes,
    ).toBeUndefined();
  });
});
