/**
 * A small fake of Slack for tests that run the real @slack/bolt App.
 *
 * It serves the Web API (`POST /api/<method>`), the file upload URLs that `files.uploadV2` posts to,
 * `response_url`s, and a Socket Mode WebSocket, all on 127.0.0.1. Every request is recorded, and the
 * bot is held to Slack's documented contracts (Block Kit and modal limits, required arguments, token
 * types). Contract violations are collected in `contractErrors` rather than thrown, so one test can
 * assert on all of them at once and a bad payload never hides behind an SDK retry.
 *
 * Payload builders produce request bodies shaped like Slack's documented payloads, and `postToBolt`
 * signs and delivers them to a Bolt HTTP receiver, refusing any address that is not loopback.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Ajv, type ValidateFunction } from 'ajv';
import { type WebSocket, WebSocketServer } from 'ws';
import { SlackLimits } from './rate-limits.ts';

// ---------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------

/** The identities the fake answers with unless told otherwise. */
export const FAKE_SLACK_IDS = {
  teamId: 'T0MLSD0001',
  teamDomain: 'mlsd-study',
  botUserId: 'U0MLSDBOT1',
  botId: 'B0MLSDBOT1',
  appId: 'A0MLSDAPP1',
} as const;

export type FakeSlackUser = {
  isAdmin?: boolean;
  isOwner?: boolean;
  tz?: string;
  name?: string;
  isBot?: boolean;
};

export type FakeSlackOptions = {
  teamId?: string;
  botUserId?: string;
  users?: Record<string, FakeSlackUser>;
  /** A fixed loopback port (a test that starts the bot before "Slack" comes up); random otherwise. */
  port?: number;
  /** Enforce Slack's published rate limits (tiers, one post per second per channel), scaled by `scale`. */
  limits?: { scale?: number };
  /** The app's credentials oauth.v2.access checks (distribution: "Add to Slack"). */
  oauth?: { clientId: string; clientSecret: string };
};

/** A workspace that approved the app: what oauth.v2.access hands out for its code. */
export type FakeWorkspaceInstall = {
  teamId: string;
  teamName?: string;
  enterpriseId?: string;
  /** Who clicked "Allow". */
  userId?: string;
  /** Token rotation on: the bot token expires in `expiresIn` seconds and comes with a refresh token. */
  expiresIn?: number;
};

/** One request the fake received. `body` has JSON-encoded form fields (blocks, view...) decoded. */
export type SlackApiCall = {
  method: string;
  body: Record<string, unknown>;
  /** From the Authorization header or the `token` field (which is removed from `body`). */
  token: string | undefined;
  at: number; // ms since the epoch
};

export type ApiResponse = Record<string, unknown>;
export type ApiHandler = (call: SlackApiCall) => ApiResponse | Promise<ApiResponse>;

/** A file body that arrived at an upload URL handed out by files.getUploadURLExternal. */
export type FakeUpload = { fileId: string; filename: string; bytes: Buffer; at: number };

export type SocketEnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export type SocketEnvelope = {
  type: SocketEnvelopeType;
  payload: unknown;
  envelope_id?: string;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
};

export type SocketAck = { envelope_id: string; payload: Record<string, unknown>; at: number };

export type FakeSocketMode = {
  /** How many WebSocket clients are connected right now. */
  connectionCount(): number;
  /** Resolves once a client has connected (at once if one already is). */
  waitForConnection(timeoutMs?: number): Promise<void>;
  /**
   * Resolves once no client is connected. Bolt's `app.stop()` in Socket Mode resolves before the
   * WebSocket close handshake ends, so await this before `close()` to let the client shut down cleanly.
   */
  waitForDisconnect(timeoutMs?: number): Promise<void>;
  /** Pushes an envelope to the newest connection and returns its envelope_id. */
  send(envelope: SocketEnvelope): string;
  acks: SocketAck[];
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
};

export type FakeSlackApi = {
  /** The value for SLACK_API_URL / `clientOptions.slackApiUrl`; ends with `/api/`. */
  url: string;
  teamId: string;
  botUserId: string;
  botId: string;
  appId: string;
  calls: SlackApiCall[];
  callsTo(method: string): SlackApiCall[];
  waitForCall(
    method: string,
    predicate?: (call: SlackApiCall) => boolean,
    timeoutMs?: number,
  ): Promise<SlackApiCall>;
  /** Replaces the response of one method (until `reset()`); also makes an unknown method known. */
  on(method: string, handler: ApiHandler | ApiResponse): void;
  /** A loopback response_url; what the bot posts there is recorded as a `response_url` call. */
  responseUrl(): string;
  contractErrors: string[];
  uploads: FakeUpload[];
  socket: FakeSocketMode;
  /** Forgets calls, uploads, acks, contract errors and overrides; connections stay open. */
  reset(): void;
  /** Answers every call of `method` `ms` late, after doing what it asks (0 to stop). */
  slowDown(method: string, ms: number): void;
  /** Answers the next `times` calls of `method` with HTTP 429 and Retry-After (seconds). */
  rateLimit(method: string, times: number, retryAfterSeconds: number): void;
  /** Calls answered with 429, in order. */
  rateLimited: Array<{ method: string; at: number }>;
  /** A person in `install.teamId` approves the app: returns the code Slack sends to the redirect URL. */
  approveInstall(install: FakeWorkspaceInstall): string;
  /** The workspace a token belongs to (the default team for tokens this fake did not hand out). */
  teamOf(token: string | undefined): string;
  /** Bot tokens handed out by oauth.v2.access, newest last. */
  tokensOf(teamId: string): string[];
  /** Revokes every token of a workspace (an uninstall): calls with them answer `token_revoked`. */
  revoke(teamId: string): void;
  close(): Promise<void>;
};

// ---------------------------------------------------------------------------------------------------
// Documented limits (Block Kit reference, chat.postMessage, views and button element pages)
// ---------------------------------------------------------------------------------------------------

const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255, // chars
  actionId: 255, // chars
  sectionText: 3000, // chars
  sectionFields: 10,
  sectionFieldText: 2000, // chars
  headerText: 150, // chars
  actionsElements: 25,
  buttonText: 75, // chars
  buttonValue: 2000, // chars
  messageText: 40_000, // chars; Slack truncates beyond this
  modalTitle: 24, // chars, also submit and close
  callbackId: 255, // chars
  privateMetadata: 3000, // chars
  mpimUsers: 8,
  ackDeadline: 3000, // ms for slash commands and interactions
} as const;

