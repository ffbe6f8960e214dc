import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { loadConfig } from '../../shared/config';
import { clientsAt } from '../support/endpoint';
import {
  MEMBER,
  OWN,
  type RootAccess,
  rootKeyFinding,
  startRootAccess,
} from '../support/root-access';

/**
 * Deleting a root key cannot be undone: every way to point that power at the wrong key ends in an
 * escalation with nothing deleted (support/root-access.ts: an organization on the stand-in).
 */
let root: RootAccess;

beforeAll(async () => {
  root = await startRootAccess();
});
afterAll(() => root.stop());
beforeEach(() => {
  root.reset();
  root.standIn.resetCalls();
});

const deleted = () => root.standIn.calls.get('DeleteAccessKey') ?? 0;

describe('the root-key path cannot be turned against other keys', () => {
  it("escalates a finding that calls an IAM user's key a root key, and deletes nothing", async () => {
    const member = clientsAt(root.standIn.url, root.admin.rootCredentials(MEMBER), 1);
    await member.iam.send(new CreateUserCommand({ UserName: 'demo-member-dev' }));
    const key = await member.iam.send(new CreateAccessKeyCommand({ UserName: 'demo-member-dev' }));
    const keyId = key.AccessKey?.AccessKeyId ?? '';

    const report = await root.respondTo(rootKeyFinding(MEMBER, keyId));

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/belongs to user demo-member-dev, not to the root user/);
    expect(deleted()).toBe(0);
    const keys = await member.iam.send(new ListAccessKeysCommand({ UserName: 'demo-member-dev' }));
    expect(keys.AccessKeyMetadata?.map((k) => k.Status)).toEqual(['Active']);
  });

  it('deletes only the key named, never the root user’s other keys', async () => {
    const named = root.newRootKey(MEMBER);
    const other = root.newRootKey(MEMBER);

    expect((await root.respondTo(rootKeyFinding(MEMBER, named))).outcome).toBe('contained');

    const left = await root.rootKeysOf(MEMBER);
    expect(left).not.toContain(named);
    expect(left).toContain(other);
    expect(deleted()).toBe(1);
  });

  it("escalates a finding from an allowed account about another account's root key", async () => {
    const elsewhere = '333333333333';
    root.admin.organization({
      managementAccountId: '111111111111',
      memberAccountIds: [OWN, MEMBER, elsewhere],
      delegatedAdministratorId: OWN,
    });
    const key = root.newRootKey(elsewhere);

    const report = await root.respondTo(rootKeyFinding(MEMBER, key), {
      allowedAccountIds: [MEMBER],
    });

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/inconsistent input/);
    expect(await root.rootKeysOf(elsewhere)).toContain(key);
    expect(root.standIn.calls.get('AssumeRoot')).toBeUndefined();
  });

  it("escalates the responder's own account's root key, even when allowed", async () => {
    const key = root.newRootKey(OWN);

    const report = await root.respondTo(rootKeyFinding(OWN, key), {
      allowedAccountIds: [MEMBER, OWN],
    });

    expect(report.outcome).toBe('escalated');
    expect(await root.rootKeysOf(OWN)).toContain(key);
    expect(root.standIn.calls.get('AssumeRoot')).toBeUndefined();
  });

  it('does not take the root path for a session of the root user (ASIA), nor for other user types', async () => {
    const key = root.newRootKey(MEMBER);
    for (const [id, userType] of [
      ['ASIAEXAMPLEMEMROOT09', 'Root'],
      [key, 'root'],
      [key, 'AssumedRole'],
    ] as const) {
      const report = await root.respondTo(rootKeyFinding(MEMBER, id, userType));
      expect(report.outcome, `${id} ${userType}`).toBe('escalated');
    }
    expect(root.standIn.calls.get('AssumeRoot')).toBeUndefined();
    expect(await root.rootKeysOf(MEMBER)).toContain(key);
  });

  it('refuses a ROOT_KEYS value it does not know rather than guessing', () => {
    expect(() => loadConfig({ ROOT_KEYS: 'yes' })).toThrow(/ROOT_KEYS/);
    expect(() => loadConfig({ ROOT_KEYS: 'DELETE' })).toThrow(/ROOT_KEYS/);
    expect(loadConfig({}).rootKeys).toBe('escalate');
  });

  it("escalates a runbook request that calls an IAM user's key a root key, and deletes nothing", async () => {
    const member = clientsAt(root.standIn.url, root.admin.rootCredentials(MEMBER), 1);
    await member.iam.send(new CreateUserCommand({ UserName: 'demo-member-ops' }));
    const key = await member.iam.send(new CreateAccessKeyCommand({ UserName: 'demo-member-ops' }));

    const [report] = [
      await contain(
        {
          runbook: 'contain',
          accessKeyId: key.AccessKey?.AccessKeyId ?? '',
          reason: 'mistaken for a root key',
          rootKey: true,
        },
        { awsRequestId: 'runbook-user-key' },
        root.deps(),
      ),
    ].flat();

    expect(report?.outcome).toBe('escalated');
    expect(deleted()).toBe(0);
    const keys = await member.iam.send(new ListAccessKeysCommand({ UserName: 'demo-member-ops' }));
    expect(keys.AccessKeyMetadata?.map((k) => k.Status)).toEqual(['Active']);
  });
});
