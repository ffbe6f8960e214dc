import { describe, expect, it } from 'vitest';
import { intakeEvent } from '../../../shared/intake/any-event';
import { intakeSnsEvent } from '../../../shared/intake/sns-event';
import { loadEvent } from '../../support/deps';

describe('intakeSnsEvent', () => {
  it('reads the runbook request inside the message string', () => {
    const [intake] = intakeSnsEvent(loadEvent('sns-runbook-contain.json'), 'fallback');

    expect(intake).toEqual({
      kind: 'request',
      request: {
        incidentId: 'sns-5d5e2a8c-1111-4222-8333-944455556666',
        source: 'runbook',
        trigger: 'sns',
        accessKeyId: 'AKIAEXAMPLEDEMO00004',
        reason: 'key found in a public repository',
      },
    });
  });

  it('gives one intake per record, a bad record failing on its own', () => {
    const event = loadEvent('sns-runbook-contain.json');
    const bad = structuredClone(event.Records[0]);
    bad.Sns.MessageId = 'second';
    bad.Sns.Message = '{"runbook": "contain", "accessKeyId": ';
    event.Records.push(bad);

    const intakes = intakeSnsEvent(event, 'fallback');

    expect(intakes.map((i) => i.kind)).toEqual(['request', 'rejected']);
    expect(intakes[1]).toMatchObject({
      rejected: {
        incidentId: 'sns-second',
        outcome: 'failed',
        reason: expect.stringMatching(/not JSON/),
      },
    });
  });

  it('accepts a GuardDuty event fanned out through SNS', () => {
    const event = loadEvent('sns-runbook-contain.json');
    event.Records[0].Sns.Message = JSON.stringify(loadEvent('guardduty-akia-iam-user.json'));

    const [intake] = intakeSnsEvent(event, 'fallback');

    expect(intake).toMatchObject({
      kind: 'request',
      request: { accessKeyId: 'AKIAEXAMPLEDEMO00001', source: 'guardduty', trigger: 'sns' },
    });
  });

  it('fails an event with no records', () => {
    expect(intakeSnsEvent({ Records: [] }, 'fallback')).toMatchObject([
      { rejected: { outcome: 'failed', reason: expect.stringMatching(/Records/) } },
    ]);
  });
});

/** The first (here: only) intake of an event. */
const intakeFirst = (body: unknown, trigger: 'console', id: string) =>
  intakeEvent(body, trigger, id)[0];

describe('intakeEvent', () => {
  it('accepts a runbook request without a reason', () => {
    expect(
      intakeFirst({ runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00003' }, 'console', 'c-1'),
    ).toEqual({
      kind: 'request',
      request: {
        incidentId: 'c-1',
        source: 'runbook',
        trigger: 'console',
        accessKeyId: 'AKIAEXAMPLEDEMO00003',
        reason: 'manual request (no reason given)',
      },
    });
  });

  it('refuses an unknown field without echoing its value', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const intake = intakeFirst(
      { runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00003', secretAccessKey: secret },
      'console',
      'c-1',
    );

    expect(intake).toMatchObject({
      rejected: { outcome: 'failed', reason: expect.stringMatching(/secretAccessKey/) },
    });
    expect(JSON.stringify(intake)).not.toContain(secret);
  });

  it('refuses an unknown runbook', () => {
    expect(
      intakeFirst({ runbook: 'delete', accessKeyId: 'AKIAEXAMPLEDEMO00003' }, 'console', 'c-1'),
    ).toMatchObject({
      rejected: { outcome: 'failed', reason: expect.stringMatching(/runbook/) },
    });
  });

  it.each([null, 'contain', 42, [], {}])('refuses %j as an unrecognised event', (body) => {
    expect(intakeFirst(body, 'console', 'c-1')).toMatchObject({
      rejected: { outcome: 'failed', reason: expect.stringMatching(/unrecognised event/) },
    });
  });
});
