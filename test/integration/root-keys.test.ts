import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import {
  MANAGEMENT,
  MEMBER,
  OWN,
  type RootAccess,
  rootKeyFinding,
  startRootAccess,
} from '../support/root-access';

/** Root access keys of member accounts through centralized root access (support/root-access.ts). */
let root: RootAccess;
let respondTo: RootAccess['respondTo'];
let newRootKey: RootAccess['newRootKey'];
let rootKeysOf: RootAccess['rootKeysOf'];

beforeAll(async () => {
  root = await startRootAccess();
  ({ respondTo, newRootKey, rootKeysOf } = root);
});
afterAll(() => root.stop());
beforeEach(() => root.reset());

describe('a root access key of a member account', () => {
  it('is deleted with ROOT_KEYS=delete, through a root session, and read back gone', async () => {
    const key = newRootKey(MEMBER);

    const report = await respondTo(rootKeyFinding(MEMBER, key));

    expect(report).toMatchObject({
      outcome: 'contained',
      accountId: MEMBER,
      principal: { type: 'Root', name: 'root', arn: `arn:aws:iam::${MEMBER}:root` },
      actions: [
        {
          name: 'delete-root-access-key',
          status: 'verified',
          detail: expect.stringMatching(/cannot be undone/),
        },
      ],
    });
    expect(report.notes.join(' ')).toMatch(/cannot be undone/);
    expect(await rootKeysOf(MEMBER)).not.toContain(key);
    expect(root.standIn.calls.get('AssumeRoot')).toBe(1);
    expect(root.standIn.calls.get('DeleteAccessKey')).toBe(1);
  });

  it('is only escalated with the default ROOT_KEYS, and nothing changes', async () => {
    const key = newRootKey(MEMBER);
    root.standIn.resetCalls();

    const report = await respondTo(rootKeyFinding(MEMBER, key), { rootKeys: 'escalate' });

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/root user/);
    expect(await rootKeysOf(MEMBER)).toContain(key);
    expect(root.standIn.calls.get('AssumeRoot')).toBeUndefined();
  });

  it("escalates the management account's root key, even when allowed, and nothing changes", async () => {
    const key = newRootKey(MANAGEMENT);
    root.standIn.resetCalls();

    const report = await respondTo(rootKeyFinding(MANAGEMENT, key), {
      allowedAccountIds: [MEMBER, MANAGEMENT],
    });

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/management account/);
    expect(await rootKeysOf(MANAGEMENT)).toContain(key);
    expect(root.standIn.calls.get('AssumeRoot')).toBeUndefined();
  });

  it('escalates with the reason when AssumeRoot is refused, and nothing changes', async () => {
    root.admin.organization({
      managementAccountId: MANAGEMENT,
      memberAccountIds: [OWN, MEMBER],
      delegatedAdministratorId: OWN,
      rootCredentialsManagement: false,
    });
    const key = newRootKey(MEMBER);

    const report = await respondTo(rootKeyFinding(MEMBER, key));

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/sts:AssumeRoot was refused \(AccessDenied/);
    expect(report.reason).toMatch(/centralized root access must be enabled/);
    expect(await rootKeysOf(MEMBER)).toContain(key);
  });

  it('escalates when the responder is neither the management account nor the delegated administrator', async () => {
    root.admin.organization({ managementAccountId: MANAGEMENT, memberAccountIds: [OWN, MEMBER] });
    const key = newRootKey(MEMBER);

    const report = await respondTo(rootKeyFinding(MEMBER, key));

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/sts:AssumeRoot was refused/);
    expect(await rootKeysOf(MEMBER)).toContain(key);
  });

  it('reports a redelivered finding after the deletion as already gone, deleting nothing', async () => {
    const key = newRootKey(MEMBER);
    const event = rootKeyFinding(MEMBER, key);
    expect((await respondTo(event)).outcome).toBe('contained');
    root.standIn.resetCalls();

    const again = await respondTo(event);

    expect(again.outcome).toBe('contained');
    expect(again.reason).toMatch(/already contained/);
    expect(again.actions).toEqual([
      expect.objectContaining({
        status: 'already-in-place',
        detail: expect.stringMatching(/already deleted/),
      }),
    ]);
    expect(root.standIn.calls.get('DeleteAccessKey')).toBeUndefined();
  });

  it('changes nothing in a dry run, and takes no root session', async () => {
    const key = newRootKey(MEMBER);
    root.standIn.resetCalls();

    const report = await respondTo(rootKeyFinding(MEMBER, key), { dryRun: true });

    expect(report.outcome).toBe('planned');
    expect(report.actions).toEqual([
      expect.objectContaining({ name: 'delete-root-access-key', status: 'planned' }),
    ]);
    expect(await rootKeysOf(MEMBER)).toContain(key);
    expect(root.standIn.calls.get('AssumeRoot')).toBeUndefined();
  });

  it('escalates when the member account is not allowed, and nothing changes', async () => {
    const key = newRootKey(MEMBER);

    const report = await respondTo(rootKeyFinding(MEMBER, key), { allowedAccountIds: [] });

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/not in ALLOWED_ACCOUNT_IDS/);
    expect(await rootKeysOf(MEMBER)).toContain(key);
  });

  it('escalates when the responder is in no organization', async () => {
    root.admin.organization({ managementAccountId: MANAGEMENT, memberAccountIds: [MEMBER] });
    const key = newRootKey(MEMBER);

    const report = await respondTo(rootKeyFinding(MEMBER, key));

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/in no AWS Organization/);
    expect(await rootKeysOf(MEMBER)).toContain(key);
  });

  it('is deleted on a runbook request that says it is a root key, once IAM lists it', async () => {
    const key = newRootKey(MEMBER);
    const [report] = [
      await contain(
        { runbook: 'contain', accessKeyId: key, reason: 'root key leaked', rootKey: true },
        { awsRequestId: 'runbook-root' },
        root.deps(),
      ),
    ].flat();

    expect(report).toMatchObject({ outcome: 'contained', source: 'runbook', accountId: MEMBER });
    expect(await rootKeysOf(MEMBER)).not.toContain(key);
  });
});
