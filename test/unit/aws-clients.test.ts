import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import type { HttpRequest } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { backoffMs, createAwsClients, HTTP, RETRY } from '../../shared/aws-clients';

/** What the SDK's strategies expose beyond the interface the client config declares. */
type Inspectable = { mode: string; maxAttempts(): Promise<number> };

describe('retries of IAM and STS calls', () => {
  it('wait a random time up to min(cap, base × 2^attempt)', () => {
    const top = () => 0.999_999;
    expect(backoffMs(1, top)).toBe(RETRY.baseMs * 2 - 1);
    expect(backoffMs(3, top)).toBe(RETRY.baseMs * 8 - 1);
    expect(backoffMs(20, top)).toBe(RETRY.capMs - 1);
    expect(backoffMs(5, () => 0)).toBe(0);
  });

  it('are the SDK strategy with the tuned attempts, on every SDK client', async () => {
    const clients = createAwsClients();

    for (const client of [clients.iam, clients.sts]) {
      const strategy = (await client.config.retryStrategy()) as unknown as Inspectable;
      expect(strategy.mode).toBe('standard');
      expect(await strategy.maxAttempts()).toBe(RETRY.maxAttempts);
    }
  });
});

describe('an IAM quota answer (LimitExceeded)', () => {
  it('is not retried: the same request gets the same answer', async () => {
    let requests = 0;
    const server = createHttpServer((_request, response) => {
      requests += 1;
      response.writeHead(409, { 'content-type': 'text/xml' });
      response.end(
        '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>' +
          '<Code>LimitExceeded</Code><Message>Maximum policy size of 2048 bytes exceeded</Message>' +
          '</Error><RequestId>r</RequestId></ErrorResponse>',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const previous = { url: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION };
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${port}`;
    process.env.AWS_REGION = 'us-east-1';
    try {
      const { iam } = createAwsClients({
        accessKeyId: 'AKIAUNITTEST00000000',
        secretAccessKey: 'x',
        sessionToken: '',
      });

      await expect(iam.send(new ListAccessKeysCommand({ UserName: 'u' }))).rejects.toMatchObject({
        name: 'LimitExceededException',
      });
      expect(requests).toBe(1);
    } finally {
      for (const [name, value] of [
        ['AWS_ENDPOINT_URL', previous.url],
        ['AWS_REGION', previous.region],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('one attempt of an AWS call', () => {
  /** A server that accepts connections and never answers. */
  async function hangingServer() {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const stop = () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    };
    return { port, stop };
  }

  it('gives up on a connection that never answers, with an error the SDK retries', async () => {
    const server = await hangingServer();
    const request: HttpRequest = {
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/',
      query: {},
      headers: { host: `127.0.0.1:${server.port}` },
      body: 'Action=GetUser&Version=2010-05-08',
    };
    const started = Date.now();
    try {
      const handled = createAwsClients().iam.config.requestHandler.handle(request);
      await expect(handled).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(HTTP.requestTimeout - 50);
    } finally {
      await server.stop();
    }
  }, 10_000);
});
