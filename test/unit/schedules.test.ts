import { describe, expect, it } from 'vitest';
import { awsErrorCode } from '../../shared/errors';
import { schedules } from '../../shared/schedules';
import { useScriptedServer } from '../support/scripted-server';

/**
 * EventBridge Scheduler's two calls as they go on the wire (restJson1): CreateSchedule a signed
 * POST to /schedules/{Name} with an idempotency token, DeleteSchedule a signed DELETE with the
 * group in the query; Scheduler's errors keep their names. A local HTTP server plays Scheduler.
 */
const wire = useScriptedServer('application/json', { status: 200, body: '{}' });

const client = () =>
  schedules({
    credentials: async () => ({ accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' }),
    region: async () => 'eu-west-1',
    endpoint: wire.url,
  });

describe('EventBridge Scheduler', () => {
  it('creates a schedule: POST /schedules/{Name}, the rest in the body, with a client token', async () => {
    wire.answers.push({
      status: 200,
      body: '{"ScheduleArn":"arn:aws:scheduler:eu-west-1:1:schedule/g/h"}',
    });

    await client().createSchedule({
      Name: 'hold-abc',
      GroupName: 'credential-responder-prod',
      ScheduleExpression: 'at(2026-11-22T10:15:00)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:lambda:eu-west-1:1:function:f', RoleArn: 'arn:aws:iam::1:role/r' },
    });

    const [request] = wire.seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/schedules/hold-abc');
    const body = JSON.parse(request?.body ?? '');
    expect(body).toMatchObject({
      GroupName: 'credential-responder-prod',
      ScheduleExpression: 'at(2026-11-22T10:15:00)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:lambda:eu-west-1:1:function:f', RoleArn: 'arn:aws:iam::1:role/r' },
    });
    expect(body.Name).toBeUndefined();
    expect(body.ClientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(request?.headers.authorization).toMatch(/\/eu-west-1\/scheduler\/aws4_request/);
  });

  it('deletes a schedule: DELETE /schedules/{Name}?groupName=…', async () => {
    await client().deleteSchedule({ Name: 'hold-abc', GroupName: 'credential-responder-prod' });

    const [request] = wire.seen;
    expect(request?.method).toBe('DELETE');
    const target = new URL(request?.url ?? '', 'http://x');
    expect(target.pathname).toBe('/schedules/hold-abc');
    expect(target.searchParams.get('groupName')).toBe('credential-responder-prod');
    expect(target.searchParams.get('clientToken')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['ConflictException', 409, 'Conflict'],
    ['ResourceNotFoundException', 404, 'ResourceNotFound'],
  ])(
    'names %s as the SDK would (awsErrorCode %s), without retrying it',
    async (type, status, code) => {
      wire.answers.push({
        status,
        headers: { 'x-amzn-ErrorType': type },
        body: '{"Message":"no"}',
      });

      const error = await client()
        .deleteSchedule({ Name: 'hold-abc', GroupName: 'g' })
        .catch((e: unknown) => e);

      expect(awsErrorCode(error)).toBe(code);
      expect(wire.seen).toHaveLength(1);
    },
  );
});
