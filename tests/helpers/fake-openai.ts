import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for an OpenAI-compatible server (POST /v1/chat/completions) on 127.0.0.1, so tests run
 * the real `openai` package without calling any real API. `respond` decides each reply: a JSON object (sent
 * as the message content), raw text, an HTTP error, or a delay.
 */
export type FakeReply =
  | { json: unknown; delayMs?: number }
  | { text: string; delayMs?: number }
  | { status: number; delayMs?: number };

export type FakeOpenAi = {
  /** The value for MLSD_LLM_BASE_URL (ends with /v1). */
  url: string;
  requests: Array<{ path: string; body: Record<string, unknown>; authorization: string | undefined }>;
  respond: (body: Record<string, unknown>) => FakeReply;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeOpenAi(respond: FakeOpenAi['respond']): Promise<FakeOpenAi> {
  const fake: FakeOpenAi = { url: '', requests: [], respond, close: async () => {} };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      fake.requests.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const reply = fake.respond(body);
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed) return;
      if ('status' in reply) {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'fake failure', type: 'server_error' } }));
        return;
      }
      const content = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-${fake.requests.length}`,
          object: 'chat.completion',
          created: 1_800_000_000,
          model: String(body.model ?? 'fake'),
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** The answer the bot sent, read back from between its <answer> delimiters. */
export function answerOf(body: Record<string, unknown>): string {
  const messages = body.messages as Array<{ content: string }>;
  const user = messages.at(-1)?.content ?? '';
  return /<answer>\n([\s\S]*)\n<\/answer>/.exec(user)?.[1] ?? '';
}