const DEFAULT_TIMEOUT = 5_000; // ms
const DEFAULT_TZ = 'Europe/London';
/** A loopback address nothing listens on, so a forgotten response_url can never reach Slack. */
const UNSET_RESPONSE_URL = 'http://127.0.0.1:9/response-url-not-set';
/** Form fields that @slack/web-api JSON-encodes; decoded so tests and checks see real objects. */
const JSON_ENCODED_FIELDS = ['blocks', 'attachments', 'view', 'files', 'metadata', 'unfurls'] as const;
const MESSAGE_METHODS = ['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'response_url'];
const VIEW_METHODS = ['views.open', 'views.push', 'views.update', 'views.publish'];
const REQUIRED_ARGS: Record<string, string[]> = {
  'chat.postMessage': ['channel'],
  'chat.postEphemeral': ['channel', 'user'],
  'chat.update': ['channel', 'ts'],
  'chat.delete': ['channel', 'ts'],
  'chat.getPermalink': ['channel', 'message_ts'],
  'conversations.info': ['channel'],
  'conversations.members': ['channel'],
  'conversations.history': ['channel'],
  'conversations.replies': ['channel', 'ts'],
  'users.info': ['user'],
  'views.open': ['trigger_id', 'view'],
  'views.push': ['trigger_id', 'view'],
  'views.update': ['view'],
  'views.publish': ['user_id', 'view'],
  'files.getUploadURLExternal': ['filename', 'length'],
  'files.completeUploadExternal': ['files'],
};

// ---------------------------------------------------------------------------------------------------
// A list that can be awaited on
// ---------------------------------------------------------------------------------------------------

type Waiter<T> = { matches: (item: T) => boolean; resolve: (item: T) => void };

/** Records items in order and lets a test wait for one that has arrived or will arrive. */
class Recorder<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  push(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (waiter.matches(item)) {
        this.waiters.delete(waiter);
        waiter.resolve(item);
      }
    }
  }

  waitFor(matches: (item: T) => boolean, timeoutMs: number, describe: () => string): Promise<T> {
    const found = this.items.find(matches);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        matches,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Empties the list in place, so references handed out earlier see the reset. */
  clear(): void {
    this.items.length = 0;
  }
}

// ---------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function textOf(value: unknown): string {
  return isRecord(value) ? (asString(value.text) ?? '') : '';
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Offset of an IANA zone from UTC right now, in seconds, the way users.info reports `tz_offset`. */
function tzOffsetSeconds(tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    timeZoneName: 'longOffset',
  }).formatToParts();
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0; // plain "GMT" means UTC
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * 3600 + Number(match[3]) * 60);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function isLoopbackHost(hostname: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname);
}

// ---------------------------------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------------------------------

type ParsedRequest = { body: Json; token: string | undefined; problems: string[] };

/** Parses JSON, form-encoded or multipart bodies, the three encodings the Web API accepts. */
async function parseApiRequest(req: IncomingMessage, raw: Buffer): Promise<ParsedRequest> {
  const contentType = req.headers['content-type'] ?? '';
  const problems: string[] = [];
  let body: Json = {};
  if (contentType.startsWith('application/json')) {
    body = parseJsonBody(raw, problems);
    // Slack ignores a token in a JSON body: it must travel in the Authorization header.
    if (body.token !== undefined && !req.headers.authorization) {
      problems.push('a JSON body must carry its token in the Authorization header, not the body');
    }
  } else if (contentType.startsWith('multipart/form-data')) {
    body = await parseMultipart(raw, contentType);
  } else if (raw.length > 0) {
    body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  decodeJsonFields(body, problems);
  const token = bearerToken(req.headers.authorization) ?? asString(body.token);
  delete body.token;
  return { body, token, problems };
}

function parseJsonBody(raw: Buffer, problems: string[]): Json {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8') || '{}');
    if (isRecord(parsed)) return parsed;
    problems.push('JSON body is not an object');
  } catch {
    problems.push('body is not valid JSON');
  }
  return {};
}

/** Uses the platform's own multipart parser; file parts are summarised, not kept. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<Json> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const body: Json = {};
  for (const [key, value] of form.entries()) {
    body[key] = typeof value === 'string' ? value : { filename: value.name, size: value.size };
  }
  return body;
}

function decodeJsonFields(body: Json, problems: string[]): void {
  for (const field of JSON_ENCODED_FIELDS) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    try {
      body[field] = JSON.parse(value);
    } catch {
      problems.push(`${field} is not valid JSON`);
    }
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1];
}

// ---------------------------------------------------------------------------------------------------
// Contract checks
// ---------------------------------------------------------------------------------------------------

/** Returns every way this call breaks Slack's documented contract, each prefixed with the method. */
function checkContract(call: SlackApiCall): string[] {
  const errors = [...checkRequiredArgs(call), ...checkToken(call)];
  if (MESSAGE_METHODS.includes(call.method)) errors.push(...checkMessage(call.body));
  if (VIEW_METHODS.includes(call.method)) errors.push(...checkView(call.body.view));
  if (call.method === 'conversations.open') errors.push(...checkConversationsOpen(call.body));
  if (call.body.metadata !== undefined) errors.push(...checkMetadata(call.body.metadata));
  return errors.map((error) => `${call.method}: ${error}`);
}

/** Message metadata: an event_type of letters, digits and underscores, and an object payload. */
function checkMetadata(metadata: unknown): string[] {
  if (!isRecord(metadata)) return ['metadata must be an object'];
  const errors: string[] = [];
  if (typeof metadata.event_type !== 'string' || !/^[a-zA-Z0-9_]+$/.test(metadata.event_type))
    errors.push('metadata.event_type must be letters, digits and underscores');
  if (!isRecord(metadata.event_payload)) errors.push('metadata.event_payload must be an object');
  return errors;
}

function checkRequiredArgs(call: SlackApiCall): string[] {
  const required = REQUIRED_ARGS[call.method] ?? [];
  return required
    .filter((arg) => call.body[arg] === undefined || call.body[arg] === '')
    .map((arg) => `missing required argument \`${arg}\``);
}

function checkToken(call: SlackApiCall): string[] {
  // Response URLs are capability URLs; oauth.v2.access authenticates with the app's client id and secret.
  if (call.method === 'response_url' || call.method === 'oauth.v2.access') return [];
  if (!call.token) return ['called without a token'];
  const isAppToken = call.token.startsWith('xapp-');
  if (call.method === 'apps.connections.open' && !isAppToken) {
    return ['needs an app-level token (xapp-...)'];
  }
  if (call.method !== 'apps.connections.open' && isAppToken) {
    return ['called with an app-level token; use the bot token (xoxb-...)'];
  }
  return [];
}

function checkMessage(body: Json): string[] {
  const errors: string[] = [];
  const text = asString(body.text);
  if (body.blocks !== undefined) {
    if (!text) errors.push('`blocks` without a top-level `text` fallback');
    errors.push(...checkBlocks(body.blocks, LIMITS.messageBlocks));
  }
  if (text && text.length > LIMITS.messageText) {
    errors.push(`text is ${text.length} chars (limit ${LIMITS.messageText})`);
  }
  return errors;
}

