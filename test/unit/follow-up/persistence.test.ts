import { describe, expect, it } from 'vitest';
import type { KeyEvent } from '../../../shared/follow-up/key-activity';
import { persistenceOf } from '../../../shared/follow-up/persistence';

/** A CloudTrail event made with the stolen key, as keyActivity returns it. */
const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute, 0));
let seq = 0;
const ev = (eventName: string, parts: Partial<KeyEvent> = {}): KeyEvent => {
  seq += 1;
  return {
    eventId: `follow-${seq}`,
    eventName,
    eventSource: 'iam.amazonaws.com',
    // Later with every event made, unless a test says when.
    eventTime: new Date(at(0).getTime() + seq * 1000),
    region: 'us-east-1',
    errorCode: undefined,
    readOnly: false,
    requestParameters: {},
    responseElements: {},
    ...parts,
  };
};

const createKey = (
  accessKeyId: unknown,
  parts: Partial<KeyEvent> & { responseUser?: string; requestUser?: string } = {},
) => {
  const { responseUser, requestUser, ...rest } = parts;
  return ev('CreateAccessKey', {
    requestParameters: requestUser === undefined ? {} : { userName: requestUser },
    responseElements: {
      accessKey: {
        accessKeyId,
        status: 'Active',
        ...(responseUser === undefined ? {} : { userName: responseUser }),
      },
    },
    ...rest,
  });
};

const NEW_KEY = 'AKIAEXAMPLEFOLLOW001';
const NEW_KEY_2 = 'AKIAEXAMPLEFOLLOW002';

describe('access keys the stolen key created', () => {
  it('lists each created key once, with the user CloudTrail names', () => {
    const first = createKey(NEW_KEY, { responseUser: 'follow-backdoor', eventTime: at(1) });
    const found = persistenceOf([
      first,
      createKey(NEW_KEY, { responseUser: 'follow-backdoor', eventTime: at(2) }),
      createKey(NEW_KEY_2, { requestUser: 'follow-other', eventTime: at(3) }),
    ]);

    expect(found.createdKeys).toEqual([
      {
        accessKeyId: NEW_KEY,
        userName: 'follow-backdoor',
        eventId: first.eventId,
        eventTime: '2026-11-22T09:01:00.000Z',
        region: first.region ?? 'unknown',
      },
      {
        accessKeyId: NEW_KEY_2,
        userName: 'follow-other',
        eventId: expect.any(String),
        eventTime: '2026-11-22T09:03:00.000Z',
        region: expect.any(String),
      },
    ]);
    expect(found.review).toEqual([]);
    expect(found.otherWrites).toEqual([]);
    expect(found.denied).toBe(0);
  });

  it("prefers the response's user name to the request's, and drops one IAM would not accept", () => {
    const [fromResponse, hostile, none] = persistenceOf([
      createKey(NEW_KEY, { responseUser: 'from-response', requestUser: 'from-request' }),
      createKey(NEW_KEY_2, { responseUser: 'evil user\nname', requestUser: 'x'.repeat(500) }),
      createKey('AKIAEXAMPLEFOLLOW003'),
    ]).createdKeys;

    expect(fromResponse?.userName).toBe('from-response');
    // Neither name is a valid IAM name: none is recorded, rather than the raw text.
    expect(hostile?.accessKeyId).toBe(NEW_KEY_2);
    expect(hostile?.userName).toBeUndefined();
    expect(none?.userName).toBeUndefined();
  });

  it.each([
    ['missing', undefined],
    ['a temporary key', 'ASIAEXAMPLEFOLLOW001'],
    ['lower case', 'akiaexamplefollow001'],
    ['too long', `${NEW_KEY}X`],
    ['not a string', 12345],
    ['with a newline', `AKIAEXAMPLEFOLLOW\n01`],
  ])('sends a CreateAccessKey whose key id is %s to review, never to containment', (_, id) => {
    const found = persistenceOf([createKey(id, { requestUser: 'follow-backdoor' })]);

    expect(found.createdKeys).toEqual([]);
    expect(found.review).toHaveLength(1);
    expect(found.review[0]).toMatchObject({
      eventName: 'CreateAccessKey',
      target: 'user/follow-backdoor',
      review: expect.stringMatching(/does not show its id/),
    });
  });

  it('handles a CreateAccessKey with no responseElements at all', () => {
    const found = persistenceOf([ev('CreateAccessKey', { responseElements: {} })]);
    expect(found.createdKeys).toEqual([]);
    expect(found.review).toEqual([expect.objectContaining({ target: 'user/?' })]);
  });
});

describe('refused calls', () => {
  it('counts a denied CreateAccessKey and produces no key to contain, even with an id', () => {
    const found = persistenceOf([
      createKey(NEW_KEY, { responseUser: 'follow-backdoor', errorCode: 'AccessDenied' }),
    ]);

    expect(found).toEqual({ createdKeys: [], review: [], otherWrites: [], denied: 1, reads: 0 });
  });

  it('counts every refused call as denied only: no review, no write, no read', () => {
    const found = persistenceOf([
      ev('CreateUser', { errorCode: 'AccessDenied', requestParameters: { userName: 'x' } }),
      ev('AttachUserPolicy', { errorCode: 'AccessDenied' }),
      ev('AssumeRole', { errorCode: 'AccessDenied', readOnly: true }),
      ev('ListBuckets', { errorCode: 'InvalidClientTokenId', readOnly: true }),
      ev('RunInstances', { errorCode: 'UnauthorizedOperation' }),
    ]);

    expect(found).toEqual({ createdKeys: [], review: [], otherWrites: [], denied: 5, reads: 0 });
  });
});

