import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { eventually } from '../helpers/bot.ts';
import { type FakeSlackApi, postToBolt, slashCommand, startFakeSlackApi } from '../helpers/fake-slack.ts';

/**
 * The Docker image without a Docker daemon: the runtime tree is assembled from the Dockerfile's own final
 * stage (its COPY lines, honouring .dockerignore, with production dependencies only and dist/ compiled
 * fresh), then started the way the image and the compose file start it, with NODE_ENV=production, against
 * the local Postgres and Redis and the Slack fake. A file the program reads that the Dockerfile does not
 * copy makes a command below fail.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'image-signing-secret';

type Copy = { from?: string; source: string; target: string };

/** The final stage of the Dockerfile: its COPY lines, ENV pairs, entrypoint and command. */
function finalStage(dockerfile: string): {
  copies: Copy[];
  env: Record<string, string>;
  workdir: string;
  argv: string[];
} {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const start = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  const stage = lines.slice(start + 1);
  const copies: Copy[] = [];
  const env: Record<string, string> = {};
  let workdir = '/';
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  for (const line of stage) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instruction.toUpperCase()) {
      case 'COPY': {
        const parts = rest.filter((part) => !part.startsWith('--chown'));
        const from = parts.find((part) => part.startsWith('--from='))?.slice('--from='.length);
        const paths = parts.filter((part) => !part.startsWith('--'));
        const target = paths.at(-1) ?? '.';
        for (const source of paths.slice(0, -1)) copies.push({ ...(from ? { from } : {}), source, target });
        break;
      }
      case 'ENV':
        for (const match of args.matchAll(/(\w+)=("[^"]*"|\S+)/g))
          env[match[1] as string] = (match[2] as string).replace(/^"|"$/g, '');
        break;
      case 'WORKDIR':
        workdir = args;
        break;
      case 'ENTRYPOINT':
        entrypoint = JSON.parse(args) as string[];
        break;
      case 'CMD':
        cmd = JSON.parse(args) as string[];
        break;
    }
  }
  return { copies, env, workdir, argv: [...entrypoint, ...cmd] };
}

/** .dockerignore patterns as a predicate over paths relative to the build context. */
function ignored(patterns: string[]): (path: string) => boolean {
  const rules = patterns
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((pattern) => {
      const negate = pattern.startsWith('!');
      const body = (negate ? pattern.slice(1) : pattern).replace(/^\/|\/$/g, '');
      const regex = new RegExp(
        `^${body
          .split('**')
          .map((part) =>
            part
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')
              .replace(/\?/g, '[^/]'),
          )
          .join('.*')}(/.*)?$`,
      );
      return { negate, regex };
    });
  return (path) => {
    let result = false;
    for (const rule of rules) if (rule.regex.test(path)) result = !rule.negate;
    return result;
  };
}

