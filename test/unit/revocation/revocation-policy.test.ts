import { describe, expect, it } from 'vitest';
import {
  documentWith,
  documentWithout,
  formatCutoff,
  incidentSid,
  policyOf,
  readRevocationPolicy,
  responderStatement,
  revocationPolicy,
} from '../../../shared/revocation/revocation-policy';
import { consoleRevocationPolicy } from '../../support/console-policy';

describe('formatCutoff', () => {
  it('writes UTC to the second, ending in Z', () => {
    expect(formatCutoff(new Date('2026-11-22T10:00:30.000Z'))).toBe('2026-11-22T10:00:30Z');
  });

  it('rounds a fraction of a second up, never down', () => {
    expect(formatCutoff(new Date('2026-11-22T10:00:30.001Z'))).toBe('2026-11-22T10:00:31Z');
  });
});

describe('readRevocationPolicy', () => {
  const document = JSON.stringify(revocationPolicy('2026-11-22T10:00:30Z'));

  it('reads the cutoff of a URL-encoded document, as IAM returns it', () => {
    const existing = readRevocationPolicy(encodeURIComponent(document));

    expect(existing).toMatchObject({ kind: 'cutoff', cutoff: new Date('2026-11-22T10:00:30Z') });
  });

  it('reads a plain JSON document', () => {
    expect(readRevocationPolicy(document)).toMatchObject({ kind: 'cutoff' });
  });

  it("reads the console's form, with one-element arrays and milliseconds, as a person's", () => {
    expect(readRevocationPolicy(consoleRevocationPolicy('2026-11-22T11:00:00.123Z'))).toMatchObject(
      {
        kind: 'cutoff',
        cutoff: new Date('2026-11-22T11:00:00.123Z'),
        statements: [{ by: 'person' }],
      },
    );
  });

  it("recognises the responder's own statement by its Sid, which names the incident", () => {
    expect(readRevocationPolicy(document)).toMatchObject({
      statements: [{ by: 'responder', sid: incidentSid('example') }],
    });
    expect(incidentSid('guardduty-abc')).toMatch(/^CredentialResponder[0-9a-f]{16}$/);
    expect(incidentSid('guardduty-abc')).not.toBe(incidentSid('guardduty-abd'));
  });

  it("tells a person's statement beside the responder's apart", () => {
    const mixed = revocationPolicy('2026-11-22T09:00:00Z');
    const persons = JSON.parse(consoleRevocationPolicy('2026-11-22T12:00:00Z')).Statement;
    const document = JSON.stringify({ ...mixed, Statement: [...mixed.Statement, ...persons] });

    expect(readRevocationPolicy(document)).toMatchObject({
      cutoff: new Date('2026-11-22T12:00:00Z'),
      statements: [{ by: 'responder' }, { by: 'person' }],
    });
  });

  it('takes the latest cutoff when there are several statements', () => {
    const two = revocationPolicy('2026-11-22T09:00:00Z');
    two.Statement.push(...revocationPolicy('2026-11-22T12:00:00Z').Statement);

    expect(readRevocationPolicy(JSON.stringify(two))).toMatchObject({
      cutoff: new Date('2026-11-22T12:00:00Z'),
    });
  });

  it('reports no policy when there is none', () => {
    expect(readRevocationPolicy(undefined)).toEqual({ kind: 'none' });
  });

  it.each([
    ['not JSON', '{"Version":'],
    [
      'an Allow statement',
      JSON.stringify({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }),
    ],
    ['a deny on one action only', document.replace('"Action":"*"', '"Action":"s3:*"')],
    ['an unparseable date', document.replace('2026-11-22T10:00:30Z', 'yesterday')],
    [
      'a date JavaScript reads but IAM would not',
      document.replace('2026-11-22T10:00:30Z', 'November 22, 2099'),
    ],
    [
      'an extra condition that never holds (it neuters the deny)',
      document.replace(
        '"Condition":{',
        '"Condition":{"StringEquals":{"aws:PrincipalTag/never":"x"},',
      ),
    ],
    [
      'a second key under DateLessThan',
      document.replace(
        '"aws:TokenIssueTime":"2026-11-22T10:00:30Z"',
        '"aws:TokenIssueTime":"2099-01-01T00:00:00Z","aws:CurrentTime":"2000-01-01T00:00:00Z"',
      ),
    ],
    ['a NotAction', document.replace('"Action":"*"', '"NotAction":"iam:*"')],
    ['a NotResource', document.replace('"Resource":"*"', '"NotResource":"*"')],
    ['a Principal', document.replace('"Effect"', '"Principal":{"AWS":"*"},"Effect"')],
    [
      'an Allow beside a good deny',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          ...revocationPolicy('2099-01-01T00:00:00Z').Statement,
          { Effect: 'Allow', Action: '*', Resource: '*' },
        ],
      }),
    ],
    ['a lower-cased condition key', document.replace('aws:TokenIssueTime', 'aws:tokenissuetime')],
    ['an empty statement list', JSON.stringify({ Version: '2012-10-17', Statement: [] })],
    ['a value list', document.replace('"2026-11-22T10:00:30Z"', '["2026-11-22T10:00:30Z"]')],
  ])('marks %s as unrecognised rather than guessing', (_label, raw) => {
    expect(readRevocationPolicy(raw).kind).toBe('unrecognised');
  });
});

