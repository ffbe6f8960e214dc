import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import {
  DEFAULT_FINDING_TYPES,
  decideFindingType,
  parseFindingTypes,
} from '../../shared/policy/finding-types';
import { findingTypes } from '../support/deps';

describe('FINDING_TYPES', () => {
  it('reads the documented example', () => {
    const parsed = parseFindingTypes(
      'UnauthorizedAccess:IAMUser/*,CredentialAccess:*,AttackSequence:IAM/*,!Recon:IAMUser/*',
    );
    expect('rules' in parsed && parsed.rules.map((r) => [r.text, r.exclude])).toEqual([
      ['UnauthorizedAccess:IAMUser/*', false],
      ['CredentialAccess:*', false],
      ['AttackSequence:IAM/*', false],
      ['!Recon:IAMUser/*', true],
    ]);
  });

  it.each([
    ['', /is not a pattern/],
    ['*:IAMUser/*,,Recon:*', /is not a pattern/],
    ['Recon:(IAMUser)', /is not a pattern/],
    ['!Recon:*', /no pattern includes anything/],
    ['a b', /is not a pattern/],
  ])('refuses %j', (value, problem) => {
    const parsed = parseFindingTypes(value);
    expect('error' in parsed && parsed.error).toMatch(problem);
  });

  it('a * matches any run of characters, / and : included; the rest is literal', () => {
    const rules = findingTypes('CredentialAccess:*,Exfiltration:S3/Anomalous.Behavior');
    expect(decideFindingType(rules, ['CredentialAccess:IAMUser/AnomalousBehavior']).allowed).toBe(
      true,
    );
    expect(decideFindingType(rules, ['Exfiltration:S3/AnomalousXBehavior']).allowed).toBe(false);
    expect(decideFindingType(rules, ['credentialaccess:IAMUser/AnomalousBehavior']).allowed).toBe(
      false,
    );
  });

  it('the configuration refuses a bad value by name, and an unset one is the default', () => {
    expect(() => loadConfig({ FINDING_TYPES: 'Recon:$' })).toThrow(
      /FINDING_TYPES: "Recon:\$" is not a pattern/,
    );
    expect(
      loadConfig({})
        .findingTypes.map((r) => r.text)
        .join(','),
    ).toBe(DEFAULT_FINDING_TYPES);
    expect(
      loadConfig({ FINDING_TYPES: ' ' })
        .findingTypes.map((r) => r.text)
        .join(','),
    ).toBe(DEFAULT_FINDING_TYPES);
  });
});