/** Builds the runtime tree the image would hold, in a temporary folder standing for its WORKDIR. */
function assemble(dir: string): ReturnType<typeof finalStage> {
  const stage = finalStage(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const isIgnored = ignored(readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n'));
  const place = (target: string) => join(dir, relative(stage.workdir, join(stage.workdir, target)));
  for (const copy of stage.copies) {
    if (copy.from === 'deps' && copy.source === '/app/node_modules') {
      // The deps stage: `npm ci --omit=dev`. A hard-linked copy of ours, pruned the same way, is identical.
      execFileSync('cp', ['-al', join(ROOT, 'node_modules'), place(copy.target)]);
      cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
      cpSync(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
      execFileSync('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
      rmSync(join(dir, 'package-lock.json'));
    } else if (copy.from === 'build' && copy.source === '/app/dist') {
      // The build stage: `npm run build` (tsc -p tsconfig.build.json), here into the image tree.
      execFileSync(
        join(ROOT, 'node_modules', '.bin', 'tsc'),
        ['-p', join(ROOT, 'tsconfig.build.json'), '--outDir', place(copy.target)],
        { cwd: ROOT, stdio: 'inherit' },
      );
    } else if (copy.from) {
      throw new Error(`the layout test cannot assemble COPY --from=${copy.from} ${copy.source}`);
    } else {
      const source = join(ROOT, copy.source);
      const target = copy.target.endsWith('/')
        ? join(place(copy.target), copy.source.split('/').at(-1) ?? '')
        : place(copy.target);
      cpSync(source, target, {
        recursive: true,
        filter: (path) => !isIgnored(relative(ROOT, path)) || path === ROOT,
      });
    }
  }
  return stage;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the Docker image, assembled from the Dockerfile', () => {
  let dir = '';
  let stage: ReturnType<typeof finalStage>;
  let slack: FakeSlackApi;
  let admin: pg.Client;
  const database = `mlsd_image_${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];
  const output = new Map<ChildProcess, string>();

  const launch = (env: Record<string, string>, argv = stage.argv) => {
    const [command = 'node', ...args] = argv;
    const child = spawn(command, args, {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        ...stage.env,
        MLSD_DATA_DIR: join(dir, 'data'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    output.set(child, '');
    const collect = (chunk: Buffer) => output.set(child, (output.get(child) ?? '') + chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsd-image-'));
    stage = assemble(dir);
    slack = await startFakeSlackApi();
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
  }, 180_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await slack?.close();
    await admin?.query(`drop database if exists ${database} with (force)`);
    await admin?.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds production dependencies only and the files the program reads', () => {
    expect(existsSync(join(dir, 'node_modules', 'discord.js'))).toBe(true);
    expect(existsSync(join(dir, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(join(dir, 'dist', 'src', 'main.js'))).toBe(true);
    expect(filesUnder(join(dir, 'src')).every((file) => file.includes(join('db', 'migrations')))).toBe(true);
  });

  it('starts with NODE_ENV=production, reports healthy and ready, and serves slash commands', async () => {
    const port = await freePort();
    const prefix = `mlsd-image-${randomBytes(3).toString('hex')}`;
    const child = launch({
      DATABASE_URL: `${DATABASE_URL.replace(/\/[^/]*$/, '')}/${database}`,
      REDIS_URL,
      MLSD_QUEUE_PREFIX: prefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-image',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      LOG_LEVEL: 'warn',
    });
    expect(stage.env.NODE_ENV).toBe('production');
    const url = `http://127.0.0.1:${port}`;
    const status = async (path: string) => (await fetch(`${url}${path}`).catch(() => undefined))?.status;
    await eventually(async () => (await status('/healthz')) === 200 || child.exitCode !== null, 30_000);
    expect(child.exitCode, output.get(child)).toBeNull();
    await eventually(async () => (await status('/readyz')) === 200, 15_000);

    const command = (text: string, user: string) =>
      postToBolt(
        url,
        SECRET,
        slashCommand({ teamId: slack.teamId, channelId: 'C0IMAGE001', userId: user, text }),
        {
          contentType: 'application/x-www-form-urlencoded',
        },
      );
    // The daily post reads content/; the stats card reads assets/fonts; both fail if the image lacks them.
    expect((await command('daily', 'U0IMAGE001')).status).toBe(200);
    await slack.waitForCall('chat.postMessage', (call) => call.body.channel === 'C0IMAGE001', 15_000);
    expect((await command('stats', 'U0IMAGE001')).status).toBe(200);
    await slack.waitForCall(
      'chat.postEphemeral',
      (call) => /Answers|answers/.test(JSON.stringify(call.body)),
      15_000,
    );
    await eventually(() => slack.uploads.length > 0, 15_000);
    expect(output.get(child)).not.toMatch(/ENOENT|invocation failed/);
    expect(slack.calls.some((call) => /Something went wrong/.test(JSON.stringify(call.body)))).toBe(false);
    child.kill('SIGTERM');
    await eventually(() => child.exitCode !== null, 10_000);
    expect(child.exitCode).toBe(0);
  });

  it('started as the compose file starts the bot but with no token, says what to set and keeps running', async () => {
    const compose = YAML.parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: { bot: { command?: string[]; environment?: Record<string, string> } };
    };
    const bot = compose.services.bot;
    const port = await freePort();
    const child = launch(
      {
        ...bot.environment,
        // The compose network's service names, as this machine reaches them.
        DATABASE_URL: `${DATABASE_URL.replace(/\/[^/]*$/, '')}/${database}`,
        REDIS_URL,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      [...stage.argv.slice(0, 2), ...(bot.command ?? stage.argv.slice(2))],
    );
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200,
      30_000,
    );
    await eventually(() => /SLACK_BOT_TOKEN/.test(output.get(child) ?? ''), 10_000);
    expect(output.get(child)).toMatch(/DISCORD_TOKEN/);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(child.exitCode, 'a process that exits is restarted by compose in a loop').toBeNull();
    child.kill('SIGTERM');
  });
});
