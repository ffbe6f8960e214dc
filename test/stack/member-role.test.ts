import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type EvaluationResult, runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { POLICY_RESOURCE_ACTIONS } from '../../shared/actions/managed-policy';
import { memberRolePermissions } from '../../shared/actions/registry';
import { loadConfig } from '../../shared/config';
import { TAG } from '../../shared/tags';

/**
 * The member-account template (member-account/member-role.yml), read with osls's own YAML reader:
 * js-yaml with the CloudFormation schema, so `!Sub x` becomes `{ 'Fn::Sub': x }` and so on. osls
 * is already a dev dependency; nothing is added. `render` then resolves the few intrinsics the
 * template uses, as CloudFormation would for one account, and refuses any other.
 */
const ROOT = join(__dirname, '..', '..');
const readYaml = createRequire(__filename)('osls/lib/utils/fs/parse') as (
  path: string,
  contents: string,
) => any;
const read = (path: string) => readYaml(path, readFileSync(join(ROOT, path), 'utf8'));
const template = read('member-account/member-role.yml');

const SECURITY = '111111111111';
const MEMBER = '210987654321';
const RESPONDER_ROLE = `arn:aws:iam::${SECURITY}:role/credential-responder-prod-us-east-1-lambdaRole`;
const RESPONDER_SESSION = `arn:aws:sts::${SECURITY}:assumed-role/credential-responder-prod-us-east-1-lambdaRole/cr-incident`;
const EXTERNAL_ID = 'incident-response-7f3a';
const ORG = 'o-a1b2c3d4e5';
const NO_VALUE = Symbol('AWS::NoValue');

const allowedBy = (parameter: string, value: string) =>
  new RegExp(template.Parameters[parameter].AllowedPattern).test(value);

/** The template with these parameters, resolved as CloudFormation would in account MEMBER. */
function render(parameters: Record<string, string> = {}): any {
  const values: Record<string, string> = {
    ResponderRoleArn: RESPONDER_ROLE,
    ...Object.fromEntries(
      Object.entries<any>(template.Parameters)
        .filter(([, p]) => p.Default !== undefined)
        .map(([name, p]) => [name, p.Default]),
    ),
    ...parameters,
  };
  for (const [name, value] of Object.entries(values)) {
    if (!allowedBy(name, value)) throw new Error(`${name}: ${value} is not allowed`);
  }
  const pseudo: Record<string, string> = { 'AWS::AccountId': MEMBER, 'AWS::Partition': 'aws' };
  const value = (name: string) => {
    const found = values[name] ?? pseudo[name];
    if (found === undefined) throw new Error(`unknown reference ${name}`);
    return found;
  };
  const condition = (name: string): boolean => {
    if (!(name in template.Conditions)) throw new Error(`unknown condition ${name}`);
    return resolve(template.Conditions[name]) === true;
  };
  const intrinsic = (fn: string, arg: any): unknown => {
    switch (fn) {
      case 'Ref':
        return arg === 'AWS::NoValue' ? NO_VALUE : value(arg);
      case 'Condition':
        return condition(arg);
      case 'Fn::If':
        return resolve(condition(arg[0]) ? arg[1] : arg[2]);
      case 'Fn::Equals':
        return resolve(arg[0]) === resolve(arg[1]);
      case 'Fn::Not':
        return resolve(arg[0]) !== true;
      case 'Fn::Or':
        return arg.some((c: unknown) => resolve(c) === true);
      case 'Fn::Sub':
        return (arg as string).replace(/\$\{([\w:]+)\}/g, (_, name: string) => value(name));
      default:
        throw new Error(`render does not support ${fn}`);
    }
  };
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve).filter((v) => v !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    const [fn, arg] = entries[0] ?? [];
    if (entries.length === 1 && fn && (fn === 'Ref' || fn === 'Condition' || fn.startsWith('Fn::')))
      return intrinsic(fn, arg);
    return Object.fromEntries(
      entries.map(([k, v]) => [k, resolve(v)]).filter(([, v]) => v !== NO_VALUE),
    );
  };
  return resolve(template.Resources);
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Principal?: unknown;
  Condition?: unknown;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const roleOf = (parameters: Record<string, string> = {}) => render(parameters).MemberRole;
const permissionStatements = (role = roleOf()): Statement[] =>
  role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
const trustStatements = (parameters: Record<string, string> = {}): Statement[] =>
  roleOf(parameters).Properties.AssumeRolePolicyDocument.Statement;