function checkView(view: unknown): string[] {
  if (!isRecord(view)) return view === undefined ? [] : ['view is not an object'];
  const errors = checkBlocks(view.blocks, LIMITS.viewBlocks);
  const callbackId = asString(view.callback_id);
  if (callbackId && callbackId.length > LIMITS.callbackId) {
    errors.push(`callback_id is ${callbackId.length} chars (limit ${LIMITS.callbackId})`);
  }
  const metadata = asString(view.private_metadata);
  if (metadata && metadata.length > LIMITS.privateMetadata) {
    errors.push(`private_metadata is ${metadata.length} chars (limit ${LIMITS.privateMetadata})`);
  }
  if (view.type === 'modal') errors.push(...checkModalChrome(view));
  return errors;
}

function checkModalChrome(view: Json): string[] {
  const errors: string[] = [];
  if (view.title === undefined) errors.push('modal without a title');
  for (const part of ['title', 'submit', 'close'] as const) {
    const text = textOf(view[part]);
    if (text.length > LIMITS.modalTitle) {
      errors.push(`modal ${part} "${text}" is ${text.length} chars (limit ${LIMITS.modalTitle})`);
    }
  }
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  if (view.submit === undefined && blocks.some((block) => isRecord(block) && block.type === 'input')) {
    errors.push('modal with input blocks but no submit button');
  }
  return errors;
}

function checkBlocks(blocks: unknown, maxBlocks: number): string[] {
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  const errors: string[] = [];
  if (blocks.length > maxBlocks) errors.push(`${blocks.length} blocks (limit ${maxBlocks})`);
  const seenBlockIds = new Set<string>();
  for (const [index, block] of blocks.entries()) {
    if (!isRecord(block)) {
      errors.push(`block ${index} is not an object`);
      continue;
    }
    errors.push(...checkBlockId(block, index, seenBlockIds), ...checkBlockBody(block, index));
  }
  return errors;
}

function checkBlockId(block: Json, index: number, seen: Set<string>): string[] {
  const blockId = asString(block.block_id);
  if (blockId === undefined) return [];
  const errors: string[] = [];
  if (seen.has(blockId)) errors.push(`duplicate block_id "${blockId}" (block ${index})`);
  if (blockId.length > LIMITS.blockId) errors.push(`block ${index} block_id over ${LIMITS.blockId} chars`);
  seen.add(blockId);
  return errors;
}

function checkBlockBody(block: Json, index: number): string[] {
  switch (block.type) {
    case 'section':
      return checkSection(block, index);
    case 'header': {
      const length = textOf(block.text).length;
      return length > LIMITS.headerText ? [`header ${index} text is ${length} chars (limit 150)`] : [];
    }
    case 'actions':
      return checkActions(block, index);
    default:
      return [];
  }
}

function checkSection(block: Json, index: number): string[] {
  const errors: string[] = [];
  const length = textOf(block.text).length;
  if (length > LIMITS.sectionText) {
    errors.push(`section ${index} text is ${length} chars (limit ${LIMITS.sectionText})`);
  }
  const fields = Array.isArray(block.fields) ? block.fields : [];
  if (fields.length > LIMITS.sectionFields) {
    errors.push(`section ${index} has ${fields.length} fields (limit ${LIMITS.sectionFields})`);
  }
  for (const field of fields) {
    if (textOf(field).length > LIMITS.sectionFieldText) {
      errors.push(`section ${index} has a field over ${LIMITS.sectionFieldText} chars`);
    }
  }
  if (isRecord(block.accessory)) errors.push(...checkElement(block.accessory, `section ${index} accessory`));
  return errors;
}

function checkActions(block: Json, index: number): string[] {
  const elements = Array.isArray(block.elements) ? block.elements : [];
  const errors: string[] = [];
  if (elements.length > LIMITS.actionsElements) {
    errors.push(`actions ${index} has ${elements.length} elements (limit ${LIMITS.actionsElements})`);
  }
  const seenActionIds = new Set<string>();
  for (const element of elements) {
    if (!isRecord(element)) continue;
    const actionId = asString(element.action_id);
    if (actionId !== undefined && seenActionIds.has(actionId)) {
      errors.push(`actions ${index} has duplicate action_id "${actionId}"`);
    }
    if (actionId !== undefined) seenActionIds.add(actionId);
    errors.push(...checkElement(element, `actions ${index}`));
  }
  return errors;
}

function checkElement(element: Json, where: string): string[] {
  const errors: string[] = [];
  const actionId = asString(element.action_id);
  if (actionId && actionId.length > LIMITS.actionId) errors.push(`${where}: action_id over 255 chars`);
  if (element.type !== 'button') return errors;
  const value = asString(element.value);
  if (value && value.length > LIMITS.buttonValue) {
    errors.push(`${where}: button value is ${value.length} chars (limit ${LIMITS.buttonValue})`);
  }
  if (textOf(element.text).length > LIMITS.buttonText) {
    errors.push(`${where}: button text over ${LIMITS.buttonText} chars`);
  }
  return errors;
}

function checkConversationsOpen(body: Json): string[] {
  const users = asString(body.users);
  if (!users) return body.channel ? [] : ['needs `users` or `channel`'];
  const count = users.split(',').length;
  return count > LIMITS.mpimUsers ? [`${count} users (a group DM holds at most ${LIMITS.mpimUsers})`] : [];
}

// ---------------------------------------------------------------------------------------------------
// Default Web API responses
// ---------------------------------------------------------------------------------------------------

type FakeState = {
  baseUrl: string;
  wsUrl: string;
  teamId: string;
  botUserId: string;
  users: Record<string, FakeSlackUser>;
  sequence: number;
  /** file id -> what files.getUploadURLExternal was told, so completion can be checked. */
  pendingFiles: Map<string, { filename: string; length: number }>;
  uploads: Recorder<FakeUpload>;
  contractErrors: string[];
  /** Messages the bot posted, by conversation (a post to a user id lands in the DM with them). */
  history: Map<string, Json[]>;
  oauth: { clientId: string; clientSecret: string } | undefined;
  /** Codes waiting for oauth.v2.access, and the tokens handed out (token -> its install). */
  codes: Map<string, FakeWorkspaceInstall>;
  tokens: Map<string, FakeWorkspaceInstall & { refresh?: boolean }>;
  revoked: Set<string>;
};

const teamOf = (state: FakeState, token: string | undefined) =>
  (token && state.tokens.get(token)?.teamId) || state.teamId;

