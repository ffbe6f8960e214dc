import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import type { Report } from '../../shared/report/report';
import { inlinePolicy, keyStatuses } from '../support/iam-state';
import { MEMBER, type Organization, startOrganization } from '../support/organization';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  userFindingEvent,
} from '../support/seed';

/**
 * Attacks 6 (release acting in the wrong account) and 12 (member-account writes attributed to the
 * wrong incident) of issue 11. A second account exists only in the project's stand-in.
 */
let org: Organization;
const context = { awsRequestId: 'member-security' };

beforeAll(async () => {
  org = await startOrganization();
});
afterAll(() => org.stop());

const release = async (body: Record<string, unknown>) =>
  (await contain(
    { runbook: 'release', reason: 'false positive', ...body },
    context,
    org.deps(),
  )) as Report;

describe('attack 6: release in the account where the containment happened', () => {
  async function containedMemberRole() {
    const session = await seedRoleSession(org.member);
    const event = roleFindingEvent(MEMBER, session.roleName, session.roleId, session.accessKeyId);
    const [report] = await onFinding(event, context, org.deps());
    expect(report).toMatchObject({ outcome: 'contained', accountId: MEMBER });
    return { roleName: session.roleName, incidentId: report?.incidentId };
  }

  it('releases a member role named with its accountId', async () => {
    const { roleName, incidentId } = await containedMemberRole();

    const report = await release({ incidentId, roleName, accountId: MEMBER });

    expect(report).toMatchObject({ outcome: 'released', accountId: MEMBER });
    expect(await inlinePolicy(org.member, 'role', roleName)).toBeUndefined();
  });

  it("never looks for it in the responder's own account when no accountId is given", async () => {
    const { roleName, incidentId } = await containedMemberRole();

    const report = await release({ incidentId, roleName });

    expect(report).toMatchObject({ outcome: 'failed', accountId: org.ownAccount });
    expect(await inlinePolicy(org.member, 'role', roleName)).toBeDefined();
  });

  it('refuses an account the responder is not allowed in', async () => {
    const report = await release({
      incidentId: 'x',
      roleName: 'anything',
      accountId: '999999999999',
    });

    expect(report).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/not in ALLOWED_ACCOUNT_IDS/),
    });
  });

  it("refuses a key named with an account that is not the key's", async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(org.member, 1);
    const key = accessKeyIds[0] ?? '';
    const [contained] = await onFinding(
      userFindingEvent(MEMBER, userName, key),
      context,
      org.deps(),
    );

    const report = await release({
      incidentId: contained?.incidentId,
      accessKeyId: key,
      accountId: org.ownAccount,
    });

    expect(report).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/belongs to account 210987654321/),
    });
    expect(await keyStatuses(org.member, userName)).toEqual({ [key]: 'Inactive' });
  });
});

describe("attack 12: the member account's audit trail", () => {
  it('attributes each incident’s writes to a session named for it, in one container', async () => {
    const container = org.deps();
    const users = [await seedUserWithKeys(org.member, 1), await seedUserWithKeys(org.member, 1)];
    const reports: Report[] = [];
    for (const [i, user] of users.entries()) {
      const event = userFindingEvent(MEMBER, user.userName, user.accessKeyIds[0] ?? '');
      event.detail.id = `example0audit0trail0finding0${i}`;
      reports.push(...(await onFinding(event, context, container)));
    }

    const trail = await org.member.cloudtrail.lookupEvents({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'UpdateAccessKey' }],
    });
    const writer = (key: string) =>
      trail.Events?.find(
        (e) => JSON.parse(e.CloudTrailEvent ?? '{}').requestParameters?.accessKeyId === key,
      )?.Username;

    for (const [i, user] of users.entries()) {
      expect(writer(user.accessKeyIds[0] ?? '')).toBe(`cr-${reports[i]?.incidentId}`);
    }
  });
});
