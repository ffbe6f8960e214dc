import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A request as the scripted server received it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * A local HTTP server playing an AWS JSON service for unit tests of a signed request: it records
 * every request in `seen` and answers the next of `answers` (`fallback` when none is left).
 */
export interface ScriptedServer {
  url: string;
  seen: Seen[];
  answers: ScriptedAnswer[];
  /** Forgets what was seen and answered (before each test). */
  reset(): void;
  close(): Promise<void>;
}

export async function startScriptedServer(
  contentType: string,
  fallback: ScriptedAnswer,
): Promise<ScriptedServer> {
  const scripted = {
    url: '',
    seen: [] as Seen[],
    answers: [] as ScriptedAnswer[],
    reset() {
      scripted.seen.length = 0;
      scripted.answers.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      scripted.seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      });
      const answer = scripted.answers.shift() ?? fallback;
      res.writeHead(answer.status, { 'content-type': contentType, ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  scripted.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return scripted;
}

/**
 * A scripted server for the tests of one file: started before them, forgotten between them,
 * closed after them. `url`, `seen` and `answers` are filled in once it has started.
 */
export function useScriptedServer(
  contentType: string,
  fallback: ScriptedAnswer,
): { url: string; seen: Seen[]; answers: ScriptedAnswer[] } {
  const wire = { url: '', seen: [] as Seen[], answers: [] as ScriptedAnswer[] };
  let server: ScriptedServer | undefined;
  beforeAll(async () => {
    server = await startScriptedServer(contentType, fallback);
    Object.assign(wire, { url: server.url, seen: server.seen, answers: server.answers });
  });
  afterAll(() => server?.close());
  beforeEach(() => server?.reset());
  return wire;
}