describe('documentWith and documentWithout', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  const person = JSON.parse(consoleRevocationPolicy('2026-11-22T09:00:00Z')).Statement[0];
  const before = readRevocationPolicy(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [person, ...revocationPolicy('2026-11-22T09:30:00Z', 'other').Statement],
    }),
  );

  it("adds the incident's statement and keeps a person's and another incident's as they were", () => {
    const written = documentWith(before, 'this', '2026-11-22T10:00:30Z', now, 'role');

    expect(written.Statement).toEqual([
      person,
      ...revocationPolicy('2026-11-22T09:30:00Z', 'other').Statement,
      ...revocationPolicy('2026-11-22T10:00:30Z', 'this').Statement,
    ]);
  });

  it('gives back exactly what was there before when that incident is taken out', () => {
    const written = documentWith(before, 'this', '2026-11-22T10:00:30Z', now, 'role');

    const rest = documentWithout(readRevocationPolicy(JSON.stringify(written)), 'this');

    expect(rest?.Statement).toEqual([
      person,
      ...revocationPolicy('2026-11-22T09:30:00Z', 'other').Statement,
    ]);
  });

  it('replaces its own earlier statement rather than adding a second one', () => {
    const once = readRevocationPolicy(
      JSON.stringify(revocationPolicy('2026-11-22T09:00:00Z', 'this')),
    );

    expect(documentWith(once, 'this', '2026-11-22T10:00:30Z', now, 'user').Statement).toEqual(
      revocationPolicy('2026-11-22T10:00:30Z', 'this').Statement,
    );
  });

  it('keeps a statement for 36 h on a user, where session tokens live that long', () => {
    const day = readRevocationPolicy(
      JSON.stringify(revocationPolicy('2026-11-21T09:00:00Z', 'old')),
    );

    expect(documentWith(day, 'this', '2026-11-22T10:00:30Z', now, 'user').Statement).toHaveLength(
      2,
    );
    expect(documentWith(day, 'this', '2026-11-22T10:00:30Z', now, 'role').Statement).toHaveLength(
      1,
    );
  });

  it('leaves nothing when the incident was all there was', () => {
    const only = readRevocationPolicy(
      JSON.stringify(revocationPolicy('2026-11-22T10:00:30Z', 'this')),
    );

    expect(documentWithout(only, 'this')).toBeUndefined();
  });
});

describe('instance statements', () => {
  const userId = 'AROAEXAMPLEDEMO00001:i-0123456789abcdef0';
  const instance = JSON.stringify(
    policyOf([responderStatement('incident', '2026-11-22T10:00:30Z', userId)]),
  );

  it("are read only in the responder's instance policy, with the credentials they deny", () => {
    expect(readRevocationPolicy(instance, 'instance')).toMatchObject({
      kind: 'cutoff',
      statements: [{ by: 'responder', userId }],
    });
  });

  it('are never a role-wide revocation: in AWSRevokeOlderSessions they are unrecognised', () => {
    expect(readRevocationPolicy(instance).kind).toBe('unrecognised');
  });

  it.each([
    ['a role-wide statement', JSON.stringify(revocationPolicy('2026-11-22T10:00:30Z'))],
    ['a userid that is not an instance', instance.replace(userId, 'AROAEXAMPLEDEMO00001:ci')],
    ['a wildcard userid', instance.replace(userId, 'AROAEXAMPLEDEMO00001:*')],
    ['StringLike instead of StringEquals', instance.replace('StringEquals', 'StringLike')],
    ['a person’s Sid', instance.replace(/CredentialResponder[0-9a-f]{16}/, 'Mine')],
  ])('reject %s in the instance policy', (_label, document) => {
    expect(readRevocationPolicy(document, 'instance').kind).toBe('unrecognised');
  });

  it('keep one statement per instance, with the latest cutoff', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const other = 'AROAEXAMPLEDEMO00001:i-0fffffffffffffff0';
    const before = readRevocationPolicy(
      JSON.stringify(
        policyOf([
          responderStatement('first', '2026-11-22T09:00:00Z', userId),
          responderStatement('neighbour', '2026-11-22T09:30:00Z', other),
        ]),
      ),
      'instance',
    );

    const written = documentWith(before, 'second', '2026-11-22T10:00:30Z', now, 'role', userId);

    expect(written.Statement).toEqual([
      responderStatement('neighbour', '2026-11-22T09:30:00Z', other),
      responderStatement('second', '2026-11-22T10:00:30Z', userId),
    ]);
  });
});
