import { type EvaluationResult, runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageTemplate, type Template } from '../stack/package-template';

/**
 * Who can make the responder act, and what the responder itself can do (DOMAIN.md section 7),
 * asked of the policies of the packaged stack: the topic policies, the key policy and the execution
 * role's policy, evaluated offline by @cloud-copilot/iam-simulate for one account and region.
 *
 * The simulator does not derive request context from the principal (its README: "Automatically
 * populating context keys from the request such as aws:PrincipalServiceName" is to come), so
 * the callers below carry the keys AWS documents as present for each kind of caller, nothing else:
 * aws:PrincipalArn (the role's ARN, path included), aws:PrincipalAccount and
 * aws:PrincipalIsAWSService for IAM principals; aws:PrincipalServiceName, aws:SourceAccount and
 * aws:SourceArn for service principals only; aws:ResourceAccount from the resource's ARN.
 */
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const MEMBER = '210987654321';
const STRANGER = '999999999999';
const KEY_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const NO_VALUE = Symbol('AWS::NoValue');

const INCIDENT_RESPONDER = `arn:aws:iam::${ACCOUNT}:role/IncidentResponder`;
const SECURITY_ADMINS = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAdmin_*`;
const SECURITY_ADMIN = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_SecurityAdmin_0a1b2c3d4e5f`;
const POWER_USER = `arn:aws:iam::${ACCOUNT}:role/PowerUser`;
/** The execution role osls names for stage prod in REGION (checked against the template below). */
const RESPONDER_ROLE = `arn:aws:iam::${ACCOUNT}:role/credential-responder-prod-${REGION}-lambdaRole`;

/** Deploy settings of the configured stack (the default stack has none). */
const CONFIGURED = {
  RUNBOOK_PUBLISHERS: `${INCIDENT_RESPONDER},${SECURITY_ADMINS}`,
  ALLOWED_ACCOUNT_IDS: MEMBER,
  ROOT_KEYS: 'delete',
};

let stacks: { default: Stack; configured: Stack };

beforeAll(() => {
  stacks = {
    default: new Stack(packageTemplate()),
    configured: new Stack(packageTemplate(CONFIGURED)),
  };
}, 240_000);

/** The packaged template, resolved as CloudFormation would in ACCOUNT and REGION. */
class Stack {
  private readonly refs: Record<string, string> = {
    'AWS::AccountId': ACCOUNT,
    'AWS::Region': REGION,
    'AWS::Partition': 'aws',
  };
  private readonly arns: Record<string, string> = {};

