import { GetRoleCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import type { AwsClients } from '../../shared/aws-clients';
import type { Report } from '../../shared/report/report';
import type { StandIn } from '../stand-in/server';
import {
  EXTERNAL_ID,
  MEMBER,
  type Organization,
  MEMBER_ROLE as ROLE,
  startOrganization,
} from '../support/organization';
import { roleFindingEvent, seedUserWithKeys, userFindingEvent } from '../support/seed';

/** A key in a member account, reached through the member role (see support/organization.ts). */
let organization: Organization;
let standIn: StandIn;
let own: AwsClients;
let member: AwsClients;
const context = { awsRequestId: 'cross' };

beforeAll(async () => {
  organization = await startOrganization();
  ({ standIn, own, member } = organization);
});
afterAll(() => organization.stop());
beforeEach(() => standIn.resetCalls());

const deps: Organization['deps'] = (config) => organization.deps(config);

async function memberKeyStatus(userName: string) {
  const out = await member.iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return out.AccessKeyMetadata?.map((k) => k.Status);
}

describe('a key in a member account', () => {
  it('is contained through the member role', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(member, 1);

    const [report] = await onFinding(
      userFindingEvent(MEMBER, userName, accessKeyIds[0] ?? ''),
      context,
      deps(),
    );

    expect(report).toMatchObject({
      outcome: 'contained',
      accountId: MEMBER,
      principal: { name: userName, arn: `arn:aws:iam::${MEMBER}:user/${userName}` },
      notes: expect.arrayContaining([
        `Acted in account ${MEMBER} through arn:aws:iam::${MEMBER}:role/${ROLE} (writes as session cr-${report?.incidentId}).`,
      ]),
    });
    expect(await memberKeyStatus(userName)).toEqual(['Inactive']);
  });

  it('is found and contained from a bare key too', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(member, 1);

    const report = (await contain(
      { runbook: 'contain', accessKeyId: accessKeyIds[0] ?? '' },
      context,
      deps(),
    )) as Report;

    expect(report).toMatchObject({ outcome: 'contained', accountId: MEMBER });
    expect(await memberKeyStatus(userName)).toEqual(['Inactive']);
  });

  it('reuses the lookup session across incidents, and gives each incident its own for writes', async () => {
    const incidents = deps();
    const first = await seedUserWithKeys(member, 1);
    const second = await seedUserWithKeys(member, 1);

    await onFinding(
      userFindingEvent(MEMBER, first.userName, first.accessKeyIds[0] ?? ''),
      context,
      incidents,
    );
    await onFinding(
      userFindingEvent(MEMBER, second.userName, second.accessKeyIds[0] ?? ''),
      context,
      incidents,
    );

    expect(standIn.calls.get('AssumeRole')).toBe(3);
    expect(await memberKeyStatus(second.userName)).toEqual(['Inactive']);
  });

  it('is left alone, with an escalation naming the account, when the account is not allowed', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(member, 1);

    const [report] = await onFinding(
      userFindingEvent(MEMBER, userName, accessKeyIds[0] ?? ''),
      context,
      deps({ allowedAccountIds: [] }),
    );

    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/210987654321.*not in ALLOWED_ACCOUNT_IDS/),
    });
    expect(standIn.calls.get('AssumeRole')).toBeUndefined();
    expect(await memberKeyStatus(userName)).toEqual(['Active']);
  });

  it('fails on record with the AWS code, changing nothing, when AssumeRole is denied', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(member, 1);

    const [report] = await onFinding(
      userFindingEvent(MEMBER, userName, accessKeyIds[0] ?? ''),
      context,
      deps({ memberRoleExternalId: 'wrong-external-id' }),
    ).catch((error) => [error as Error]);

    expect(report).toMatchObject({ message: expect.stringMatching(/AccessDenied/) });
    expect(await memberKeyStatus(userName)).toEqual(['Active']);
  });

  it('never revokes the member role it acts through', async () => {
    const session = await own.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${MEMBER}:role/${ROLE}`,
        RoleSessionName: 'someone',
        ExternalId: EXTERNAL_ID,
      }),
    );
    const roleId =
      (await member.iam.send(new GetRoleCommand({ RoleName: ROLE }))).Role?.RoleId ?? '';
    const event = roleFindingEvent(MEMBER, ROLE, roleId, session.Credentials?.AccessKeyId ?? '');

    const [report] = await onFinding(event, context, deps());

    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/member role the responder acts through/),
    });
  });
});