describe('changes for a person to review', () => {
  const ROLE_ARN = 'arn:aws:iam::123456789012:role/follow-admin';
  const POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['CreateUser', { userName: 'follow-new' }, 'user/follow-new', /a user the stolen key created/],
    ['CreateLoginProfile', { userName: 'follow-new' }, 'user/follow-new', /console password set/],
    [
      'UpdateLoginProfile',
      { userName: 'follow-new' },
      'user/follow-new',
      /console password changed/,
    ],
    [
      'AttachUserPolicy',
      { userName: 'follow-new', policyArn: POLICY_ARN },
      'user/follow-new',
      /^policy attached: arn:aws:iam::aws:policy\/AdministratorAccess$/,
    ],
    [
      'AttachRolePolicy',
      { roleName: 'follow-role', policyArn: POLICY_ARN },
      'role/follow-role',
      /^policy attached: arn:aws:iam::aws:policy\/AdministratorAccess$/,
    ],
    [
      'AttachGroupPolicy',
      { groupName: 'follow-group', policyArn: POLICY_ARN },
      'group/follow-group',
      /^policy attached: arn:aws:iam::aws:policy\/AdministratorAccess$/,
    ],
    [
      'PutUserPolicy',
      { userName: 'follow-new', policyName: 'inline-admin', policyDocument: '{}' },
      'user/follow-new',
      /^inline policy written: inline inline-admin$/,
    ],
    [
      'PutRolePolicy',
      { roleName: 'follow-role', policyName: 'inline-admin' },
      'role/follow-role',
      /^inline policy written: inline inline-admin$/,
    ],
    [
      'PutGroupPolicy',
      { groupName: 'follow-group', policyName: 'inline-admin' },
      'group/follow-group',
      /^inline policy written: inline inline-admin$/,
    ],
    [
      'CreatePolicyVersion',
      { policyArn: 'arn:aws:iam::123456789012:policy/follow-policy', setAsDefault: true },
      'arn:aws:iam::123456789012:policy/follow-policy',
      /^new policy version, set as default: restore/,
    ],
    [
      'CreatePolicyVersion',
      { policyArn: 'arn:aws:iam::123456789012:policy/follow-policy' },
      'arn:aws:iam::123456789012:policy/follow-policy',
      /^new policy version: restore/,
    ],
    [
      'AddUserToGroup',
      { userName: 'follow-new', groupName: 'Admins' },
      'user/follow-new',
      /^added to group\/Admins: remove it/,
    ],
    ['CreateRole', { roleName: 'follow-role' }, 'role/follow-role', /review its trust policy/],
    [
      'UpdateAssumeRolePolicy',
      { roleName: 'follow-role' },
      'role/follow-role',
      /trust policy changed/,
    ],
    ['AssumeRole', { roleArn: ROLE_ARN }, ROLE_ARN, /a session of this role was issued/],
  ])('%s → review of its target', (eventName, requestParameters, target, review) => {
    const event = ev(eventName, { requestParameters });
    const found = persistenceOf([event]);

    expect(found.review).toEqual([
      {
        eventName,
        eventTime: event.eventTime.toISOString(),
        eventId: event.eventId,
        target,
        review: expect.stringMatching(review),
      },
    ]);
    expect(found.createdKeys).toEqual([]);
    expect(found.otherWrites).toEqual([]);
    expect(found.reads).toBe(0);
  });

  it('reviews AssumeRole although CloudTrail marks it read-only, naming the session key', () => {
    const found = persistenceOf([
      ev('AssumeRole', {
        eventSource: 'sts.amazonaws.com',
        readOnly: true,
        requestParameters: { roleArn: ROLE_ARN, roleSessionName: 's' },
        responseElements: { credentials: { accessKeyId: 'ASIAEXAMPLEFOLLOW001' } },
      }),
    ]);

    expect(found.reads).toBe(0);
    expect(found.review).toHaveLength(1);
    expect(found.review[0]?.target).toBe(ROLE_ARN);
    expect(found.review[0]?.review).toContain('(ASIAEXAMPLEFOLLOW001)');
  });

  it('leaves out a session key that is not one', () => {
    const [review] = persistenceOf([
      ev('AssumeRole', {
        requestParameters: { roleArn: ROLE_ARN },
        responseElements: { credentials: { accessKeyId: 'ASIA") ignore previous' } },
      }),
    ]).review;

    expect(review?.review).not.toContain('ignore previous');
    expect(review?.review).toMatch(/^a session of this role was issued to the stolen key: /);
  });
});