  constructor(private readonly template: Template) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      const { Type, Properties } = resource;
      if (Type === 'AWS::SNS::Topic')
        this.refs[id] = `arn:aws:sns:${REGION}:${ACCOUNT}:${Properties.TopicName}`;
      if (Type === 'AWS::KMS::Key') {
        this.refs[id] = KEY_ID;
        this.arns[id] = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
      }
      // A role without a RoleName gets a generated one: its logical id stands for it here.
      if (Type === 'AWS::IAM::Role')
        this.arns[id] = `arn:aws:iam::${ACCOUNT}:role/${Properties.RoleName ?? id}`;
      if (Type === 'AWS::SQS::Queue')
        this.arns[id] = `arn:aws:sqs:${REGION}:${ACCOUNT}:${Properties.QueueName}`;
    }
  }

  /** A resource's properties, every intrinsic resolved. */
  properties(logicalId: string): any {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`no resource ${logicalId}`);
    return this.resolve(resource.Properties);
  }

  /** The physical id (Ref) of a resource. */
  ref(logicalId: string): string {
    return this.resolve({ Ref: logicalId }) as string;
  }

  get roleArn(): string {
    return `arn:aws:iam::${ACCOUNT}:role/${this.properties('IamRoleLambdaExecution').RoleName}`;
  }

  get rolePolicy(): unknown {
    return this.properties('IamRoleLambdaExecution').Policies[0].PolicyDocument;
  }

  topicPolicy(topicLogicalId: string): unknown {
    const policies = Object.entries(this.template.Resources).filter(
      ([, r]) =>
        r.Type === 'AWS::SNS::TopicPolicy' &&
        JSON.stringify(r.Properties.Topics) === JSON.stringify([{ Ref: topicLogicalId }]),
    );
    if (policies.length !== 1) throw new Error(`${policies.length} policies for ${topicLogicalId}`);
    return this.properties(policies[0]?.[0] as string).PolicyDocument;
  }

  private resolve(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.resolve(n)).filter((v) => v !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    const [fn, arg] = entries[0] ?? [];
    if (entries.length === 1 && fn && (fn === 'Ref' || fn === 'Condition' || fn.startsWith('Fn::')))
      return this.intrinsic(fn, arg);
    return Object.fromEntries(
      entries.map(([k, v]) => [k, this.resolve(v)]).filter(([, v]) => v !== NO_VALUE),
    );
  }

  private condition(name: string): boolean {
    const condition = this.template.Conditions?.[name];
    if (condition === undefined) throw new Error(`unknown condition ${name}`);
    return this.resolve(condition) === true;
  }

  private intrinsic(fn: string, arg: any): unknown {
    const known = (table: Record<string, string>, name: string) => {
      const found = table[name];
      if (found === undefined) throw new Error(`cannot resolve ${fn} ${name}`);
      return found;
    };
    switch (fn) {
      case 'Ref':
        return arg === 'AWS::NoValue' ? NO_VALUE : known(this.refs, arg);
      case 'Condition':
        return this.condition(arg);
      case 'Fn::If':
        return this.resolve(this.condition(arg[0]) ? arg[1] : arg[2]);
      case 'Fn::Equals':
        return this.resolve(arg[0]) === this.resolve(arg[1]);
      case 'Fn::Not':
        return this.resolve(arg[0]) !== true;
      case 'Fn::GetAtt':
        if (arg[1] !== 'Arn') throw new Error(`cannot resolve GetAtt ${arg.join('.')}`);
        return known(this.arns, arg[0]);
      case 'Fn::Sub':
        if (typeof arg !== 'string') throw new Error('Fn::Sub with variables is not resolved here');
        return arg.replace(/\$\{([\w:]+)\}/g, (_, name: string) => known(this.refs, name));
      case 'Fn::Join':
        return (this.resolve(arg[1]) as string[]).join(arg[0]);
      // Like CloudFormation: splitting '' gives [''].
      case 'Fn::Split':
        return (this.resolve(arg[1]) as string).split(arg[0]);
      default:
        throw new Error(`cannot resolve ${fn}`);
    }
  }
}

type Context = Record<string, string>;
interface Caller {
  principal: string;
  context: Context;
  identity?: unknown;
}

/** A session of an IAM role (ARN with its path), with these identity policies. */
function roleSession(roleArn: string, identity?: unknown): Caller {
  const [, , , , account, resource] = roleArn.split(':');
  const name = resource?.split('/').at(-1);
  return {
    principal: `arn:aws:sts::${account}:assumed-role/${name}/session`,
    context: {
      'aws:PrincipalArn': roleArn,
      'aws:PrincipalAccount': account as string,
      'aws:PrincipalIsAWSService': 'false',
    },
    identity,
  };
}

/** The account's root user, with these identity policies (which do not bind it). */
function accountRoot(identity?: unknown): Caller {
  const arn = `arn:aws:iam::${ACCOUNT}:root`;
  return {
    principal: arn,
    context: {
      'aws:PrincipalArn': arn,
      'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalIsAWSService': 'false',
    },
    identity,
  };
}

/** An AWS service principal acting for a resource (aws:SourceArn) of an account. */
function servicePrincipal(
  name: string,
  sourceArn: string,
  sourceAccount = sourceArn.split(':')[4] as string,
): Caller {
  return {
    principal: name,
    context: {
      'aws:PrincipalIsAWSService': 'true',
      'aws:PrincipalServiceName': name,
      'aws:SourceAccount': sourceAccount,
      'aws:SourceArn': sourceArn,
    },
  };
}

