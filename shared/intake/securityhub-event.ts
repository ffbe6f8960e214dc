import * as z from 'zod/mini';
import { ACCESS_KEY_ID_PATTERN, ACCOUNT_ID_PATTERN } from '../access-key-id';
import { digest } from '../digest';
import type { Intake, IntakeContext, SeverityLabel, Trigger } from '../request';
import { isAwsProduct } from '../trust/channels';
import { accepted, rejected } from './intake-result';
import { lazily } from './lazily';
import { findingPrincipal, isPlaceholder } from './principal';
import { describeIssues } from './schema-errors';
import { intakeOcsfFindings } from './securityhub-ocsf';
import { normalizedSeverityLabel, SEVERITY_LABELS } from './severity';

/**
 * Security Hub findings (ASFF) via EventBridge; OCSF ones (`Findings Imported V2`) are read by
 * securityhub-ocsf.ts. A finding is about an access key when one of its
 * resources is an `AwsIamAccessKey` whose `Id` is `AWS::IAM::AccessKey:<key id>`; the principal is
 * in `Details.AwsIamAccessKey`. Each finding of a batch is its own incident.
 */
const schemas = lazily(() => {
  const accessKeyDetailsSchema = z.looseObject({
    PrincipalId: z.optional(z.string().check(z.maxLength(256))),
    PrincipalName: z.optional(z.string().check(z.maxLength(256))),
    PrincipalType: z.optional(z.string().check(z.maxLength(64))),
    /** Deprecated by ASFF in favour of PrincipalName, still sent by some producers. */
    UserName: z.optional(z.string().check(z.maxLength(256))),
  });

  const resourceSchema = z.looseObject({
    Type: z.string().check(z.maxLength(256)),
    Id: z.string().check(z.maxLength(512)),
    Region: z.optional(z.string().check(z.maxLength(32))),
    Details: z.optional(z.looseObject({ AwsIamAccessKey: z.optional(accessKeyDetailsSchema) })),
  });

  const findingSchema = z.looseObject({
    Id: z.string().check(z.minLength(1), z.maxLength(512)),
    ProductArn: z.string().check(z.maxLength(512)),
    AwsAccountId: z.string().check(z.regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit account id')),
    Region: z.optional(z.string().check(z.maxLength(32))),
    Types: z.optional(z.array(z.string().check(z.maxLength(256))).check(z.maxLength(50))),
    Title: z.optional(z.string().check(z.maxLength(256))),
    Severity: z.looseObject({
      Label: z.optional(z.enum(SEVERITY_LABELS as [SeverityLabel, ...SeverityLabel[]])),
      Normalized: z.optional(z.number().check(z.gte(0), z.lte(100))),
    }),
    /**
     * What the product itself said: `BatchUpdateFindings` (open to anyone granted it) can rewrite
     * `Types` and `Severity`, never these, so the automatic-containment policy reads these first.
     */
    FindingProviderFields: z.optional(
      z.looseObject({
        Types: z.optional(z.array(z.string().check(z.maxLength(256))).check(z.maxLength(50))),
        Severity: z.optional(
          z.looseObject({
            Label: z.optional(z.enum(SEVERITY_LABELS as [SeverityLabel, ...SeverityLabel[]])),
          }),
        ),
      }),
    ),
    Workflow: z.optional(z.looseObject({ Status: z.string().check(z.maxLength(32)) })),
    RecordState: z.optional(z.string().check(z.maxLength(32))),
    Sample: z.optional(z.boolean()),
    Resources: z.array(resourceSchema).check(z.minLength(1), z.maxLength(32)),
  });

  const securityHubEventSchema = z.looseObject({
    source: z.literal('aws.securityhub'),
    'detail-type': z.enum([
      'Security Hub Findings - Imported',
      'Security Hub Findings - Custom Action',
      'Findings Imported V2',
    ]),
    detail: z.looseObject({
      findings: z.array(z.unknown()).check(z.minLength(1), z.maxLength(100)),
    }),
  });
  return { resourceSchema, findingSchema, securityHubEventSchema };
});
type Schemas = ReturnType<typeof schemas>;
type Finding = z.infer<Schemas['findingSchema']>;

const KEY_RESOURCE_ID = /^AWS::IAM::AccessKey:(.*)$/;

export function intakeSecurityHubEvent(
  event: unknown,
  trigger: Trigger,
  fallbackId: string,
): Intake[] {
  const parsed = schemas().securityHubEventSchema.safeParse(event);
  if (!parsed.success) {
    const context = { incidentId: fallbackId, source: 'securityhub' as const, trigger };
    return [
      rejected(
        context,
        'failed',
        `not a valid Security Hub findings event: ${describeIssues(parsed.error)}`,
      ),
    ];
  }
  if (parsed.data['detail-type'] === 'Findings Imported V2') {
    return intakeOcsfFindings(parsed.data.detail.findings, trigger, fallbackId);
  }
  // A custom action is a person sending this finding on purpose.
  const how =
    parsed.data['detail-type'] === 'Security Hub Findings - Custom Action'
      ? 'custom-action'
      : trigger;
  return parsed.data.detail.findings.flatMap((raw, i) => {
    const finding = schemas().findingSchema.safeParse(raw);
    if (finding.success) return intakeSecurityHubFinding(finding.data, how);
    const context = {
      incidentId: `${fallbackId}-${i}`,
      source: 'securityhub' as const,
      trigger: how,
    };
    return [
      rejected(
        context,
        'failed',
        `not a valid Security Hub finding: ${describeIssues(finding.error, 3)}`,
      ),
    ];
  });
}

function intakeSecurityHubFinding(finding: Finding, trigger: Trigger): Intake[] {
  const context: IntakeContext = {
    incidentId: `securityhub-${digest(finding.Id)}`,
    source: 'securityhub',
    trigger,
  };
  const keyResources = finding.Resources.filter((r) => r.Type === 'AwsIamAccessKey');
  const provider = finding.FindingProviderFields;
  const types = provider?.Types ?? finding.Types;
  const summary = {
    id: finding.Id,
    type: types?.[0] ?? finding.Title ?? 'unknown',
    ...((types?.length ?? 0) > 1 ? { otherTypes: types?.slice(1) } : {}),
    accountId: finding.AwsAccountId,
    region: finding.Region ?? keyResources[0]?.Region ?? 'unknown',
    severity: finding.Severity.Normalized ?? null,
    severityLabel:
      provider?.Severity?.Label ??
      finding.Severity.Label ??
      normalizedSeverityLabel(finding.Severity.Normalized ?? 0),
  };
  const skip = (reason: string) => [rejected(context, 'skipped', reason, { finding: summary })];

  if (!isAwsProduct(finding.ProductArn)) {
    // Not echoed: whoever imported the finding chose it.
    return [
      rejected(
        context,
        'failed',
        'finding was not produced by an AWS service (its ProductArn is not arn:…:securityhub:<region>::product/aws/…): ' +
          'anyone allowed securityhub:BatchImportFindings can import findings, so only AWS products are acted on; ' +
          'to contain its key, send a runbook request',
        { finding: summary },
      ),
    ];
  }
  if (keyResources.length === 0) return skip('finding has no AwsIamAccessKey resource');
  if (finding.Sample === true || keyResources.some((r) => isSampleResource(r))) {
    return skip('sample finding: nothing to contain');
  }
  if (finding.RecordState === 'ARCHIVED') return skip('finding is archived');
  const status = finding.Workflow?.Status;
  if (status === 'SUPPRESSED' || status === 'RESOLVED')
    return skip(`finding workflow status is ${status}`);

  return keyResources.map((resource, i) => {
    const incident =
      keyResources.length > 1 ? { ...context, incidentId: `${context.incidentId}-${i}` } : context;
    const keyId = KEY_RESOURCE_ID.exec(resource.Id)?.[1] ?? resource.Id;
    if (keyId === '' || keyId === 'null') {
      return rejected(incident, 'skipped', 'the AwsIamAccessKey resource names no access key id', {
        finding: summary,
      });
    }
    if (!ACCESS_KEY_ID_PATTERN.test(keyId)) {
      return rejected(
        incident,
        'failed',
        'resource Id does not name an access key id (AWS::IAM::AccessKey:AKIA… or ASIA…)',
        {
          finding: summary,
        },
      );
    }
    const details = resource.Details?.AwsIamAccessKey;
    const { principal, problem } = findingPrincipal(
      details?.PrincipalType,
      details?.PrincipalName ?? details?.UserName,
      details?.PrincipalId,
    );
    if (problem) {
      return rejected(incident, 'failed', `Details.AwsIamAccessKey: ${problem}`, {
        finding: summary,
        accessKeyId: keyId,
      });
    }
    return accepted({
      ...incident,
      accessKeyId: keyId,
      reason: `Security Hub finding ${summary.type} (${summary.severityLabel})`,
      finding: { ...summary, ...(principal ? { principal } : {}) },
    });
  });
}

function isSampleResource(resource: z.infer<Schemas['resourceSchema']>): boolean {
  const details = resource.Details?.AwsIamAccessKey ?? {};
  return (
    isPlaceholder(KEY_RESOURCE_ID.exec(resource.Id)?.[1]) ||
    Object.values(details).some(isPlaceholder)
  );
}