/** oauth.v2.access: a code (once) or a refresh token for a bot token, given the app's credentials. */
function oauthAccess(state: FakeState, { body }: SlackApiCall): ApiResponse {
  if (
    !state.oauth ||
    body.client_id !== state.oauth.clientId ||
    body.client_secret !== state.oauth.clientSecret
  )
    return { ok: false, error: 'invalid_client_id' };
  let install: FakeWorkspaceInstall | undefined;
  if (body.grant_type === 'refresh_token') {
    const refresh = state.tokens.get(String(body.refresh_token));
    if (!refresh?.refresh || state.revoked.has(String(body.refresh_token)))
      return { ok: false, error: 'invalid_refresh_token' };
    install = refresh;
  } else {
    install = state.codes.get(String(body.code));
    state.codes.delete(String(body.code));
    if (!install) return { ok: false, error: 'invalid_code' };
  }
  const token = nextId(state, `xoxb-${install.teamId}-`);
  state.tokens.set(token, install);
  const rotation: Record<string, unknown> = {};
  if (install.expiresIn) {
    const refreshToken = nextId(state, `xoxe-1-${install.teamId}-`);
    state.tokens.set(refreshToken, { ...install, refresh: true });
    Object.assign(rotation, { refresh_token: refreshToken, expires_in: install.expiresIn });
  }
  return {
    ok: true,
    access_token: token,
    token_type: 'bot',
    scope: 'commands,chat:write',
    bot_user_id: state.botUserId,
    app_id: FAKE_SLACK_IDS.appId,
    team: { id: install.teamId, name: install.teamName ?? install.teamId },
    enterprise: install.enterpriseId ? { id: install.enterpriseId, name: install.enterpriseId } : null,
    is_enterprise_install: false,
    authed_user: { id: install.userId ?? 'U0INSTALL1' },
    ...rotation,
  };
}