/** The responder's own customer-managed policies in the account (shared/actions/managed-policy.ts). */
const OWN_POLICIES = `arn:aws:iam::${MEMBER}:policy/credential-responder/*`;

/**
 * Where each action must be allowed: the account's users, its roles, the responder's own managed
 * policies, or `*` (no resource-level permissions).
 */
function expectedResource(action: string): string {
  if (action === 'cloudtrail:LookupEvents') return '*';
  if ((POLICY_RESOURCE_ACTIONS as readonly string[]).includes(action)) return OWN_POLICIES;
  if (/^iam:\w*Role/.test(action)) return `arn:aws:iam::${MEMBER}:role/*`;
  if (/^iam:\w*(User|AccessKey)/.test(action)) return `arn:aws:iam::${MEMBER}:user/*`;
  throw new Error(`no expected resource for ${action}: decide its scope here and in the template`);
}

async function simulate(
  request: { principal: string; action: string; resource: string },
  policies: { identity: unknown; trust?: unknown; context?: Record<string, string> },
): Promise<EvaluationResult> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: {
          resource: request.resource,
          accountId: /^arn:aws:iam::(\d{12}):/.exec(request.resource)?.[1] ?? '',
        },
        contextVariables: policies.context ?? {},
      },
      identityPolicies: [{ name: 'identity', policy: policies.identity }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(policies.trust ? { resourcePolicy: policies.trust } : {}),
    },
    {},
  );
  if (result.resultType !== 'single') throw new Error(JSON.stringify(result));
  // A key the simulator dropped as not applying to the request would make the answer a guess.
  expect(result.result.ignoredContextKeys ?? []).toEqual([]);
  return result.overallResult;
}

