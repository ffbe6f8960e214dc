import { describe, expect, it } from 'vitest';
import { awsErrorCode } from '../../shared/errors';
import { guardDutyFindings } from '../../shared/intake/guardduty-findings';
import { useScriptedServer } from '../support/scripted-server';

/**
 * The one GuardDuty call, as it goes on the wire: a SigV4-signed restJson1 POST, GuardDuty's
 * errors named as the SDK names them, and retries only where a retry can help. A local HTTP
 * server plays GuardDuty (scripted answers); test/integration covers it against the stand-in.
 */
const wire = useScriptedServer('application/json', { status: 200, body: '{"findings":[]}' });

const client = (region = 'eu-west-1') =>
  guardDutyFindings({
    credentials: async () => ({ accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' }),
    region: async () => region,
    endpoint: wire.url,
  });

describe('GuardDuty GetFindings', () => {
  it('POSTs the ids to the detector, signed for guardduty in the region, and returns the findings', async () => {
    wire.answers.push({ status: 200, body: '{"findings":[{"id":"f1"},{"id":"f2"}]}' });

    const findings = await client().getFindings('exampledetector', ['f1', 'f2']);

    expect(findings).toEqual([{ id: 'f1' }, { id: 'f2' }]);
    expect(wire.seen).toHaveLength(1);
    const [request] = wire.seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/detector/exampledetector/findings/get');
    expect(JSON.parse(request?.body ?? '')).toEqual({ findingIds: ['f1', 'f2'] });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAUNITTEST00000000\/\d{8}\/eu-west-1\/guardduty\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('escapes a detector id in the path', async () => {
    await client().getFindings('a/b', ['f1']);

    expect(wire.seen[0]?.url).toBe('/detector/a%2Fb/findings/get');
  });

  it("names GuardDuty's refusal as the SDK would (awsErrorCode BadRequest), without retrying it", async () => {
    wire.answers.push({
      status: 400,
      headers: { 'x-amzn-ErrorType': 'BadRequestException:http://internal.amazon.com/' },
      body: '{"message":"not owned by the current account","__type":"InvalidInputException"}',
    });

    const error = await client()
      .getFindings('otherdetector', ['f1'])
      .catch((e: unknown) => e);

    expect(awsErrorCode(error)).toBe('BadRequest');
    expect((error as Error).message).toBe('not owned by the current account');
    expect(wire.seen).toHaveLength(1);
  });

  it('retries throttling and server errors, then answers', async () => {
    wire.answers.push(
      { status: 429, headers: { 'x-amzn-ErrorType': 'TooManyRequestsException' }, body: '{}' },
      { status: 500, body: '{"__type":"InternalServerErrorException","message":"x"}' },
      { status: 200, body: '{"findings":[{"id":"f1"}]}' },
    );

    expect(await client().getFindings('d', ['f1'])).toEqual([{ id: 'f1' }]);
    expect(wire.seen).toHaveLength(3);
  });

  it('gives up after three attempts with the last error', async () => {
    for (let i = 0; i < 3; i++) {
      wire.answers.push({
        status: 500,
        body: '{"__type":"InternalServerErrorException","message":"x"}',
      });
    }

    const error = await client()
      .getFindings('d', ['f1'])
      .catch((e: unknown) => e);

    expect(awsErrorCode(error)).toBe('InternalServerError');
    expect(wire.seen).toHaveLength(3);
  });

  it('reads an answer without findings as none', async () => {
    wire.answers.push({ status: 200, body: '{}' });

    expect(await client().getFindings('d', ['f1'])).toEqual([]);
  });
});