/** Unique, increasing message timestamps in Slack's "seconds.micros" shape. */
function nextTs(state: FakeState): string {
  state.sequence += 1;
  const micros = state.sequence * 100;
  const seconds = 1_700_000_000 + Math.floor(micros / 1_000_000);
  return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

function nextId(state: FakeState, prefix: string): string {
  state.sequence += 1;
  return `${prefix}${String(state.sequence).padStart(9, '0')}`;
}

function messageObject(state: FakeState, body: Json, ts: string): Json {
  return {
    type: 'message',
    text: body.text ?? '',
    user: state.botUserId,
    bot_id: FAKE_SLACK_IDS.botId,
    app_id: FAKE_SLACK_IDS.appId,
    team: state.teamId,
    ts,
    ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
    ...(body.thread_ts !== undefined ? { thread_ts: body.thread_ts } : {}),
    ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
  };
}

/** The conversation a post lands in: posting to a user id means the app's DM with them. */
function conversationOf(channel: string): string {
  return /^[UW]/.test(channel) ? dmChannelId(channel) : channel;
}

/** What conversations.history and .replies show: metadata only when asked for, as Slack does. */
function listed(message: Json, withMetadata: boolean): Json {
  if (withMetadata) return message;
  const { metadata: _hidden, ...rest } = message;
  return rest;
}

/** The same set of users always gets the same DM id, as in Slack. */
function dmChannelId(users: string): string {
  const key = users
    .split(',')
    .map((user) => user.trim())
    .sort()
    .join(',');
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `D${hash.toString(36).toUpperCase().padStart(9, '0')}`;
}

function channelInfo(channel: string): Json {
  const isIm = channel.startsWith('D');
  return {
    id: channel,
    name: isIm ? undefined : `channel-${channel.toLowerCase()}`,
    is_channel: channel.startsWith('C'),
    is_group: channel.startsWith('G'),
    is_im: isIm,
    is_mpim: false,
    is_private: !channel.startsWith('C'),
    is_member: true,
    is_archived: false,
    created: 1_700_000_000,
  };
}

function userObject(state: FakeState, id: string): Json {
  const user = state.users[id] ?? {};
  const name = user.name ?? id.toLowerCase();
  const tz = user.tz ?? DEFAULT_TZ;
  return {
    id,
    team_id: state.teamId,
    name,
    real_name: name,
    deleted: false,
    tz,
    tz_offset: tzOffsetSeconds(tz),
    is_admin: user.isAdmin ?? false,
    is_owner: user.isOwner ?? false,
    is_bot: user.isBot ?? false,
    profile: { display_name: name, real_name: name },
  };
}

function viewObject(state: FakeState, body: Json): Json {
  const view = isRecord(body.view) ? body.view : {};
  const id = asString(body.view_id) ?? nextId(state, 'V');
  return {
    id,
    team_id: state.teamId,
    app_id: FAKE_SLACK_IDS.appId,
    bot_id: FAKE_SLACK_IDS.botId,
    hash: `${nowSeconds()}.${id}`,
    root_view_id: id,
    previous_view_id: null,
    state: { values: {} },
    private_metadata: '',
    callback_id: '',
    external_id: asString(body.external_id) ?? '',
    ...view,
  };
}

function completeUploads(state: FakeState, call: SlackApiCall): ApiResponse {
  const files = Array.isArray(call.body.files) ? call.body.files : [];
  const completed = files.filter(isRecord).map((file) => {
    const id = asString(file.id) ?? '';
    const pending = state.pendingFiles.get(id);
    const upload = state.uploads.items.find((item) => item.fileId === id);
    if (!pending || !upload) {
      state.contractErrors.push(`files.completeUploadExternal: file ${id} was never uploaded`);
    } else if (upload.bytes.length !== pending.length) {
      state.contractErrors.push(
        `files.completeUploadExternal: file ${id} is ${upload.bytes.length} bytes, announced ${pending.length}`,
      );
    }
    const channel = asString(call.body.channel_id);
    return {
      id,
      name: pending?.filename,
      title: file.title ?? pending?.filename,
      size: upload?.bytes.length ?? 0,
      channels: channel ? [channel] : [],
      permalink: `${state.baseUrl}/files/${id}`,
    };
  });
  return { ok: true, files: completed };
}

function defaultHandlers(state: FakeState): Record<string, ApiHandler> {
  return {
    'oauth.v2.access': (call) => oauthAccess(state, call),
    'auth.test': ({ token }) => ({
      ok: true,
      url: `${state.baseUrl}/`,
      team: 'MLSD Study Group',
      user: 'mlsd-bot',
      team_id: teamOf(state, token),
      user_id: state.botUserId,
      bot_id: FAKE_SLACK_IDS.botId,
      app_id: FAKE_SLACK_IDS.appId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': ({ body }) => {
      const ts = nextTs(state);
      const channel = conversationOf(String(body.channel));
      const message = messageObject(state, body, ts);
      state.history.set(channel, [...(state.history.get(channel) ?? []), message]);
      return { ok: true, channel, ts, message };
    },
    'conversations.history': ({ body }) => {
      const limit = Number(body.limit ?? 100);
      const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
      const messages = (state.history.get(String(body.channel)) ?? [])
        .filter((message) => message.thread_ts === undefined || message.thread_ts === message.ts)
        .slice()
        .reverse()
        .slice(0, limit)
        .map((message) => listed(message, withMetadata));
      return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
    },
    'conversations.replies': ({ body }) => {
      const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
      const messages = (state.history.get(String(body.channel)) ?? [])
        .filter((message) => message.ts === body.ts || message.thread_ts === body.ts)
        .slice(0, Number(body.limit ?? 1000))
        .map((message) => listed(message, withMetadata));
      return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
    },
    'chat.postEphemeral': () => ({ ok: true, message_ts: nextTs(state) }),
    'chat.update': ({ body }) => ({
      ok: true,
      channel: body.channel,
      ts: body.ts,
      text: body.text ?? '',
      message: messageObject(state, body, asString(body.ts) ?? ''),
    }),
    'chat.delete': ({ body }) => ({ ok: true, channel: body.channel, ts: body.ts }),
    'chat.getPermalink': ({ body }) => ({
      ok: true,
      channel: body.channel,
      permalink: `${state.baseUrl}/archives/${body.channel}/p${String(body.message_ts).replace('.', '')}`,
    }),
    'conversations.open': ({ body }) => {
      const users = asString(body.users);
      const id = users ? dmChannelId(users) : asString(body.channel);
      if (!id) return { ok: false, error: 'users_list_not_supplied' };
      return { ok: true, no_op: false, already_open: false, channel: { id } };
    },
    'conversations.info': ({ body }) => ({ ok: true, channel: channelInfo(String(body.channel)) }),
    'conversations.members': () => ({
      ok: true,
      members: [...Object.keys(state.users), state.botUserId],
      response_metadata: { next_cursor: '' },
    }),
    'users.info': ({ body }) => ({ ok: true, user: userObject(state, String(body.user)) }),
    'views.open': ({ body }) => ({ ok: true, view: viewObject(state, body) }),
    'views.push': ({ body }) => ({ ok: true, view: viewObject(state, body) }),
    'views.update': ({ body }) => ({ ok: true, view: viewObject(state, body) }),
    'views.publish': ({ body }) => ({ ok: true, view: viewObject(state, body) }),
    'files.getUploadURLExternal': ({ body }) => {
      const fileId = nextId(state, 'F');
      state.pendingFiles.set(fileId, { filename: String(body.filename), length: Number(body.length) });
      return { ok: true, upload_url: `${state.baseUrl}/upload/${fileId}`, file_id: fileId };
    },
    'files.completeUploadExternal': (call) => completeUploads(state, call),
    'apps.connections.open': ({ token }) =>
      token?.startsWith('xapp-')
        ? { ok: true, url: `${state.wsUrl}?ticket=${randomUUID()}&app_id=${FAKE_SLACK_IDS.appId}` }
        : { ok: false, error: 'not_allowed_token_type' },
  };
}

// ---------------------------------------------------------------------------------------------------
// Socket Mode
// ---------------------------------------------------------------------------------------------------

type SocketModeServer = FakeSocketMode & {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  clear(): void;
  close(): Promise<void>;
};

/** A loopback stand-in for Slack's Socket Mode endpoint: hello, envelopes out, acks in. */
function createSocketModeServer(contractErrors: string[]): SocketModeServer {
  const wss = new WebSocketServer({ noServer: true });
  const connections = new Recorder<WebSocket>();
  const disconnects = new Recorder<WebSocket>();
  const acks = new Recorder<SocketAck>();
  const sentAt = new Map<string, { type: SocketEnvelopeType; at: number }>();
  let envelopeCount = 0;

  wss.on('connection', (ws) => {
    connections.push(ws);
    ws.on('message', (data) => recordAck(data.toString()));
    ws.on('close', () => {
      const index = connections.items.indexOf(ws);
      if (index >= 0) connections.items.splice(index, 1);
      disconnects.push(ws);
    });
    ws.send(JSON.stringify(helloMessage()));
  });

  function recordAck(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      contractErrors.push('socket mode: client sent a frame that is not JSON');
      return;
    }
    const envelopeId = isRecord(message) ? asString(message.envelope_id) : undefined;
    if (!isRecord(message) || !envelopeId) {
      contractErrors.push('socket mode: client sent a frame without an envelope_id');
      return;
    }
    checkAckTiming(envelopeId);
    acks.push({
      envelope_id: envelopeId,
      payload: isRecord(message.payload) ? message.payload : {},
      at: Date.now(),
    });
  }

  function checkAckTiming(envelopeId: string): void {
    const sent = sentAt.get(envelopeId);
    if (!sent) {
      contractErrors.push(`socket mode: ack for unknown envelope ${envelopeId}`);
    } else if (sent.type !== 'events_api' && Date.now() - sent.at > LIMITS.ackDeadline) {
      contractErrors.push(`socket mode: ${sent.type} envelope ${envelopeId} acked after 3 s`);
    }
  }

  return {
    acks: acks.items,
    connectionCount: () => connections.items.length,
    waitForConnection: async (timeoutMs = DEFAULT_TIMEOUT) => {
      await connections.waitFor(
        () => true,
        timeoutMs,
        () => 'a Socket Mode connection',
      );
    },
    waitForDisconnect: async (timeoutMs = DEFAULT_TIMEOUT) => {
      if (connections.items.length === 0) return;
      await disconnects.waitFor(
        () => connections.items.length === 0,
        timeoutMs,
        () => 'Socket Mode clients to leave',
      );
    },
    send(envelope) {
      const ws = connections.items.at(-1);
      if (!ws) throw new Error('No Socket Mode client is connected to the fake');
      envelopeCount += 1;
      const envelopeId = envelope.envelope_id ?? `envelope-${envelopeCount}-${randomUUID()}`;
      const frame = {
        accepts_response_payload: envelope.type !== 'events_api',
        ...envelope,
        envelope_id: envelopeId,
      };
      sentAt.set(envelopeId, { type: envelope.type, at: Date.now() });
      ws.send(JSON.stringify(frame));
      return envelopeId;
    },
    waitForAck: (envelopeId, timeoutMs = DEFAULT_TIMEOUT) =>
      acks.waitFor(
        (ack) => ack.envelope_id === envelopeId,
        timeoutMs,
        () => `an ack of ${envelopeId}`,
      ),
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    clear() {
      acks.clear();
      sentAt.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** Shaped like the hello Slack sends once a Socket Mode connection is ready. */
function helloMessage(): Json {
  return {
    type: 'hello',
    num_connections: 1,
    debug_info: { host: 'fake-slack-loopback', build_number: 1, approximate_connection_time: 18060 },
    connection_info: { app_id: FAKE_SLACK_IDS.appId },
  };
}

// ---------------------------------------------------------------------------------------------------
// The fake server
// ---------------------------------------------------------------------------------------------------

/** Starts the fake Web API, upload URLs, response URLs and Socket Mode endpoint on 127.0.0.1. */
export async function startFakeSlackApi(opts: FakeSlackOptions = {}): Promise<FakeSlackApi> {
  const calls = new Recorder<SlackApiCall>();
  const contractErrors: string[] = [];
  const overrides = new Map<string, ApiHandler>();
  const socket = createSocketModeServer(contractErrors);
  const state: FakeState = {
    baseUrl: '',
    wsUrl: '',
    teamId: opts.teamId ?? FAKE_SLACK_IDS.teamId,
    botUserId: opts.botUserId ?? FAKE_SLACK_IDS.botUserId,
    users: opts.users ?? {},
    sequence: 0,
    pendingFiles: new Map(),
    uploads: new Recorder<FakeUpload>(),
    contractErrors,
    history: new Map(),
    oauth: opts.oauth,
    codes: new Map(),
    tokens: new Map(),
    revoked: new Set(),
  };
  const defaults = defaultHandlers(state);
  let responseUrlCount = 0;

  const rateLimits = new Map<string, { remaining: number; retryAfter: number }>();
  const latencies = new Map<string, number>();
  const enforced = opts.limits ? new SlackLimits(opts.limits.scale ?? 1) : undefined;
  const rateLimited: Array<{ method: string; at: number }> = [];

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const raw = await readBody(req);
    const parsed = await parseApiRequest(req, raw);
    const wait = enforced?.check(teamOf(state, parsed.token), method, asString(parsed.body.channel));
    if (wait !== undefined) {
      rateLimited.push({ method, at: Date.now() });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(wait) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const limited = rateLimits.get(method);
    if (limited && limited.remaining > 0) {
      // Slack's documented rate-limit answer: HTTP 429 with Retry-After in seconds.
      limited.remaining -= 1;
      rateLimited.push({ method, at: Date.now() });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limited.retryAfter) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const call: SlackApiCall = { method, body: parsed.body, token: parsed.token, at: Date.now() };
    contractErrors.push(...parsed.problems.map((problem) => `${method}: ${problem}`), ...checkContract(call));
    calls.push(call);
    const handler = overrides.get(method) ?? defaults[method];
    if (!handler) {
      contractErrors.push(`${method}: not a Web API method this fake knows (add it with fake.on())`);
      sendJson(res, 200, { ok: false, error: 'unknown_method' });
      return;
    }
    if (!call.token && method !== 'oauth.v2.access') {
      sendJson(res, 200, { ok: false, error: 'not_authed' });
      return;
    }
    if (call.token && state.revoked.has(call.token)) {
      sendJson(res, 200, { ok: false, error: 'token_revoked' });
      return;
    }
    const response = await handler(call);
    // A slow Slack: the message exists (and is recorded) before the sender hears back.
    const latency = latencies.get(method);
    if (latency) await new Promise((resolve) => setTimeout(resolve, latency));
    sendJson(res, 200, response);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> {
    const raw = await readBody(req);
    const pending = state.pendingFiles.get(fileId);
    if (!pending) {
      contractErrors.push(`upload: ${fileId} was not handed out by files.getUploadURLExternal`);
      res.writeHead(404).end();
      return;
    }
    const bytes = await uploadedBytes(req, raw);
    state.uploads.push({ fileId, filename: pending.filename, bytes, at: Date.now() });
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const problems: string[] = [];
    const body = parseJsonBody(await readBody(req), problems);
    const call: SlackApiCall = { method: 'response_url', body, token: undefined, at: Date.now() };
    contractErrors.push(...problems.map((problem) => `response_url: ${problem}`), ...checkContract(call));
    calls.push(call);
    sendJson(res, 200, { ok: true });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', state.baseUrl).pathname;
    const [, area, name] = path.split('/');
    if (req.method === 'POST' && area === 'api' && name) return handleApi(req, res, name);
    if (req.method === 'POST' && area === 'upload' && name) return handleUpload(req, res, name);
    if (req.method === 'POST' && area === 'response') return handleResponseUrl(req, res);
    contractErrors.push(`http: unexpected ${req.method} ${path}`);
    res.writeHead(404).end();
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      // A bug in the fake must fail the test visibly, not look like a Slack outage the SDK retries.
      contractErrors.push(
        `fake-slack internal error: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('upgrade', (req, duplex, head) => {
    if (new URL(req.url ?? '/', state.baseUrl).pathname.startsWith('/link')) {
      socket.handleUpgrade(req, duplex, head);
    } else {
      duplex.destroy();
    }
  });

  const port = await listenOnLoopback(server, opts.port);
  state.baseUrl = `http://127.0.0.1:${port}`;
  state.wsUrl = `ws://127.0.0.1:${port}/link/`;

  return {
    url: `${state.baseUrl}/api/`,
    teamId: state.teamId,
    botUserId: state.botUserId,
    botId: FAKE_SLACK_IDS.botId,
    appId: FAKE_SLACK_IDS.appId,
    calls: calls.items,
    callsTo: (method) => calls.items.filter((call) => call.method === method),
    waitForCall: (method, predicate = () => true, timeoutMs = DEFAULT_TIMEOUT) =>
      calls.waitFor(
        (call) => call.method === method && predicate(call),
        timeoutMs,
        () =>
          `a matching ${method} call; calls so far: ${calls.items.map((c) => c.method).join(', ') || 'none'}`,
      ),
    on(method, handler) {
      overrides.set(method, typeof handler === 'function' ? handler : () => handler);
    },
    responseUrl() {
      responseUrlCount += 1;
      return `${state.baseUrl}/response/${responseUrlCount}`;
    },
    contractErrors,
    uploads: state.uploads.items,
    socket,
    rateLimited,
    approveInstall(install) {
      const code = nextId(state, 'code-');
      state.codes.set(code, install);
      return code;
    },
    teamOf: (token) => teamOf(state, token),
    tokensOf: (teamId) =>
      [...state.tokens.entries()]
        .filter(
          ([token, install]) => install.teamId === teamId && !install.refresh && !state.revoked.has(token),
        )
        .map(([token]) => token),
    revoke(teamId) {
      for (const [token, install] of state.tokens) if (install.teamId === teamId) state.revoked.add(token);
    },
    rateLimit(method: string, times: number, retryAfterSeconds: number) {
      rateLimits.set(method, { remaining: times, retryAfter: retryAfterSeconds });
    },
    slowDown(method: string, ms: number) {
      if (ms > 0) latencies.set(method, ms);
      else latencies.delete(method);
    },
    reset() {
      calls.clear();
      state.uploads.clear();
      contractErrors.length = 0;
      overrides.clear();
      socket.clear();
    },
    async close() {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function listenOnLoopback(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** @slack/web-api sends the file as a multipart part; other clients may send the raw bytes. */
async function uploadedBytes(req: IncomingMessage, raw: Buffer): Promise<Buffer> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}

// ---------------------------------------------------------------------------------------------------
// Signing and delivering requests to Bolt
// ---------------------------------------------------------------------------------------------------

export type SlackRequestHeaders = {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
  'content-type': string;
};

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const JSON_CONTENT_TYPE = 'application/json';

/** Slack sends events as JSON and everything else (commands, interactions) as a form. */
function inferContentType(rawBody: string): string {
  return rawBody.trimStart().startsWith('{') ? JSON_CONTENT_TYPE : FORM_CONTENT_TYPE;
}

/** The headers Slack adds: a v0 HMAC-SHA256 of `v0:{timestamp}:{body}` keyed by the signing secret. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestamp: number = nowSeconds(),
): SlackRequestHeaders {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return {
    'x-slack-signature': `v0=${digest}`,
    'x-slack-request-timestamp': String(timestamp),
    'content-type': inferContentType(rawBody),
  };
}

export type PostToBoltOptions = {
  /** Defaults to JSON for bodies that start with `{`, form-encoded otherwise. */
  contentType?: string;
  /** Sets `x-slack-retry-num` / `x-slack-retry-reason` as Slack does when it redelivers an event. */
  retryNum?: number;
  retryReason?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Signs with the wrong secret, as a forger would. */
  badSignature?: boolean;
};

/** Signs `body` and POSTs it to `${baseUrl}/slack/events`; objects are sent as JSON. */
export async function postToBolt(
  baseUrl: string,
  signingSecret: string,
  body: string | object,
  options: PostToBoltOptions = {},
): Promise<{ status: number; text: string }> {
  const target = new URL('/slack/events', baseUrl);
  if (!isLoopbackHost(target.hostname)) {
    throw new Error(`postToBolt only talks to loopback, not ${target.hostname}`);
  }
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const secret = options.badSignature ? `${signingSecret}-forged` : signingSecret;
  const headers: Record<string, string> = { ...signSlackRequest(secret, rawBody, options.timestamp) };
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason;
  const response = await fetch(target, { method: 'POST', headers, body: rawBody });
  return { status: response.status, text: await response.text() };
}

// ---------------------------------------------------------------------------------------------------
// Payload builders (shapes from Slack's slash command, Events API and interaction payload references)
// ---------------------------------------------------------------------------------------------------

const VERIFICATION_TOKEN = 'fake-verification-token'; // deprecated by Slack but still sent

function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function interactionForm(payload: object): string {
  return formBody({ payload: JSON.stringify(payload) });
}

function triggerId(): string {
  return `${nowSeconds()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().replaceAll('-', '')}`;
}

function channelType(channelId: string): string {
  if (channelId.startsWith('D')) return 'im';
  if (channelId.startsWith('G')) return 'group';
  return 'channel';
}

export type SlashCommandInput = {
  teamId: string;
  channelId: string;
  userId: string;
  userName?: string;
  text: string;
  command?: string;
  triggerId?: string;
  responseUrl?: string;
};

/** The slash command fields as an object (what a Socket Mode `slash_commands` envelope carries). */
export function slashCommandPayload(input: SlashCommandInput): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: input.teamId,
    team_domain: FAKE_SLACK_IDS.teamDomain,
    channel_id: input.channelId,
    channel_name: channelType(input.channelId) === 'im' ? 'directmessage' : `channel-${input.channelId}`,
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: input.command ?? '/mlsd',
    text: input.text,
    api_app_id: FAKE_SLACK_IDS.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? UNSET_RESPONSE_URL,
    trigger_id: input.triggerId ?? triggerId(),
  };
}

/** A slash command as Slack POSTs it over HTTP: a form-encoded body. */
export function slashCommand(input: SlashCommandInput): string {
  return formBody(slashCommandPayload(input));
}

export type MessageEventInput = {
  teamId: string;
  channelId: string;
  userId: string;
  text: string;
  ts: string;
  threadTs?: string;
  botId?: string;
  subtype?: string;
  eventId?: string;
  eventTime?: number;
  /** The installation the event is delivered to; defaults to the fake's bot. */
  botUserId?: string;
};

/** An Events API `event_callback` envelope around a `message` event. */
export function messageEvent(input: MessageEventInput): Json {
  return eventCallback(input, {
    type: 'message',
    channel: input.channelId,
    user: input.userId,
    text: input.text,
    ts: input.ts,
    event_ts: input.ts,
    team: input.teamId,
    channel_type: channelType(input.channelId),
    ...(input.threadTs !== undefined ? { thread_ts: input.threadTs } : {}),
    ...(input.botId !== undefined ? { bot_id: input.botId } : {}),
    ...(input.subtype !== undefined ? { subtype: input.subtype } : {}),
  });
}

export type ReactionEventInput = {
  teamId: string;
  channelId: string;
  userId: string;
  /** Slack's emoji name without colons, e.g. "+1" or "+1::skin-tone-3". */
  reaction: string;
  /** The ts of the message reacted to, and its author. */
  messageTs: string;
  itemUser?: string;
  eventId?: string;
};

/** A reaction_added event callback, as the Events API delivers it. */
export function reactionEvent(input: ReactionEventInput): Json {
  return eventCallback(input, {
    type: 'reaction_added',
    user: input.userId,
    reaction: input.reaction,
    item: { type: 'message', channel: input.channelId, ts: input.messageTs },
    ...(input.itemUser !== undefined ? { item_user: input.itemUser } : {}),
    event_ts: `${nowSeconds()}.000100`,
  });
}

function eventCallback(
  input: { teamId: string; eventId?: string; eventTime?: number; botUserId?: string },
  event: Json,
): Json {
  return {
    token: VERIFICATION_TOKEN,
    team_id: input.teamId,
    context_team_id: input.teamId,
    context_enterprise_id: null,
    api_app_id: FAKE_SLACK_IDS.appId,
    event,
    type: 'event_callback',
    event_id: input.eventId ?? `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
    event_time: input.eventTime ?? nowSeconds(),
    authorizations: [
      {
        enterprise_id: null,
        team_id: input.teamId,
        user_id: input.botUserId ?? FAKE_SLACK_IDS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomUUID()}`,
  };
}

export type BlockActionInput = {
  teamId: string;
  channelId: string;
  userId: string;
  actionId: string;
  value: string;
  messageTs?: string;
  threadTs?: string;
  triggerId?: string;
  blockId?: string;
  responseUrl?: string;
};

/** A button click on a message, as a `block_actions` payload object. */
export function blockActionPayload(input: BlockActionInput): Json {
  const messageTs = input.messageTs ?? '1700000000.000100';
  const threadFields = input.threadTs !== undefined ? { thread_ts: input.threadTs } : {};
  const blockId = input.blockId ?? 'actions';
  return {
    type: 'block_actions',
    user: {
      id: input.userId,
      username: input.userId.toLowerCase(),
      name: input.userId.toLowerCase(),
      team_id: input.teamId,
    },
    api_app_id: FAKE_SLACK_IDS.appId,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: input.channelId,
      is_ephemeral: false,
      ...threadFields,
    },
    trigger_id: input.triggerId ?? triggerId(),
    team: { id: input.teamId, domain: FAKE_SLACK_IDS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: `channel-${input.channelId}` },
    message: {
      type: 'message',
      user: FAKE_SLACK_IDS.botUserId,
      bot_id: FAKE_SLACK_IDS.botId,
      text: 'message with buttons',
      ts: messageTs,
      ...threadFields,
      blocks: [
        { type: 'actions', block_id: blockId, elements: [buttonElement(input.actionId, input.value)] },
      ],
    },
    state: { values: {} },
    response_url: input.responseUrl ?? UNSET_RESPONSE_URL,
    actions: [
      {
        ...buttonElement(input.actionId, input.value),
        block_id: blockId,
        action_ts: `${nowSeconds()}.000000`,
      },
    ],
  };
}

function buttonElement(actionId: string, value: string): Json {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: 'Button', emoji: true },
    value,
  };
}

/** A button click as Slack POSTs it over HTTP: `payload=<json>`. */
export function blockAction(input: BlockActionInput): string {
  return interactionForm(blockActionPayload(input));
}

/** Modal state as Slack reports it: block_id -> action_id -> element state. */
export type ViewStateValues = Record<string, Record<string, Record<string, unknown>>>;

export type ViewSubmissionInput = {
  teamId: string;
  userId: string;
  callbackId: string;
  privateMetadata: string;
  values: ViewStateValues;
  viewId?: string;
  triggerId?: string;
};

/** A modal submission, as a `view_submission` payload object. */
export function viewSubmissionPayload(input: ViewSubmissionInput): Json {
  const viewId = input.viewId ?? 'V000000001';
  return {
    type: 'view_submission',
    team: { id: input.teamId, domain: FAKE_SLACK_IDS.teamDomain },
    user: {
      id: input.userId,
      username: input.userId.toLowerCase(),
      name: input.userId.toLowerCase(),
      team_id: input.teamId,
    },
    api_app_id: FAKE_SLACK_IDS.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? triggerId(),
    view: {
      id: viewId,
      team_id: input.teamId,
      type: 'modal',
      blocks: [],
      private_metadata: input.privateMetadata,
      callback_id: input.callbackId,
      state: { values: input.values },
      hash: `${nowSeconds()}.${viewId}`,
      title: { type: 'plain_text', text: 'MLSD', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: FAKE_SLACK_IDS.appId,
      external_id: '',
      app_installed_team_id: input.teamId,
      bot_id: FAKE_SLACK_IDS.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A modal submission as Slack POSTs it over HTTP: `payload=<json>`. */
export function viewSubmission(input: ViewSubmissionInput): string {
  return interactionForm(viewSubmissionPayload(input));
}

/** The handshake Slack sends when a Request URL is saved. */
export function urlVerification(challenge: string): Json {
  return { token: VERIFICATION_TOKEN, challenge, type: 'url_verification' };
}

// ---------------------------------------------------------------------------------------------------
// App manifest validation
// ---------------------------------------------------------------------------------------------------

const MANIFEST_SCHEMA_URL = new URL('../fixtures/contracts/slack-app-manifest.schema.json', import.meta.url);
let manifestValidator: ValidateFunction | undefined;

/**
 * The schema declares draft-07, which is plain `Ajv`'s default draft, so no extra draft package is
 * needed. Strict mode stays on, with three allowances for quirks of Slack's published schema:
 * - `_note` is an annotation its authors use for comments: allowed, and ignored;
 * - `regex` (on display_information.background_color) is a typo for `pattern`: enforced as one,
 *   because Slack does reject colours that are not hex;
 * - a few `minItems` sit beside `type: string` (strictTypes would only log about them).
 * ajv-formats is not installed, so the one format used (`uri`) is checked with the URL parser.
 */
function compileManifestValidator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  ajv.addVocabulary(['_note']);
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
  });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(JSON.parse(readFileSync(MANIFEST_SCHEMA_URL, 'utf8')));
}

/** Validates an app manifest against Slack's published JSON Schema; returns errors (empty = valid). */
export function validateSlackManifest(manifest: unknown): string[] {
  manifestValidator ??= compileManifestValidator();
  if (manifestValidator(manifest)) return [];
  return (manifestValidator.errors ?? []).map((error) => {
    const params = Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : '';
    return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${params}`;
  });
}

/** `app_uninstalled`: the app was removed from a workspace. */
export function appUninstalledEvent(input: { teamId: string; eventId?: string }): Json {
  return eventCallback(input, { type: 'app_uninstalled', event_ts: `${nowSeconds()}.000100` });
}

/** `tokens_revoked`: tokens of a workspace were revoked (bot ids under `bot`, user ids under `oauth`). */
export function tokensRevokedEvent(input: { teamId: string; bot?: string[]; oauth?: string[] }): Json {
  return eventCallback(input, {
    type: 'tokens_revoked',
    tokens: { oauth: input.oauth ?? [], bot: input.bot ?? [] },
    event_ts: `${nowSeconds()}.000200`,
  });
}

/**
 * "Add to Slack" as a person's browser does it: opens the bot's install page, takes the state from the
 * approval link and its cookie, has `install.teamId` approve on the fake, and follows Slack's redirect
 * back to the bot. Returns the page the person ends on.
 */
export async function installViaOAuth(
  botUrl: string,
  slack: FakeSlackApi,
  install: FakeWorkspaceInstall,
): Promise<{ status: number; text: string }> {
  const page = await fetch(new URL('/slack/install', botUrl), { redirect: 'manual' });
  const html = await page.text();
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const href = /href="([^"]*state=[^"]+)"/.exec(html)?.[1]?.replace(/&#38;|&amp;/g, '&');
  if (page.status !== 200 || !href)
    throw new Error(`no install page (${page.status}): ${html.slice(0, 200)}`);
  const state = new URL(href).searchParams.get('state') ?? '';
  const code = slack.approveInstall(install);
  const back = new URL('/slack/oauth_redirect', botUrl);
  back.searchParams.set('code', code);
  back.searchParams.set('state', state);
  const done = await fetch(back, { headers: { cookie }, redirect: 'manual' });
  return { status: done.status, text: await done.text() };
}