describe('the member role template', () => {
  it('creates one IAM role named by MemberRoleName and outputs its ARN', () => {
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(Object.keys(template.Resources)).toEqual(['MemberRole']);
    expect(template.Resources.MemberRole.Type).toBe('AWS::IAM::Role');
    expect(roleOf().Properties.RoleName).toBe('credential-responder-member');
    expect(roleOf({ MemberRoleName: 'ir-member' }).Properties.RoleName).toBe('ir-member');
    expect(template.Outputs.MemberRoleArn.Value).toEqual({ 'Fn::GetAtt': ['MemberRole', 'Arn'] });
  });

  it("defaults MemberRoleName to the responder's default MEMBER_ROLE_NAME", () => {
    const setting: string = read('serverless.yml').custom.memberRoleName;

    expect(setting).toMatch(/^\$\{env:MEMBER_ROLE_NAME, '[^']+'\}$/);
    expect(setting).toContain(`'${template.Parameters.MemberRoleName.Default}'`);
  });

  it('allows one-hour sessions, the length the responder asks for', () => {
    expect(roleOf().Properties.MaxSessionDuration).toBe(3600);
  });

  it('tags the role protected, so a responder in that account never contains it', () => {
    expect(roleOf().Properties.Tags).toContainEqual({ Key: TAG.protected, Value: 'true' });
  });

  it('accepts only a role ARN as ResponderRoleArn', () => {
    expect(allowedBy('ResponderRoleArn', RESPONDER_ROLE)).toBe(true);
    expect(allowedBy('ResponderRoleArn', `arn:aws:iam::${SECURITY}:role/ops/responder`)).toBe(true);
    for (const broader of [
      '*',
      `arn:aws:iam::${SECURITY}:root`,
      `arn:aws:iam::${SECURITY}:user/responder`,
      'arn:aws:iam::*:role/responder',
      `${RESPONDER_ROLE} `,
    ]) {
      expect(allowedBy('ResponderRoleArn', broader), broader).toBe(false);
    }
  });

  const responderAccepts = (variable: string, value: string) => {
    try {
      loadConfig({ [variable]: value });
      return true;
    } catch {
      return false;
    }
  };
  it.each([
    ['ExternalId', 'MEMBER_ROLE_EXTERNAL_ID'],
    ['MemberRoleName', 'MEMBER_ROLE_NAME'],
  ])('accepts as %s exactly what the responder accepts as %s', (parameter, variable) => {
    const samples = [
      'x',
      'xy',
      EXTERNAL_ID,
      'a:b/c=d,e.f@g+h_i-j',
      'has space',
      'ü-name',
      'x'.repeat(64),
      'x'.repeat(65),
      'x'.repeat(1224),
      'x'.repeat(1225),
    ];
    for (const sample of samples) {
      expect(allowedBy(parameter, sample), sample).toBe(responderAccepts(variable, sample));
    }
  });

  it('accepts an empty ExternalId or OrganizationId (no condition), or an organization id', () => {
    expect(allowedBy('ExternalId', '')).toBe(true);
    expect(allowedBy('OrganizationId', '')).toBe(true);
    expect(allowedBy('OrganizationId', ORG)).toBe(true);
    expect(allowedBy('OrganizationId', 'r-a1b2')).toBe(false);
    expect(allowedBy('OrganizationId', '*')).toBe(false);
  });
});

describe("the member role's permissions", () => {
  it('grant exactly what the code declares for member accounts', () => {
    const granted = permissionStatements()
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => asList(s.Action));

    expect([...new Set(granted)].sort()).toEqual([...memberRolePermissions()].sort());
  });

  it("scope user actions to the account's users, role actions to its roles, policy actions to the responder's policies, and only LookupEvents to *", () => {
    for (const statement of permissionStatements().filter((s) => s.Effect === 'Allow')) {
      for (const action of asList(statement.Action)) {
        expect(asList(statement.Resource), action).toEqual([expectedResource(action)]);
      }
    }
  });

  it("attach and detach only the responder's own managed policies (iam:PolicyARN), and condition nothing else", () => {
    const allows = permissionStatements().filter((s) => s.Effect === 'Allow');
    const attaching = allows.filter((s) =>
      asList(s.Action).some((a) => /^iam:(Attach|Detach)/.test(a)),
    );

    expect(attaching).toEqual([
      {
        Sid: 'AttachRevocationPoliciesToUsers',
        Effect: 'Allow',
        Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
        Resource: `arn:aws:iam::${MEMBER}:user/*`,
        Condition: { ArnLike: { 'iam:PolicyARN': OWN_POLICIES } },
      },
      {
        Sid: 'AttachRevocationPoliciesToRoles',
        Effect: 'Allow',
        Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        Resource: `arn:aws:iam::${MEMBER}:role/*`,
        Condition: { ArnLike: { 'iam:PolicyARN': OWN_POLICIES } },
      },
    ]);
    for (const statement of allows.filter((s) => !attaching.includes(s))) {
      expect(statement.Condition, statement.Sid).toBeUndefined();
    }
  });

  it('name no NotAction or NotResource, and a wildcard action in no Allow', () => {
    const role = roleOf();
    const statements = [
      ...permissionStatements(role),
      ...role.Properties.AssumeRolePolicyDocument.Statement,
    ];

    for (const statement of statements) {
      expect(statement).not.toHaveProperty('NotAction');
      expect(statement).not.toHaveProperty('NotResource');
      if (statement.Effect === 'Allow')
        for (const action of asList(statement.Action)) expect(action).not.toContain('*');
    }
  });

  it('deny the role every IAM write on itself: the verbs the execution role may not use on itself', () => {
    const denied = (parameters: Record<string, string> = {}) =>
      permissionStatements(roleOf(parameters)).filter((s) => s.Effect === 'Deny');
    const responderStatements: Statement[] = read('serverless.yml').provider.iam.role.statements;
    const responderDenies = responderStatements.filter(
      (s) => s.Effect === 'Deny' && asList(s.Action).includes('iam:Put*'),
    );

    expect(responderDenies).toHaveLength(1);
    expect(denied()).toEqual([
      {
        Sid: 'NeverThisRole',
        Effect: 'Deny',
        Action: responderDenies[0]?.Action,
        Resource: `arn:aws:iam::${MEMBER}:role/credential-responder-member`,
      },
    ]);
    expect(denied({ MemberRoleName: 'ir-member' })[0]?.Resource).toBe(
      `arn:aws:iam::${MEMBER}:role/ir-member`,
    );
  });

  const self = `arn:aws:sts::${MEMBER}:assumed-role/credential-responder-member/cr-incident`;
  const itself = `arn:aws:iam::${MEMBER}:role/credential-responder-member`;
  it.each<[string, string, EvaluationResult]>([
    ['iam:UpdateAccessKey', `arn:aws:iam::${MEMBER}:user/dev/alice`, 'Allowed'],
    ['iam:PutUserPolicy', `arn:aws:iam::${MEMBER}:user/alice`, 'Allowed'],
    ['iam:PutRolePolicy', `arn:aws:iam::${MEMBER}:role/app`, 'Allowed'],
    ['iam:GetRolePolicy', `arn:aws:iam::${MEMBER}:role/service/app`, 'Allowed'],
    ['iam:TagRole', `arn:aws:iam::${MEMBER}:role/app`, 'ImplicitlyDenied'],
    ['iam:PutRolePolicy', itself, 'ExplicitlyDenied'],
    ['iam:DeleteRolePolicy', itself, 'ExplicitlyDenied'],
    ['iam:TagRole', itself, 'ExplicitlyDenied'],
    ['iam:UntagRole', itself, 'ExplicitlyDenied'],
    ['iam:AttachRolePolicy', itself, 'ExplicitlyDenied'],
    ['iam:DetachRolePolicy', itself, 'ExplicitlyDenied'],
    ['iam:UpdateAssumeRolePolicy', itself, 'ExplicitlyDenied'],
    ['iam:PutRolePermissionsBoundary', itself, 'ExplicitlyDenied'],
    ['iam:DeleteRolePermissionsBoundary', itself, 'ExplicitlyDenied'],
    ['iam:UpdateRole', itself, 'ExplicitlyDenied'],
    ['iam:PassRole', itself, 'ExplicitlyDenied'],
    ['iam:PutUserPolicy', `arn:aws:iam::${SECURITY}:user/alice`, 'ImplicitlyDenied'],
    ['iam:CreateAccessKey', `arn:aws:iam::${MEMBER}:user/alice`, 'ImplicitlyDenied'],
    ['iam:DeleteRole', `arn:aws:iam::${MEMBER}:role/app`, 'ImplicitlyDenied'],
    ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${MEMBER}:role/app`, 'ImplicitlyDenied'],
    ['iam:CreatePolicy', `arn:aws:iam::${MEMBER}:policy/credential-responder/x`, 'Allowed'],
    ['iam:CreatePolicyVersion', `arn:aws:iam::${MEMBER}:policy/credential-responder/x`, 'Allowed'],
    ['iam:DeletePolicy', `arn:aws:iam::${MEMBER}:policy/credential-responder/x`, 'Allowed'],
    ['iam:CreatePolicy', `arn:aws:iam::${MEMBER}:policy/other/x`, 'ImplicitlyDenied'],
    ['iam:CreatePolicy', `arn:aws:iam::${MEMBER}:policy/x`, 'ImplicitlyDenied'],
    ['iam:CreatePolicyVersion', `arn:aws:iam::${MEMBER}:policy/other/x`, 'ImplicitlyDenied'],
    ['iam:DeletePolicy', `arn:aws:iam::${MEMBER}:policy/other/x`, 'ImplicitlyDenied'],
    [
      'iam:CreatePolicy',
      `arn:aws:iam::${SECURITY}:policy/credential-responder/x`,
      'ImplicitlyDenied',
    ],
  ])('answer %s on %s with %s', async (action, resource, expected) => {
    const identity = roleOf().Properties.Policies[0].PolicyDocument;

    expect(await simulate({ principal: self, action, resource }, { identity })).toBe(expected);
  });

  const ownPolicy = `arn:aws:iam::${MEMBER}:policy/credential-responder/revoke-role-app`;
  it.each<[string, string, string, EvaluationResult]>([
    ['iam:AttachRolePolicy', `arn:aws:iam::${MEMBER}:role/app`, ownPolicy, 'Allowed'],
    ['iam:DetachRolePolicy', `arn:aws:iam::${MEMBER}:role/service/app`, ownPolicy, 'Allowed'],
    ['iam:AttachUserPolicy', `arn:aws:iam::${MEMBER}:user/alice`, ownPolicy, 'Allowed'],
    ['iam:DetachUserPolicy', `arn:aws:iam::${MEMBER}:user/dev/alice`, ownPolicy, 'Allowed'],
    ...[
      'arn:aws:iam::aws:policy/AdministratorAccess',
      `arn:aws:iam::${MEMBER}:policy/other/x`,
      `arn:aws:iam::${MEMBER}:policy/x`,
      // A path that only starts like the responder's.
      `arn:aws:iam::${MEMBER}:policy/credential-responder-other/x`,
      `arn:aws:iam::${SECURITY}:policy/credential-responder/x`,
    ].flatMap((policy): [string, string, string, EvaluationResult][] => [
      ['iam:AttachRolePolicy', `arn:aws:iam::${MEMBER}:role/app`, policy, 'ImplicitlyDenied'],
      ['iam:AttachUserPolicy', `arn:aws:iam::${MEMBER}:user/alice`, policy, 'ImplicitlyDenied'],
      ['iam:DetachRolePolicy', `arn:aws:iam::${MEMBER}:role/app`, policy, 'ImplicitlyDenied'],
      ['iam:DetachUserPolicy', `arn:aws:iam::${MEMBER}:user/alice`, policy, 'ImplicitlyDenied'],
    ]),
    ['iam:AttachRolePolicy', itself, ownPolicy, 'ExplicitlyDenied'],
    ['iam:DetachRolePolicy', itself, ownPolicy, 'ExplicitlyDenied'],
  ])(
    'answer %s on %s, iam:PolicyARN %s, with %s',
    async (action, resource, policyArn, expected) => {
      const identity = roleOf().Properties.Policies[0].PolicyDocument;
      const context = { 'iam:PolicyARN': policyArn };

      expect(await simulate({ principal: self, action, resource }, { identity, context })).toBe(
        expected,
      );
    },
  );
});

describe("the member role's trust policy", () => {
  it('trusts only the responder role, with no condition when neither option is set', () => {
    expect(trustStatements()).toEqual([
      { Effect: 'Allow', Principal: { AWS: RESPONDER_ROLE }, Action: 'sts:AssumeRole' },
    ]);
  });

  it.each([
    [{ ExternalId: EXTERNAL_ID }, { 'sts:ExternalId': EXTERNAL_ID }],
    [{ OrganizationId: ORG }, { 'aws:PrincipalOrgID': ORG }],
    [
      { ExternalId: EXTERNAL_ID, OrganizationId: ORG },
      { 'sts:ExternalId': EXTERNAL_ID, 'aws:PrincipalOrgID': ORG },
    ],
  ])('with %j requires exactly %j', (parameters, required) => {
    expect(trustStatements(parameters)).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: RESPONDER_ROLE },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: required },
      },
    ]);
  });

  it('states the ExternalId and PrincipalOrgID conditions only under their Fn::If', () => {
    const found: Record<string, unknown[]> = {};
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'sts:ExternalId' || key === 'aws:PrincipalOrgID') {
          found[key] = [...(found[key] ?? []), value];
        }
        walk(value);
      }
    };
    walk(template.Resources);

    expect(found).toEqual({
      'sts:ExternalId': [
        { 'Fn::If': ['HasExternalId', { Ref: 'ExternalId' }, { Ref: 'AWS::NoValue' }] },
      ],
      'aws:PrincipalOrgID': [
        { 'Fn::If': ['HasOrganizationId', { Ref: 'OrganizationId' }, { Ref: 'AWS::NoValue' }] },
      ],
    });
  });

  const inOrg = { 'sts:ExternalId': EXTERNAL_ID, 'aws:PrincipalOrgID': ORG };
  const admin = `arn:aws:sts::${SECURITY}:assumed-role/admin/someone`;
  it.each<[string, EvaluationResult, string, Record<string, string>]>([
    ['the responder, with ExternalId, in the organization', 'Allowed', RESPONDER_SESSION, inOrg],
    [
      'the responder, with a wrong ExternalId',
      'ImplicitlyDenied',
      RESPONDER_SESSION,
      { ...inOrg, 'sts:ExternalId': 'guess' },
    ],
    [
      'the responder, without ExternalId',
      'ImplicitlyDenied',
      RESPONDER_SESSION,
      { 'aws:PrincipalOrgID': ORG },
    ],
    [
      'the responder, from another organization',
      'ImplicitlyDenied',
      RESPONDER_SESSION,
      { ...inOrg, 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' },
    ],
    ['another role of the security account', 'ImplicitlyDenied', admin, inOrg],
    ['the security account root', 'ImplicitlyDenied', `arn:aws:iam::${SECURITY}:root`, inOrg],
  ])('answers AssumeRole by %s with %s', async (_who, expected, principal, context) => {
    const trust = roleOf({ ExternalId: EXTERNAL_ID, OrganizationId: ORG }).Properties
      .AssumeRolePolicyDocument;
    const allowAll = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    };
    const resource = `arn:aws:iam::${MEMBER}:role/credential-responder-member`;

    expect(
      await simulate(
        { principal, action: 'sts:AssumeRole', resource },
        { identity: allowAll, trust, context },
      ),
    ).toBe(expected);
  });
});
