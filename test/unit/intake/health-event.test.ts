import { describe, expect, it } from 'vitest';
import { intakeHealthEvent } from '../../../shared/intake/health-event';
import { loadEvent } from '../../support/deps';

describe('intakeHealthEvent', () => {
  it('contains the exposed key, naming the user AWS names', () => {
    const [intake] = intakeHealthEvent(
      loadEvent('health-exposed-key.json'),
      'eventbridge',
      'fallback',
    );

    expect(intake).toMatchObject({
      kind: 'request',
      request: {
        source: 'health',
        accessKeyId: 'AKIAEXAMPLEDEMO00006',
        finding: {
          type: 'AWS_RISK_CREDENTIALS_EXPOSED',
          accountId: '123456789012',
          severityLabel: 'CRITICAL',
          principal: { userType: 'IAMUser', userName: 'demo-web-uploader' },
        },
      },
    });
  });

  it('gives one incident per distinct key, wherever the event names it', () => {
    const event = loadEvent('health-exposed-key.json');
    event.resources = ['AKIAEXAMPLEDEMO00006', 'AKIAEXAMPLEDEMO00002'];
    event.detail.eventMetadata.publicKey = 'AKIAEXAMPLEDEMO00003';

    const keys = intakeHealthEvent(event, 'eventbridge', 'fallback').map(
      (i) => i.kind === 'request' && i.request.accessKeyId,
    );

    expect(keys).toEqual(['AKIAEXAMPLEDEMO00006', 'AKIAEXAMPLEDEMO00002', 'AKIAEXAMPLEDEMO00003']);
  });

  it.each([
    'AWS_RISK_CREDENTIALS_COMPROMISED',
    'AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED',
    'AWS_RISK_CREDENTIALS_COMPROMISE_SUSPECTED',
    'AWS_RISK_IAM_QUARANTINE',
  ])('acts on %s', (code) => {
    const event = loadEvent('health-exposed-key.json');
    event.detail.eventTypeCode = code;

    expect(intakeHealthEvent(event, 'eventbridge', 'fallback')[0]?.kind).toBe('request');
  });

  it('skips Health events that are not about credentials', () => {
    const event = loadEvent('health-exposed-key.json');
    event.detail.eventTypeCode = 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED';

    expect(intakeHealthEvent(event, 'eventbridge', 'fallback')[0]).toMatchObject({
      rejected: { outcome: 'skipped' },
    });
  });

  it('fails when no well-formed key id is named', () => {
    const event = loadEvent('health-exposed-key.json');
    event.resources = [];
    event.detail.eventMetadata.publicKey = 'ACCESS_KEY_ID_HERE';
    event.detail.affectedEntities = [{ entityValue: 'AKIAXXXXXXXXXX' }];

    expect(intakeHealthEvent(event, 'eventbridge', 'fallback')).toMatchObject([
      { rejected: { outcome: 'failed', reason: expect.stringMatching(/no access key id/) } },
    ]);
  });
});