const allows = (action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
});

async function decide(
  caller: Caller,
  action: string,
  resource: string,
  options: { resourcePolicy?: unknown; context?: Context; identityOnly?: boolean } = {},
): Promise<EvaluationResult> {
  const resourceAccount = resource.split(':')[4] as string;
  const result = await runSimulation(
    {
      request: {
        principal: caller.principal,
        action,
        resource: { resource, accountId: resourceAccount },
        contextVariables: {
          'aws:SecureTransport': 'true',
          'aws:ResourceAccount': resourceAccount,
          ...caller.context,
          ...options.context,
        },
      },
      identityPolicies: caller.identity ? [{ name: 'identity', policy: caller.identity }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(options.resourcePolicy ? { resourcePolicy: options.resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType !== 'single') throw new Error(JSON.stringify(result));
  // A key the simulator dropped as not applying to the request would make the answer a guess.
  expect(result.result.ignoredContextKeys ?? []).toEqual([]);
  // No resource policy decides AssumeRoot (AWS Organizations' centralized root access does, for
  // the management and delegated administrator accounts): only the caller's own policy is asked.
  if (options.identityOnly)
    return result.result.analysis?.identityAnalysis?.result ?? 'ImplicitlyDenied';
  return result.overallResult;
}

describe('the runbook topic', () => {
  const publish = (stack: Stack, caller: Caller, context?: Context) =>
    decide(caller, 'sns:Publish', stack.ref('RunbookTopic'), {
      resourcePolicy: stack.topicPolicy('RunbookTopic'),
      context,
    });

  it.each<[string, EvaluationResult, Caller]>([
    ['a RUNBOOK_PUBLISHERS role', 'Allowed', roleSession(INCIDENT_RESPONDER)],
    ['a role like a RUNBOOK_PUBLISHERS pattern', 'Allowed', roleSession(SECURITY_ADMIN)],
    [
      'another role of the account allowed sns:* by its identity policy',
      'ExplicitlyDenied',
      roleSession(POWER_USER, allows('sns:*')),
    ],
    [
      "a role of another account with a publisher's name, allowed sns:*",
      'ExplicitlyDenied',
      roleSession(`arn:aws:iam::${STRANGER}:role/IncidentResponder`, allows('sns:*')),
    ],
    ['the account root', 'ExplicitlyDenied', accountRoot(allows('sns:*'))],
  ])(
    'with RUNBOOK_PUBLISHERS set, answers a publish by %s with %s',
    async (_who, expected, caller) => {
      expect(await publish(stacks.configured, caller)).toBe(expected);
    },
  );

  it('denies a RUNBOOK_PUBLISHERS role that publishes without TLS', async () => {
    expect(
      await publish(stacks.configured, roleSession(INCIDENT_RESPONDER, allows('sns:*')), {
        'aws:SecureTransport': 'false',
      }),
    ).toBe('ExplicitlyDenied');
  });

  it.each<[string, Caller]>([
    ['the role a deployer would list', roleSession(INCIDENT_RESPONDER, allows('sns:Publish'))],
    ['a PowerUser-like role allowed sns:*', roleSession(POWER_USER, allows('sns:*'))],
  ])('with RUNBOOK_PUBLISHERS unset, explicitly denies %s', async (_who, caller) => {
    expect(await publish(stacks.default, caller)).toBe('ExplicitlyDenied');
  });
});

describe('the findings topic', () => {
  const rule = (account: string) => `arn:aws:events:${REGION}:${account}:rule/relay-findings`;
  const publish = (caller: Caller) =>
    decide(caller, 'sns:Publish', stacks.default.ref('FindingsTopic'), {
      resourcePolicy: stacks.default.topicPolicy('FindingsTopic'),
    });

  it.each<[string, EvaluationResult, Caller]>([
    [
      'EventBridge, for a rule of this account',
      'Allowed',
      servicePrincipal('events.amazonaws.com', rule(ACCOUNT)),
    ],
    [
      'EventBridge, for a rule of another account',
      'ImplicitlyDenied',
      servicePrincipal('events.amazonaws.com', rule(STRANGER)),
    ],
    [
      'another service, for a resource of this account',
      'ExplicitlyDenied',
      servicePrincipal('s3.amazonaws.com', 'arn:aws:s3:::bucket-of-this-account', ACCOUNT),
    ],
    [
      'a role of the account allowed sns:* by its identity policy',
      'ExplicitlyDenied',
      roleSession(POWER_USER, allows('sns:*')),
    ],
    [
      'the responder itself, allowed sns:* by its identity policy',
      'ExplicitlyDenied',
      roleSession(RESPONDER_ROLE, allows('sns:*')),
    ],
    ['the account root, allowed sns:*', 'ExplicitlyDenied', accountRoot(allows('sns:*'))],
  ])('answers a publish by %s with %s', async (_who, expected, caller) => {
    expect(await publish(caller)).toBe(expected);
  });
});

describe('the notification topic (the follow-up acts on the reports it carries)', () => {
  const alarm = (account: string) => `arn:aws:cloudwatch:${REGION}:${account}:alarm:any`;
  const publish = (caller: Caller, context?: Context) =>
    decide(caller, 'sns:Publish', stacks.default.ref('NotificationTopic'), {
      resourcePolicy: stacks.default.topicPolicy('NotificationTopic'),
      ...(context ? { context } : {}),
    });

  it('lets the responder publish its reports', async () => {
    const stack = stacks.default;

    expect(await publish(roleSession(stack.roleArn, stack.rolePolicy))).toBe('Allowed');
  });

  it.each<[string, EvaluationResult, Caller]>([
    [
      'CloudWatch, for an alarm of this account',
      'Allowed',
      servicePrincipal('cloudwatch.amazonaws.com', alarm(ACCOUNT)),
    ],
    [
      'CloudWatch, for an alarm of another account',
      'ImplicitlyDenied',
      servicePrincipal('cloudwatch.amazonaws.com', alarm(STRANGER)),
    ],
    [
      'EventBridge, for a rule of this account',
      'ExplicitlyDenied',
      servicePrincipal('events.amazonaws.com', `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`),
    ],
    [
      'a role of the account allowed sns:* by its identity policy',
      'ExplicitlyDenied',
      roleSession(POWER_USER, allows('sns:*')),
    ],
    ['the account root, allowed sns:*', 'ExplicitlyDenied', accountRoot(allows('sns:*'))],
  ])('answers a publish by %s with %s', async (_who, expected, caller) => {
    expect(await publish(caller)).toBe(expected);
  });

  it('refuses even the responder without TLS', async () => {
    const stack = stacks.default;

    expect(
      await publish(roleSession(stack.roleArn, stack.rolePolicy), {
        'aws:SecureTransport': 'false',
      }),
    ).toBe('ExplicitlyDenied');
  });
});

describe('the topics key', () => {
  const alarm = (account: string) => `arn:aws:cloudwatch:${REGION}:${account}:alarm:any`;
  const use = (caller: Caller, action = 'kms:GenerateDataKey') =>
    decide(caller, action, `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`, {
      resourcePolicy: stacks.default.properties('TopicKey').KeyPolicy,
    });

  it.each<[string, EvaluationResult, Caller]>([
    [
      'CloudWatch, for an alarm of this account',
      'Allowed',
      servicePrincipal('cloudwatch.amazonaws.com', alarm(ACCOUNT)),
    ],
    [
      'CloudWatch, for an alarm of another account',
      'ImplicitlyDenied',
      servicePrincipal('cloudwatch.amazonaws.com', alarm(STRANGER)),
    ],
    [
      'EventBridge, for a rule of this account',
      'Allowed',
      servicePrincipal('events.amazonaws.com', `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`),
    ],
    [
      'EventBridge, for a rule of another account',
      'ImplicitlyDenied',
      servicePrincipal('events.amazonaws.com', `arn:aws:events:${REGION}:${STRANGER}:rule/r`),
    ],
    ['a role of the account with no KMS permission', 'ImplicitlyDenied', roleSession(POWER_USER)],
  ])('answers GenerateDataKey by %s with %s', async (_who, expected, caller) => {
    expect(await use(caller)).toBe(expected);
  });

  it('lets the execution role publish its reports to the encrypted notification topic', async () => {
    const stack = stacks.default;
    const responder = roleSession(stack.roleArn, stack.rolePolicy);

    expect(await use(responder, 'kms:GenerateDataKey')).toBe('Allowed');
    expect(await use(responder, 'kms:Decrypt')).toBe('Allowed');
    expect(await decide(responder, 'sns:Publish', stack.ref('NotificationTopic'))).toBe('Allowed');
    expect(await decide(responder, 'sns:Publish', stack.ref('FindingsTopic'))).not.toBe('Allowed');
  });
});

describe("the execution role's own policy", () => {
  const iamOf = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
  const act = (
    stack: Stack,
    action: string,
    resource: string,
    resourcePolicy?: unknown,
    context?: Context,
  ) =>
    decide(roleSession(stack.roleArn, stack.rolePolicy), action, resource, {
      resourcePolicy,
      context,
    });

  it('names the role the framework creates (the account and region resolved)', () => {
    expect(stacks.default.roleArn).toBe(RESPONDER_ROLE);
  });

  it.each([
    'iam:PutRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:AttachRolePolicy',
    'iam:DetachRolePolicy',
    'iam:UpdateAssumeRolePolicy',
    'iam:TagRole',
    'iam:UntagRole',
    'iam:PutRolePermissionsBoundary',
    'iam:DeleteRolePermissionsBoundary',
    'iam:PassRole',
  ])('explicitly denies %s on the role itself', async (action) => {
    expect(await act(stacks.default, action, stacks.default.roleArn)).toBe('ExplicitlyDenied');
  });

  it.each<[string, string, EvaluationResult]>([
    ['iam:PutRolePolicy', iamOf(ACCOUNT, 'app'), 'Allowed'],
    ['iam:DeleteRolePolicy', iamOf(ACCOUNT, 'service-role/app'), 'Allowed'],
    ['iam:PutRolePolicy', iamOf(ACCOUNT, 'credential-responder-member'), 'ExplicitlyDenied'],
    ['iam:DeleteRolePolicy', iamOf(ACCOUNT, 'credential-responder-member'), 'ExplicitlyDenied'],
    ['iam:AttachRolePolicy', iamOf(ACCOUNT, 'credential-responder-member'), 'ExplicitlyDenied'],
    ['iam:UntagRole', iamOf(ACCOUNT, 'credential-responder-member'), 'ExplicitlyDenied'],
    ['iam:AttachRolePolicy', iamOf(ACCOUNT, 'app'), 'ImplicitlyDenied'],
  ])('answers %s on %s with %s', async (action, resource, expected) => {
    expect(await act(stacks.default, action, resource)).toBe(expected);
  });

  // The customer-managed deny policies of shared/actions/managed-policy.ts, used when a principal's
  // inline-policy space is full: the responder creates them under its own path and may attach
  // those and nothing else (iam:PolicyARN, which IAM sets on every Attach/Detach request).
  const policyOf = (account: string, pathAndName: string) =>
    `arn:aws:iam::${account}:policy/${pathAndName}`;
  const ownPolicy = policyOf(ACCOUNT, 'credential-responder/revoke-role-app');
  const userOf = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

  it.each<[string, string, EvaluationResult]>([
    ['iam:CreatePolicy', policyOf(ACCOUNT, 'credential-responder/x'), 'Allowed'],
    ['iam:CreatePolicyVersion', policyOf(ACCOUNT, 'credential-responder/x'), 'Allowed'],
    ['iam:DeletePolicy', policyOf(ACCOUNT, 'credential-responder/x'), 'Allowed'],
    ['iam:GetPolicyVersion', policyOf(ACCOUNT, 'credential-responder/x'), 'Allowed'],
    ['iam:CreatePolicy', policyOf(ACCOUNT, 'other/x'), 'ImplicitlyDenied'],
    ['iam:CreatePolicy', policyOf(ACCOUNT, 'x'), 'ImplicitlyDenied'],
    ['iam:CreatePolicy', policyOf(ACCOUNT, 'credential-responder-other/x'), 'ImplicitlyDenied'],
    ['iam:CreatePolicyVersion', policyOf(ACCOUNT, 'other/x'), 'ImplicitlyDenied'],
    ['iam:DeletePolicy', policyOf(ACCOUNT, 'other/x'), 'ImplicitlyDenied'],
    ['iam:CreatePolicy', policyOf(STRANGER, 'credential-responder/x'), 'ImplicitlyDenied'],
  ])('answers %s on %s with %s', async (action, resource, expected) => {
    expect(await act(stacks.default, action, resource)).toBe(expected);
  });

  it.each<[string, string, string, EvaluationResult]>([
    ['iam:AttachRolePolicy', iamOf(ACCOUNT, 'app'), ownPolicy, 'Allowed'],
    ['iam:DetachRolePolicy', iamOf(ACCOUNT, 'service-role/app'), ownPolicy, 'Allowed'],
    ['iam:AttachUserPolicy', userOf('alice'), ownPolicy, 'Allowed'],
    ['iam:DetachUserPolicy', userOf('dev/alice'), ownPolicy, 'Allowed'],
    ...[
      'arn:aws:iam::aws:policy/AdministratorAccess',
      policyOf(ACCOUNT, 'other/x'),
      policyOf(ACCOUNT, 'x'),
      // A path that only starts like the responder's.
      policyOf(ACCOUNT, 'credential-responder-other/x'),
      policyOf(STRANGER, 'credential-responder/x'),
    ].flatMap((policy): [string, string, string, EvaluationResult][] => [
      ['iam:AttachRolePolicy', iamOf(ACCOUNT, 'app'), policy, 'ImplicitlyDenied'],
      ['iam:AttachUserPolicy', userOf('alice'), policy, 'ImplicitlyDenied'],
      ['iam:DetachRolePolicy', iamOf(ACCOUNT, 'app'), policy, 'ImplicitlyDenied'],
      ['iam:DetachUserPolicy', userOf('alice'), policy, 'ImplicitlyDenied'],
    ]),
    ['iam:AttachRolePolicy', RESPONDER_ROLE, ownPolicy, 'ExplicitlyDenied'],
    ['iam:DetachRolePolicy', RESPONDER_ROLE, ownPolicy, 'ExplicitlyDenied'],
    [
      'iam:AttachRolePolicy',
      iamOf(ACCOUNT, 'credential-responder-member'),
      ownPolicy,
      'ExplicitlyDenied',
    ],
  ])('answers %s on %s, iam:PolicyARN %s, with %s', async (action, resource, policy, expected) => {
    expect(
      await act(stacks.default, action, resource, undefined, { 'iam:PolicyARN': policy }),
    ).toBe(expected);
  });

  // The hold check's schedules run as the scheduler role: the responder may hand that role to
  // EventBridge Scheduler, and to nothing else; no other role at all (its own least of all).
  it.each<[string, string, EvaluationResult]>([
    [iamOf(ACCOUNT, 'HoldCheckSchedulerRole'), 'scheduler.amazonaws.com', 'Allowed'],
    [iamOf(ACCOUNT, 'HoldCheckSchedulerRole'), 'lambda.amazonaws.com', 'ImplicitlyDenied'],
    [iamOf(ACCOUNT, 'HoldCheckSchedulerRole'), 'ec2.amazonaws.com', 'ImplicitlyDenied'],
    [iamOf(ACCOUNT, 'admin'), 'scheduler.amazonaws.com', 'ImplicitlyDenied'],
    [RESPONDER_ROLE, 'scheduler.amazonaws.com', 'ExplicitlyDenied'],
    [iamOf(ACCOUNT, 'credential-responder-member'), 'scheduler.amazonaws.com', 'ExplicitlyDenied'],
  ])('answers iam:PassRole of %s to %s with %s', async (role, service, expected) => {
    expect(
      await act(stacks.default, 'iam:PassRole', role, undefined, {
        'iam:PassedToService': service,
      }),
    ).toBe(expected);
  });

  it.each<[string, EvaluationResult]>([
    [`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/credential-responder-prod/hold-x`, 'Allowed'],
    [`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/hold-x`, 'ImplicitlyDenied'],
    [
      `arn:aws:scheduler:${REGION}:${STRANGER}:schedule/credential-responder-prod/hold-x`,
      'ImplicitlyDenied',
    ],
  ])('answers scheduler:CreateSchedule on %s with %s', async (schedule, expected) => {
    expect(await act(stacks.default, 'scheduler:CreateSchedule', schedule)).toBe(expected);
  });

  // The member role's trust policy admits the responder: the answer is the responder's own policy's.
  const assume = (stack: Stack, account: string) => {
    const resource = iamOf(account, 'credential-responder-member');
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: stack.roleArn }, Action: 'sts:AssumeRole' }],
    };
    return act(stack, 'sts:AssumeRole', resource, trust);
  };

  it('assumes the member role in an account of ALLOWED_ACCOUNT_IDS', async () => {
    expect(await assume(stacks.configured, MEMBER)).toBe('Allowed');
  });

  it('does not assume the member role in an account outside ALLOWED_ACCOUNT_IDS', async () => {
    expect(await assume(stacks.configured, STRANGER)).not.toBe('Allowed');
    expect(await assume(stacks.configured, ACCOUNT)).not.toBe('Allowed');
  });

  const DELETE_TASK = 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials';
  const rootSession = (stack: Stack, account: string, taskPolicy: string) =>
    decide(
      roleSession(stack.roleArn, stack.rolePolicy),
      'sts:AssumeRoot',
      `arn:aws:iam::${account}:root`,
      { context: { 'sts:TaskPolicyArn': taskPolicy }, identityOnly: true },
    );

  it('takes a root session of an allowed member account, only to delete root credentials', async () => {
    expect(await rootSession(stacks.configured, MEMBER, DELETE_TASK)).toBe('Allowed');
    for (const task of [
      'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials',
      'arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword',
      'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
    ])
      expect(await rootSession(stacks.configured, MEMBER, task), task).not.toBe('Allowed');
  });

  it('takes no root session of an account outside ALLOWED_ACCOUNT_IDS, nor of its own', async () => {
    expect(await rootSession(stacks.configured, STRANGER, DELETE_TASK)).not.toBe('Allowed');
    expect(await rootSession(stacks.configured, ACCOUNT, DELETE_TASK)).not.toBe('Allowed');
  });

  it('takes no root session at all unless ROOT_KEYS=delete', async () => {
    const allowedOnly = new Stack(packageTemplate({ ALLOWED_ACCOUNT_IDS: MEMBER }));
    for (const account of [MEMBER, STRANGER, ACCOUNT])
      expect(await rootSession(allowedOnly, account, DELETE_TASK), account).not.toBe('Allowed');
    expect(await rootSession(stacks.default, MEMBER, DELETE_TASK)).not.toBe('Allowed');
  }, 120_000);

  it('assumes the member role nowhere when ALLOWED_ACCOUNT_IDS is unset', async () => {
    for (const account of [MEMBER, STRANGER, ACCOUNT])
      expect(await assume(stacks.default, account), account).not.toBe('Allowed');
  });
});
