import { beforeAll, describe, expect, it } from 'vitest';
import { requiredPermissions } from '../../shared/actions/registry';
import { packageTemplate, type Template } from './package-template';

let template: Template;

beforeAll(() => {
  template = packageTemplate();
}, 120_000);

const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);

describe('the packaged stack', () => {
  it('has the three functions, by name, on nodejs22.x', () => {
    const functions = ofType('AWS::Lambda::Function').map((f) => [
      f.Properties.FunctionName,
      f.Properties.Runtime,
    ]);

    expect(functions.sort()).toEqual([
      ['credential-responder-prod-contain', 'nodejs22.x'],
      ['credential-responder-prod-onFinding', 'nodejs22.x'],
      ['credential-responder-prod-onRunbook', 'nodejs22.x'],
    ]);
  });

  it('routes GuardDuty access key findings to onFinding', () => {
    const [rule] = ofType('AWS::Events::Rule');

    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.guardduty'],
      'detail-type': ['GuardDuty Finding'],
      detail: { resource: { resourceType: ['AccessKey'] } },
    });
    expect(rule?.Properties.Targets[0].Arn).toEqual({
      'Fn::GetAtt': ['OnFindingLambdaFunction', 'Arn'],
    });
  });

  it('subscribes onRunbook to the runbook topic the stack creates', () => {
    const [subscription] = ofType('AWS::SNS::Subscription');

    expect(template.Resources.RunbookTopic?.Type).toBe('AWS::SNS::Topic');
    expect(subscription?.Properties).toMatchObject({
      TopicArn: { Ref: 'RunbookTopic' },
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': ['OnRunbookLambdaFunction', 'Arn'] },
    });
  });

  it('grants exactly the IAM and STS actions the code declares, scoped to its own account', () => {
    const statements: { Action: string[]; Resource: unknown }[] =
      template.Resources.IamRoleLambdaExecution?.Properties.Policies[0].PolicyDocument.Statement;
    const granted = statements.flatMap((s) => s.Action).filter((a) => !a.startsWith('logs:'));

    expect(granted.sort()).toEqual(requiredPermissions());
    for (const statement of statements.filter((s) => s.Action.some((a) => a.startsWith('iam:')))) {
      expect(JSON.stringify(statement.Resource)).toMatch(
        /:iam::\$\{AWS::AccountId\}:(user|role)\/\*/,
      );
    }
  });
});
