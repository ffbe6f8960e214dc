import { Logger } from '@aws-lambda-powertools/logger';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onFinding } from '../../functions/on-finding';
import { loadConfig } from '../../shared/config';
import { protectedPatternRegExp } from '../../shared/plan/protection';
import { TEST_CONFIG } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import { inlinePolicy } from '../support/iam-state';
import { roleFindingEvent, seedRoleSession } from '../support/seed';

/**
 * Attack 11 of issue 11: settings that can never do what they say are refused at load, with the
 * variable's name, instead of silently leaving the principal they meant to protect exposed.
 */
const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('attack 11: PROTECTED_PRINCIPALS that can never match', () => {
  it.each([
    ['an STS assumed-role ARN', 'arn:aws:sts::123456789012:assumed-role/break-glass/*'],
    ['a malformed account', 'arn:aws:iam::12345:role/break-glass'],
    ['another service', 'arn:aws:s3:::break-glass'],
    ['a bare name', 'break-glass-*'],
    ['a path with no name', 'arn:aws:iam::123456789012:role/ops/'],
    ['a group', 'arn:aws:iam::123456789012:group/admins'],
  ])('refuses %s, naming the variable', (_label, pattern) => {
    expect(refusal({ PROTECTED_PRINCIPALS: `arn:aws:iam::*:role/ok,${pattern}` })).toMatch(
      /PROTECTED_PRINCIPALS\.1: must be the ARN of an IAM user or role/,
    );
  });

  it.each([
    ['arn:aws:iam::*:role/break-glass-*', 'arn:aws:iam::123456789012:role/break-glass-1', true],
    ['arn:aws:iam::*:role/break-glass-*', 'arn:aws:iam::123456789012:role/ops/break-glass-1', true],
    [
      'arn:aws:iam::*:role/break-glass-*',
      'arn:aws:iam::123456789012:role/not-break-glass-1',
      false,
    ],
    ['arn:aws:iam::*:role/ops/*', 'arn:aws:iam::123456789012:role/ops/anything', true],
    ['arn:aws:iam::*:role/ops/*', 'arn:aws:iam::123456789012:role/dev/anything', false],
    ['arn:aws:iam::123456789012:user/admin', 'arn:aws:iam::123456789012:user/people/admin', true],
    ['arn:aws:iam::123456789012:user/admin', 'arn:aws:iam::210987654321:user/admin', false],
  ])('%s matches %s: %s', (pattern, arn, matches) => {
    expect(loadConfig({ PROTECTED_PRINCIPALS: pattern }).protectedPrincipals).toEqual([pattern]);
    expect(protectedPatternRegExp(pattern).test(arn)).toBe(matches);
  });
});

describe('other settings the stack splits', () => {
  it.each([
    ['ALLOWED_ACCOUNT_IDS', '210987654321, 111111111111'],
    ['ALLOWED_ACCOUNT_IDS', '210987654321,,111111111111'],
    ['RUNBOOK_PUBLISHERS', 'arn:aws:iam::123456789012:role/Responder,'],
    ['RUNBOOK_PUBLISHERS', 'arn:aws:iam::123456789012:root'],
    ['RUNBOOK_PUBLISHERS', 'arn:aws:sts::123456789012:assumed-role/Responder/alice'],
    ['RUNBOOK_TOPIC_ARN', 'credential-responder-prod-runbook'],
  ])('refuses %s=%s', (variable, value) => {
    expect(refusal({ [variable]: value })).toMatch(
      new RegExp(`^invalid configuration: ${variable}`),
    );
  });

  it('accepts what the stack can use', () => {
    expect(
      loadConfig({
        ALLOWED_ACCOUNT_IDS: '210987654321,111111111111',
        RUNBOOK_PUBLISHERS:
          'arn:aws:iam::123456789012:role/Responder,arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_IR_*',
      }),
    ).toMatchObject({
      allowedAccountIds: ['210987654321', '111111111111'],
      runbookPublishers: [expect.any(String), expect.any(String)],
    });
  });
});

describe('a protected role under a path, through the handler', () => {
  let endpoint: Endpoint;
  let accountId: string;
  beforeAll(async () => {
    endpoint = await useEndpoint();
    accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  });
  afterAll(() => endpoint.stop());

  it('is never contained when the pattern names it without its path', async () => {
    const role = await seedRoleSession(endpoint.clients, {
      prefix: 'break-glass',
      path: '/emergency/',
    });
    const config = { ...TEST_CONFIG, protectedPrincipals: ['arn:aws:iam::*:role/break-glass-*'] };
    const event = roleFindingEvent(accountId, role.roleName, role.roleId, role.accessKeyId);

    const [report] = await onFinding(
      event,
      { awsRequestId: 'config' },
      {
        clients: endpoint.newClients(),
        config,
        logger: new Logger({ serviceName: 'security', logLevel: 'SILENT' }),
      },
    );

    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/PROTECTED_PRINCIPALS/),
    });
    expect(await inlinePolicy(endpoint.clients, 'role', role.roleName)).toBeUndefined();
  });
});
