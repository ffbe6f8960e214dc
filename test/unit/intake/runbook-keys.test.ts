import { describe, expect, it } from 'vitest';
import { intakeEvent } from '../../../shared/intake/any-event';
import { MAX_RUNBOOK_KEYS } from '../../../shared/intake/runbook-request';

/** A runbook request naming several keys: one incident per key, named for it. */
const key = (n: number) => `AKIAEXAMPLERUNBOOK${String(n).padStart(2, '0')}`;
const intake = (body: unknown) => intakeEvent(body, 'console', 'console-req-1', 'anything');

describe('a runbook request naming several keys', () => {
  it('gives one incident per key, <request id>-<key>, each with the reason', () => {
    const intakes = intake({
      runbook: 'contain',
      accessKeyIds: [key(1), key(2), key(3)],
      reason: 'keys found in a public repository',
    });

    expect(intakes).toEqual(
      [1, 2, 3].map((n) => ({
        kind: 'request',
        request: {
          incidentId: `console-req-1-${key(n)}`,
          source: 'runbook',
          trigger: 'console',
          accessKeyId: key(n),
          reason: 'keys found in a public repository',
        },
      })),
    );
  });

  it('keeps the request id for a single key', () => {
    expect(intake({ runbook: 'contain', accessKeyId: key(1) })).toMatchObject([
      { kind: 'request', request: { incidentId: 'console-req-1', accessKeyId: key(1) } },
    ]);
  });

  it(`takes up to ${MAX_RUNBOOK_KEYS} keys`, () => {
    const keys = Array.from({ length: MAX_RUNBOOK_KEYS }, (_, n) => key(n));
    expect(intake({ runbook: 'contain', accessKeyIds: keys })).toHaveLength(MAX_RUNBOOK_KEYS);
  });

  it.each([
    ['both accessKeyId and accessKeyIds', { accessKeyId: key(1), accessKeyIds: [key(2)] }],
    ['neither', {}],
    ['an empty list', { accessKeyIds: [] }],
    ['a key twice', { accessKeyIds: [key(1), key(1)] }],
    ['a key id that is not one', { accessKeyIds: [key(1), 'AIDAEXAMPLEUSER00001'] }],
    [
      `more than ${MAX_RUNBOOK_KEYS} keys`,
      { accessKeyIds: Array.from({ length: MAX_RUNBOOK_KEYS + 1 }, (_, n) => key(n)) },
    ],
  ])('refuses %s, changing nothing', (_label, fields) => {
    const intakes = intake({ runbook: 'contain', ...fields });

    expect(intakes).toHaveLength(1);
    expect(intakes[0]).toMatchObject({
      kind: 'rejected',
      rejected: { outcome: 'failed', reason: expect.stringMatching(/^invalid runbook request/) },
    });
  });
});
