import { describe, expect, it } from 'vitest';
import { organizations } from '../../shared/accounts/organization';
import { AwsCallError } from '../../shared/errors';
import { useScriptedServer } from '../support/scripted-server';

/**
 * Organizations' DescribeOrganization as it goes on the wire: a SigV4-signed JSON 1.1 POST to the
 * partition's global endpoint (signed for us-east-1 in the aws partition), asked once per
 * container. A local HTTP server plays Organizations with scripted answers.
 */
const wire = useScriptedServer('application/x-amz-json-1.1', { status: 500, body: '{}' });

const client = (region = 'eu-west-1') =>
  organizations({
    credentials: async () => ({ accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' }),
    region: async () => region,
    endpoint: wire.url,
  });

const described = (management: string) => ({
  status: 200,
  body: JSON.stringify({
    Organization: {
      Id: 'o-exampleorg1',
      MasterAccountId: management,
      MasterAccountArn: `arn:aws:organizations::${management}:account/o-exampleorg1/${management}`,
      FeatureSet: 'ALL',
    },
  }),
});

describe('Organizations DescribeOrganization', () => {
  it('names the management account, asked once, signed for organizations in us-east-1', async () => {
    wire.answers.push(described('111111111111'));
    const orgs = client();

    expect(await orgs.managementAccount()).toBe('111111111111');
    expect(await orgs.managementAccount()).toBe('111111111111');
    expect(wire.seen).toHaveLength(1);
    expect(wire.seen[0]?.headers['x-amz-target']).toBe(
      'AWSOrganizationsV20161128.DescribeOrganization',
    );
    expect(wire.seen[0]?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(wire.seen[0]?.body).toBe('{}');
    expect(wire.seen[0]?.headers.authorization).toMatch(
      /Credential=AKIAUNITTEST00000000\/\d{8}\/us-east-1\/organizations\/aws4_request/,
    );
  });

  it('signs for the China partition in cn-northwest-1', async () => {
    wire.answers.push(described('111111111111'));
    await client('cn-north-1').managementAccount();

    expect(wire.seen[0]?.headers.authorization).toMatch(/\/cn-northwest-1\/organizations\//);
  });

  it('answers undefined for an account in no organization', async () => {
    wire.answers.push({
      status: 400,
      body: JSON.stringify({
        __type: 'AWSOrganizationsNotInUseException',
        Message: 'Your account is not a member of an organization.',
      }),
    });

    expect(await client().managementAccount()).toBeUndefined();
  });

  it('throws a refusal with its code, and asks again next time', async () => {
    wire.answers.push({
      status: 400,
      body: JSON.stringify({ __type: 'AccessDeniedException', Message: 'not authorized' }),
    });
    const orgs = client();

    const refused = await orgs.managementAccount().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AwsCallError);
    expect((refused as AwsCallError).code).toBe('AccessDenied');
    wire.answers.push(described('222222222222'));
    expect(await orgs.managementAccount()).toBe('222222222222');
  });

  it('refuses an answer that names no management account', async () => {
    wire.answers.push({ status: 200, body: JSON.stringify({ Organization: { Id: 'o-x' } }) });

    await expect(client().managementAccount()).rejects.toThrow(/named no management account/);
  });
});