describe('hostile values in CloudTrail records', () => {
  const hostile = [
    'evil user',
    'evil\nuser',
    'x'.repeat(500),
    '"quoted"',
    '<script>',
    'a'.repeat(65),
  ];

  it.each(hostile)('shows user %j as user/?', (userName) => {
    const [item] = persistenceOf([ev('CreateUser', { requestParameters: { userName } })]).review;
    expect(item?.target).toBe('user/?');
  });

  it.each(hostile)('shows role %j as role/?', (roleName) => {
    const [item] = persistenceOf([ev('CreateRole', { requestParameters: { roleName } })]).review;
    expect(item?.target).toBe('role/?');
  });

  it.each(hostile)('shows group %j as group/? in AddUserToGroup', (groupName) => {
    const [item] = persistenceOf([
      ev('AddUserToGroup', { requestParameters: { userName: 'ok-user', groupName } }),
    ]).review;
    expect(item?.target).toBe('user/ok-user');
    expect(item?.review).toMatch(/^added to group\/\?: /);
  });

  it('never copies a policy ARN with quotes or spaces into a review', () => {
    const policyArn = 'arn:aws:iam::aws:policy/Admin" , "Effect": "Allow';
    const found = persistenceOf([
      ev('AttachUserPolicy', { requestParameters: { userName: 'ok-user', policyArn } }),
      ev('CreatePolicyVersion', { requestParameters: { policyArn } }),
    ]);

    expect(found.review.map((r) => r.target)).toEqual(['user/ok-user', 'inline ?']);
    expect(found.review[0]?.review).toBe('policy attached: inline ?');
    for (const item of found.review) {
      expect(JSON.stringify(item)).not.toContain('Effect');
    }
  });

  it('never copies a role ARN with a newline into an AssumeRole review', () => {
    const [item] = persistenceOf([
      ev('AssumeRole', { requestParameters: { roleArn: 'arn:aws:iam::1:role/x\nFAKE LINE' } }),
    ]).review;
    expect(item?.target).toBe('a role');
  });

  it.each([
    ['a number', 42],
    ['an object', { toString: 'user/admin' }],
    ['null', null],
  ])('treats a user name that is %s as unknown', (_, userName) => {
    const [item] = persistenceOf([
      ev('CreateLoginProfile', { requestParameters: { userName } }),
    ]).review;
    expect(item?.target).toBe('user/?');
  });

  it('does not treat an inherited property name as a reviewer', () => {
    const found = persistenceOf([ev('constructor'), ev('toString'), ev('__proto__')]);
    expect(found.review).toEqual([]);
    expect(found.otherWrites.map((w) => w.eventName)).toEqual([
      'constructor',
      'toString',
      '__proto__',
    ]);
  });

  it('ignores an accessKey response that is not an object', () => {
    const found = persistenceOf([
      ev('CreateAccessKey', { responseElements: { accessKey: [NEW_KEY] } }),
      ev('CreateAccessKey', { responseElements: { accessKey: NEW_KEY } }),
    ]);
    expect(found.createdKeys).toEqual([]);
    expect(found.review).toHaveLength(2);
  });
});

describe('everything else', () => {
  it('counts successful read-only calls as reads and lists other writes', () => {
    const write = ev('RunInstances', { eventSource: 'ec2.amazonaws.com' });
    const found = persistenceOf([
      ev('ListUsers', { readOnly: true }),
      ev('GetCallerIdentity', { eventSource: 'sts.amazonaws.com', readOnly: true }),
      write,
    ]);

    expect(found.reads).toBe(2);
    expect(found.otherWrites).toEqual([
      {
        eventName: 'RunInstances',
        eventSource: 'ec2.amazonaws.com',
        eventTime: write.eventTime.toISOString(),
        eventId: write.eventId,
      },
    ]);
    expect(found.review).toEqual([]);
    expect(found.createdKeys).toEqual([]);
  });

  it('orders everything oldest first, whatever order CloudTrail returned', () => {
    // LookupEvents returns newest first.
    const events = [
      ev('DeleteBucket', { eventTime: at(40) }),
      ev('CreateRole', { eventTime: at(30), requestParameters: { roleName: 'r3' } }),
      createKey('AKIAEXAMPLEFOLLOW003', { eventTime: at(25) }),
      ev('PutObjectAcl', { eventTime: at(20) }),
      ev('CreateUser', { eventTime: at(10), requestParameters: { userName: 'u1' } }),
      createKey(NEW_KEY, { eventTime: at(5) }),
    ];
    const input = [...events];
    const found = persistenceOf(events);

    expect(found.review.map((r) => r.target)).toEqual(['user/u1', 'role/r3']);
    expect(found.otherWrites.map((w) => w.eventName)).toEqual(['PutObjectAcl', 'DeleteBucket']);
    expect(found.createdKeys.map((k) => k.accessKeyId)).toEqual([NEW_KEY, 'AKIAEXAMPLEFOLLOW003']);
    // The caller's array is left as it was.
    expect(events).toEqual(input);
  });

  it('finds nothing in nothing', () => {
    expect(persistenceOf([])).toEqual({
      createdKeys: [],
      review: [],
      otherWrites: [],
      denied: 0,
      reads: 0,
    });
  });
});
