import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for an OpenAI-compatible server: answers `POST /v1/chat/completions` in the real
 * response format and records every request (headers and parsed body). Tests switch its behaviour to
 * a failure, a slow answer or a body that is not JSON.
 */
export type FakeBehaviour = 'ok' | 'error500' | 'unauthorized' | 'garbage' | 'slow' | 'empty';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: { model?: string; messages?: { role: string; content: string }[]; [key: string]: unknown };
  raw: string;
}

export interface FakeChatEndpoint {
  baseUrl: string;
  requests: RecordedRequest[];
  behaviour: FakeBehaviour;
  reply: string;
  close(): Promise<void>;
}

export async function startFakeChatEndpoint(): Promise<FakeChatEndpoint> {
  const state: FakeChatEndpoint = {
    baseUrl: '',
    requests: [],
    behaviour: 'ok',
    reply: 'Opening: Thanks for the release work this month.',
    close: async () => undefined,
  };
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      let body: RecordedRequest['body'];
      try {
        body = JSON.parse(raw) as RecordedRequest['body'];
      } catch {
        body = {};
      }
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, raw });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { message: `Unknown path ${req.url}`, type: 'invalid_request_error' } }),
        );
        return;
      }
      switch (state.behaviour) {
        case 'error500':
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'The model is overloaded', type: 'server_error' } }));
          return;
        case 'unauthorized':
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_api_key' } }),
          );
          return;
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"choices": [ this is not json');
          return;
        case 'empty':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [] }));
          return;
        case 'slow':
          // Never answers; the client's timeout must end the wait.
          return;
        default:
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id: `chatcmpl-${state.requests.length}`,
              object: 'chat.completion',
              created: Math.floor(Date.now() / 1000),
              model: body.model ?? 'unknown',
              choices: [
                { index: 0, message: { role: 'assistant', content: state.reply }, finish_reason: 'stop' },
              ],
              usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
            }),
          );
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
