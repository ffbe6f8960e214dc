import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memberRolePermissions } from '../../shared/actions/registry';

/** The member-account role (CloudFormation JSON, deployed as a StackSet to member accounts). */
const template = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'member-account', 'member-role.json'), 'utf8'),
);
const role = template.Resources.MemberRole.Properties;
const statements: { Sid: string; Effect: string; Action: string[]; Resource: unknown }[] =
  role.Policies[0].PolicyDocument.Statement;
const allows = statements.filter((s) => s.Effect === 'Allow');

describe('the member role template', () => {
  it('grants exactly the actions the responder declares for an account', () => {
    expect(allows.flatMap((s) => s.Action).sort()).toEqual(memberRolePermissions());
  });

  it("scopes IAM actions to the account's users and roles", () => {
    for (const statement of allows) {
      const resource = JSON.stringify(statement.Resource);
      if (statement.Action.every((a) => a.startsWith('iam:') && /User|AccessKey/.test(a))) {
        expect(resource).toContain(':iam::${AWS::AccountId}:user/*');
      } else if (statement.Action.every((a) => a.startsWith('iam:'))) {
        expect(resource).toContain(':iam::${AWS::AccountId}:role/*');
      } else {
        expect(statement.Action).toEqual(['cloudtrail:LookupEvents']); // no resource-level permissions
      }
      expect(statement.Action.some((a) => a.includes('*'))).toBe(false);
    }
  });

  it('trusts only the responder role, with the external id and organization when given', () => {
    const [trust] = role.AssumeRolePolicyDocument.Statement;

    expect(role.AssumeRolePolicyDocument.Statement).toHaveLength(1);
    expect(trust).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: { Ref: 'ResponderRoleArn' } },
      Action: 'sts:AssumeRole',
    });
    const condition = JSON.stringify(trust.Condition);
    expect(condition).toContain('"HasExternalId"');
    expect(condition).toContain('"sts:ExternalId":{"Ref":"ExternalId"}');
    expect(condition).toContain('"aws:PrincipalOrgID":{"Ref":"OrganizationId"}');
  });

  it('can never be used to revoke or unprotect itself', () => {
    const deny = statements.find((s) => s.Effect === 'Deny');

    expect(deny?.Action.sort()).toEqual([
      'iam:DeleteRolePolicy',
      'iam:PutRolePolicy',
      'iam:TagRole',
      'iam:UntagRole',
    ]);
    expect(deny?.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${MemberRoleName}',
    });
    expect(role.Tags).toContainEqual({ Key: 'credential-responder:protected', Value: 'true' });
  });

  it('is named as the responder expects by default', () => {
    expect(template.Parameters.MemberRoleName.Default).toBe('credential-responder-member');
    expect(role.RoleName).toEqual({ Ref: 'MemberRoleName' });
  });
});
