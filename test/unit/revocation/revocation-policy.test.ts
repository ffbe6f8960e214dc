import { describe, expect, it } from 'vitest';
import {
  formatCutoff,
  readRevocationPolicy,
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
        byResponder: false,
      },
    );
  });

  it("recognises the responder's own document by its Sid", () => {
    expect(readRevocationPolicy(document)).toMatchObject({ byResponder: true });
  });

  it("does not claim a policy where a person's statement sits beside the responder's", () => {
    const mixed = revocationPolicy('2026-11-22T09:00:00Z');
    const persons = JSON.parse(consoleRevocationPolicy('2026-11-22T12:00:00Z')).Statement;
    const document = JSON.stringify({ ...mixed, Statement: [...mixed.Statement, ...persons] });

    expect(readRevocationPolicy(document)).toMatchObject({
      cutoff: new Date('2026-11-22T12:00:00Z'),
      byResponder: false,
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
  ])('marks %s as unrecognised rather than guessing', (_label, raw) => {
    expect(readRevocationPolicy(raw).kind).toBe('unrecognised');
  });
});
