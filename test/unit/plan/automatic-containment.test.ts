import { describe, expect, it } from 'vitest';
import { automaticDecision } from '../../../shared/plan/automatic-containment';
import type { ContainRequest, SeverityLabel, Trigger } from '../../../shared/request';
import { findingTypes, TEST_CONFIG } from '../../support/deps';

const request = (
  severityLabel: SeverityLabel,
  trigger: Trigger,
  type = 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
  otherTypes?: string[],
): ContainRequest => ({
  incidentId: 'i',
  source: 'guardduty',
  trigger,
  accessKeyId: 'AKIAEXAMPLEDEMO00001',
  reason: 'r',
  finding: {
    id: 'f',
    type,
    accountId: '123456789012',
    region: 'us-east-1',
    severity: 2,
    severityLabel,
    ...(otherTypes ? { otherTypes } : {}),
  },
});

describe('automaticDecision: MIN_SEVERITY', () => {
  it('skips a low finding that arrives by itself', () => {
    const decision = automaticDecision(request('LOW', 'eventbridge'), TEST_CONFIG);
    expect(decision).toMatchObject({
      act: false,
      reason: expect.stringMatching(/LOW is below MIN_SEVERITY MEDIUM/),
      policy: { findingTypes: '*:IAMUser/*', minSeverity: 'MEDIUM', severityMet: false },
    });
    expect(automaticDecision(request('LOW', 'sns'), TEST_CONFIG).act).toBe(false);
  });

  it('lets a finding at or above the threshold through, naming the rule that allowed it', () => {
    expect(automaticDecision(request('MEDIUM', 'eventbridge'), TEST_CONFIG)).toEqual({
      act: true,
      policy: { findingTypes: '*:IAMUser/*', minSeverity: 'MEDIUM', severityMet: true },
    });
    const high = { ...TEST_CONFIG, minSeverity: 'HIGH' as const };
    expect(automaticDecision(request('CRITICAL', 'eventbridge'), high).act).toBe(true);
  });

  it('always acts on what a person sends, whatever the type or severity', () => {
    for (const trigger of ['console', 'custom-action'] as const) {
      expect(automaticDecision(request('LOW', trigger, 'Recon:S3/Anything'), TEST_CONFIG)).toEqual({
        act: true,
        policy: null,
      });
    }
  });
});

describe('automaticDecision: FINDING_TYPES', () => {
  it('by default leaves S3 findings that name a key to a person', () => {
    const decision = automaticDecision(
      request('HIGH', 'eventbridge', 'UnauthorizedAccess:S3/TorIPCaller'),
      TEST_CONFIG,
    );
    expect(decision).toMatchObject({
      act: false,
      reason: expect.stringMatching(
        /^no FINDING_TYPES pattern includes finding type UnauthorizedAccess:S3\/TorIPCaller/,
      ),
      policy: { findingTypes: null },
    });
  });

  it('by default contains attack sequences and AWS Health exposed keys', () => {
    for (const type of [
      'AttackSequence:IAM/CompromisedCredentials',
      'AttackSequence:S3/CompromisedData',
      'AWS_RISK_CREDENTIALS_EXPOSED',
      'AWS_RISK_CREDENTIALS_COMPROMISED',
    ]) {
      expect(automaticDecision(request('HIGH', 'eventbridge', type), TEST_CONFIG).act).toBe(true);
    }
  });

  it('an exclusion wins over an inclusion, wherever it stands, and the report names it', () => {
    const config = {
      ...TEST_CONFIG,
      findingTypes: findingTypes('!Recon:IAMUser/*,UnauthorizedAccess:*,*:IAMUser/*'),
    };
    expect(
      automaticDecision(request('HIGH', 'eventbridge', 'Recon:IAMUser/TorIPCaller'), config),
    ).toMatchObject({
      act: false,
      reason: expect.stringMatching(/^FINDING_TYPES pattern !Recon:IAMUser\/\* excludes/),
      policy: { findingTypes: '!Recon:IAMUser/*' },
    });
    expect(
      automaticDecision(
        request('HIGH', 'eventbridge', 'UnauthorizedAccess:S3/TorIPCaller'),
        config,
      ),
    ).toMatchObject({ act: true, policy: { findingTypes: 'UnauthorizedAccess:*' } });
  });

  it("matches Security Hub's form of a GuardDuty type", () => {
    const config = { ...TEST_CONFIG, findingTypes: findingTypes('*:IAMUser/*,!Discovery:*') };
    const asff = (types: string[]) => request('HIGH', 'eventbridge', types[0] as string, types);
    expect(
      automaticDecision(
        asff(['TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller']),
        config,
      ),
    ).toMatchObject({ act: true, policy: { findingTypes: '*:IAMUser/*' } });
    expect(
      automaticDecision(asff(['TTPs/Discovery/IAMUser-AnomalousBehavior']), config),
    ).toMatchObject({
      act: false,
      policy: { findingTypes: '!Discovery:*' },
    });
    // A check of a standard is not a GuardDuty detection: nothing includes it.
    expect(
      automaticDecision(
        asff(['Software and Configuration Checks/AWS Security Best Practices']),
        config,
      ).act,
    ).toBe(false);
  });

  it('both must pass: an included type below MIN_SEVERITY is skipped for its severity', () => {
    const decision = automaticDecision(
      request('LOW', 'eventbridge', 'AttackSequence:IAM/CompromisedCredentials'),
      TEST_CONFIG,
    );
    expect(decision).toMatchObject({
      act: false,
      reason: expect.stringMatching(/below MIN_SEVERITY/),
      policy: { findingTypes: 'AttackSequence:IAM/*', severityMet: false },
    });
  });
});
