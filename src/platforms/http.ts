import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export type Probe = () => Promise<Record<string, boolean>>;

export type HttpOptions = {
  port: number;
  host: string;
  log: Logger;
  /** Readiness: each dependency and whether it answers. */
  ready: Probe;
  /** Prometheus text exposition. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Bolt's HTTP receiver, for POST /slack/events. */
  slack?: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** The largest body /slack/ takes, in bytes; a bigger declared one is refused with 413 unread. */
  slackBodyLimit?: number;
};

/** Bodies up to this size are read to the end before a 413, so the client sees the answer, not a reset. */
const DRAIN_LIMIT = 16 * 1024 * 1024;

/** Refuses a request whose declared body is over `limit` (413); true when it did. */
function refuseOversized(req: IncomingMessage, res: ServerResponse, limit: number | undefined): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!limit || !(declared > limit)) return false;
  const answer = () => json(res, 413, { ok: false, error: `body over ${limit} bytes` });
  if (declared > DRAIN_LIMIT) {
    answer();
    req.destroy();
  } else {
    req.on('end', answer).resume();
  }
  return true;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The one HTTP server of a process: health, readiness, metrics and (in HTTP mode) Slack's events. */
export async function startHttpServer(
  options: HttpOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path?.startsWith('/slack/') && options.slack) {
      if (!refuseOversized(req, res, options.slackBodyLimit)) options.slack(req, res);
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      json(res, 200, { ok: true });
      return;
    }
    if (req.method === 'GET' && path === '/readyz') {
      options
        .ready()
        .then((checks) =>
          json(res, Object.values(checks).every(Boolean) ? 200 : 503, {
            ok: Object.values(checks).every(Boolean),
            checks,
          }),
        )
        .catch((error: unknown) => json(res, 503, { ok: false, error: String(error) }));
      return;
    }
    if (req.method === 'GET' && path === '/metrics' && options.metrics) {
      options
        .metrics()
        .then(({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType });
          res.end(body);
        })
        .catch((error: unknown) => json(res, 500, { ok: false, error: String(error) }));
      return;
    }
    json(res, 404, { ok: false, error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  options.log.info({ url }, 'http server listening');
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
