/**
 * A fake Discord on 127.0.0.1 (REST API + gateway) that the REAL discord.js client talks to in tests.
 *
 * The fake holds the bot to Discord's published contract rather than to our guesses: every JSON body is
 * validated against Discord's OpenAPI 3.1 description (tests/fixtures/contracts/discord-openapi.json) and
 * against documented limits the spec does not encode. Problems are recorded in `contractErrors` (never
 * thrown) and answered the way Discord would answer them (400 Invalid Form Body, 404 Unknown interaction).
 * It also reproduces the gateway behaviour a bot can trip over: privileged intents decide what a
 * MESSAGE_CREATE carries, GUILD_CREATE lists only the bot as a member without the GuildMembers intent,
 * and an interaction must be acknowledged once, within three seconds.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// The named export: under NodeNext the default import of this CommonJS module types as a namespace.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIAttachment,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIDMChannel,
  type APIEmbed,
  type APIGuildCategoryChannel,
  type APIGuildMember,
  type APIInteractionDataResolved,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIMessageTopLevelComponent,
  type APIModalSubmissionComponent,
  type APIModalSubmitInteraction,
  type APIModalSubmitTextInputComponent,
  type APINewsChannel,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type ApplicationFlags,
  ButtonStyle,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  type GatewayGuildCreateDispatchData,
  type GatewayIdentifyData,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  type GatewayResumeData,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  type ModalSubmitComponent,
  PermissionFlagsBits,
  type RoleFlags,
} from 'discord.js';
import { WebSocket, WebSocketServer } from 'ws';
import { DiscordLimits } from './rate-limits.ts';

// ---------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string;
  bot?: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  /** A permission bit set (`PermissionFlagsBits.X | ...`) or its decimal string. */
  permissions?: bigint | string;
  position?: number;
}

export interface FakeMember {
  user: FakeUser;
  roles?: string[];
  nick?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** Defaults to a public thread when `parent_id` names a text channel, else to a text channel. */
  type?:
    | ChannelType.GuildText
    | ChannelType.GuildAnnouncement
    | ChannelType.GuildCategory
    | ChannelType.PublicThread
    | ChannelType.PrivateThread;
  parent_id?: string;
  topic?: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  owner_id: string;
  channels: FakeChannel[];
  /** The bot is added automatically; the @everyone role (id = guild id) too when missing. */
  members?: FakeMember[];
  roles?: FakeRole[];
}

export interface FakeDiscordOptions {
  applicationId?: string;
  /** Defaults to the application id, as for every bot created since 2020. */
  botUserId?: string;
  guilds?: FakeGuild[];
  /** How long the bot has to acknowledge an interaction; Discord allows 3 s. */
  interactionDeadlineMs?: number;
  /** A fixed loopback port (a test that starts the bot before "Discord" comes up); random otherwise. */
  port?: number;
  /** Enforce Discord's rate limits (50 a second globally, per-route buckets), scaled by `scale`. */
  limits?: { scale?: number };
}

export interface RecordedRequest {
  method: string;
  /** Decoded, without the `/api/v10` prefix: `/webhooks/1/abc/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, or the parsed `payload_json` part of a multipart body. */
  body: unknown;
  files: number;
  at: number;
  /** The status the fake answered with (0 while the request is being handled). */
  status: number;
}

export interface ContractIssue {
  /** JSON pointer into the request body ('' for the whole request). */
  at: string;
  message: string;
}

export interface ContractError {
  method: string;
  path: string;
  /** The matching operation of Discord's spec, e.g. `POST /channels/{channel_id}/messages`. */
  operation: string | null;
  issues: ContractIssue[];
  at: number;
}

/** A command option value; plain values get the type the registered command declares for the option. */
export type CommandOptionValue =
  | string
  | number
  | boolean
  | { type: ApplicationCommandOptionType; value: string | number | boolean };

export interface ActorOptions {
  /** Defaults to the first human member of the guild who is not its owner. */
  userId?: string;
  /** Defaults to the first guild. */
  guildId?: string;
  /** Defaults to the guild's first text channel. */
  channelId?: string;
  /** Grant Manage Guild (0x20), as a server admin has, on top of the member's role permissions. */
  manageGuild?: boolean;
  locale?: Locale;
}

export interface SlashCommandOptions extends ActorOptions {
  subcommand: string;
  group?: string;
  options?: Record<string, CommandOptionValue>;
  /** Defaults to `mlsd`. */
  command?: string;
}

export interface ButtonOptions extends ActorOptions {
  customId: string;
  /** The message carrying the button; unknown ids get a stub message posted by the bot. */
  messageId: string;
}

export interface ModalSubmitOptions extends ActorOptions {
  customId: string;
  fields: Record<string, string>;
  /** The message whose button opened the modal, if any. */
  messageId?: string;
}

export interface UserMessageOptions {
  channelId: string;
  /** Defaults to the channel's guild; messages in DM channels have none. */
  guildId?: string;
  authorId: string;
  content: string;
  isBot?: boolean;
  messageReference?: { messageId: string; channelId?: string };
}

export interface UserReactionOptions {
  channelId: string;
  messageId: string;
  userId: string;
  /** A unicode emoji such as 👍. */
  emoji: string;
}

export interface FakeDiscord {
  /** The value for discord.js `rest.api`. */
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guilds: readonly FakeGuild[];
  readonly requests: RecordedRequest[];
  readonly contractErrors: ContractError[];
  readonly identifies: GatewayIdentifyData[];
  readonly resumes: GatewayResumeData[];
  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[];
  /** Resolves with the first request, already recorded or still to come, that matches. */
  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedRequest>;
  /** The callback, follow-ups and @original edits sent for one interaction, in order. */
  interactionResponses(interactionId: string): RecordedRequest[];
  commands(guildId?: string): APIApplicationCommand[];
  messagesIn(channelId: string): APIMessage[];
  channel(channelId: string): StoredChannel | undefined;
  threadMembers(threadId: string): string[];
  /** Sends a dispatch to every gateway session; throws when no client has identified. */
  dispatch(t: string, d: unknown): void;
  /** Resolves with the IDENTIFY payload once READY and the GUILD_CREATEs have been sent. */
  waitForReady(timeoutMs?: number): Promise<GatewayIdentifyData>;
  sendInteraction(options: SlashCommandOptions): APIChatInputApplicationCommandGuildInteraction;
  sendButton(options: ButtonOptions): APIMessageComponentButtonInteraction;
  sendModalSubmit(options: ModalSubmitOptions): APIModalSubmitInteraction;
  sendMessage(options: UserMessageOptions): GatewayMessageCreateDispatchData;
  /** A member adds a reaction: MESSAGE_REACTION_ADD, sent only to sessions with the reactions intent. */
  sendReaction(options: UserReactionOptions): number;
  /** The bot is removed from a guild (kicked, or the server deleted): GUILD_DELETE without `unavailable`. */
  removeFromGuild(guildId: string): void;
  /** The bot is added back to a guild this fake knows: GUILD_CREATE. */
  addToGuild(guildId: string): void;
  /** Drops every gateway connection with a resumable close code, to exercise RESUME. */
  disconnectClients(code?: number): void;
  /** The bytes of an attachment the bot uploaded (by attachment id), as Discord would serve them. */
  attachmentBytes(attachmentId: string): Buffer | undefined;
  /**
   * A member closes their DMs to the bot (Privacy: "Allow direct messages from server members" off): messages
   * the bot sends into a DM with them are refused with 50007, as Discord refuses them.
   */
  closeDirectMessages(userId: string): void;
  close(): Promise<void>;
}

export type StoredChannel =
  | APITextChannel
  | APINewsChannel
  | APIGuildCategoryChannel
  | APIThreadChannel
  | APIDMChannel;

/** Ids of the default guild, for tests that do not pass their own. */
export const FAKE_IDS = {
  application: '1100000000000000001',
  guild: '1100000000000000100',
  owner: '1100000000000000201',
  member: '1100000000000000202',
  general: '1100000000000000301',
  thread: '1100000000000000302',
} as const;

export function defaultGuild(): FakeGuild {
  return {
    id: FAKE_IDS.guild,
    name: 'MLSD Study Group',
    owner_id: FAKE_IDS.owner,
    channels: [
      { id: FAKE_IDS.general, name: 'general', topic: 'Daily MLSD case studies' },
      { id: FAKE_IDS.thread, name: 'daily-answers', parent_id: FAKE_IDS.general },
    ],
    members: [
      { user: { id: FAKE_IDS.owner, username: 'alice' } },
      { user: { id: FAKE_IDS.member, username: 'bob' } },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Constants and small helpers
// ---------------------------------------------------------------------------------------------------------

const DEFAULTS = {
  heartbeatInterval: 41_250, // ms, what Discord sends
  interactionDeadline: 3_000, // ms
  waitTimeout: 5_000, // ms
  backlogSize: 1_000, // dispatches kept per session for RESUME
  maxReportedIssues: 20,
} as const;

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A real-looking snowflake, so discord.js derives sensible `createdAt` values. */
function nextSnowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeIncrement).toString();
}

const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);
const MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;
const BOT_PERMISSIONS =
  MEMBER_PERMISSIONS |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.ManageMessages;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nowIso(): string {
  return new Date().toISOString();
}

function makeUser(input: FakeUser): APIUser {
  return {
    id: input.id,
    username: input.username,
    discriminator: '0',
    global_name: input.global_name ?? null,
    avatar: null,
    bot: input.bot ?? false,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Contract validation: Discord's OpenAPI description plus documented limits it does not encode
// ---------------------------------------------------------------------------------------------------------

const SPEC_URL = new URL('../fixtures/contracts/discord-openapi.json', import.meta.url);
// The whole spec is registered under this id so `#/components/schemas/...` refs resolve inside it.
const SPEC_ID = 'https://fake-discord.invalid/openapi.json';
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface SpecOperation {
  key: string;
  regex: RegExp;
  paramCount: number;
  bodySchema: unknown;
}

interface ContractValidator {
  findOperation(method: string, path: string): SpecOperation | undefined;
  validate(operation: SpecOperation, body: unknown): ContractIssue[];
}

/** `/channels/{channel_id}/messages` -> a regex that matches decoded request paths. */
function templateRegex(template: string): RegExp {
  const pattern = template
    .split('/')
    .map((segment) => (/^\{.+\}$/.test(segment) ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

function countParams(template: string): number {
  return template.split('/').filter((segment) => segment.startsWith('{')).length;
}

/** Among templates that match, the one with fewest parameters wins (`@original` over `{message_id}`). */
function mostSpecific<T extends { regex: RegExp; paramCount: number }>(
  candidates: T[],
  path: string,
): T | undefined {
  return candidates.filter((c) => c.regex.test(path)).sort((a, b) => a.paramCount - b.paramCount)[0];
}

function specOperations(spec: Json): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const content = (operation.requestBody as Json | undefined)?.content as Json | undefined;
      const json = content?.['application/json'] as Json | undefined;
      operations.push({
        key: `${method.toUpperCase()} ${template}`,
        regex: templateRegex(template),
        paramCount: countParams(template),
        bodySchema: json?.schema,
      });
    }
  }
  return operations;
}

/** Operation schemas sit outside `components`: point their local refs at the registered spec. */
function anchorRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchorRefs);
  if (!isRecord(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#')
        ? SPEC_ID + value
        : anchorRefs(value),
    ]),
  );
}

function walkSchemas(node: unknown, visit: (schema: Json) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walkSchemas(item, visit);
  } else if (isRecord(node)) {
    for (const value of Object.values(node)) walkSchemas(value, visit);
    visit(node);
  }
}

/**
 * Discord's API "accepts ints in string fields and strings in int fields" (discord/discord-api-spec#11),
 * and documents flag fields such as `default_member_permissions` as strings, which discord.js sends.
 * So integer fields also take a decimal string; `pattern` only ever applies to strings.
 */
function acceptNumericStrings(schema: Json): void {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!types.includes('integer') || 'enum' in schema || 'const' in schema) return;
  schema.type = [...types, 'string'];
  schema.pattern = '^-?[0-9]+$';
}

/** The `type` values a union member accepts, when it is a `$ref` to an object that requires `type`. */
function discriminatorValues(schemas: Record<string, Json>, member: unknown): unknown[] | undefined {
  if (!isRecord(member) || typeof member.$ref !== 'string') return undefined;
  const target = schemas[member.$ref.replace('#/components/schemas/', '')];
  const type = isRecord(target?.properties) ? target.properties.type : undefined;
  if (!isRecord(type) || !Array.isArray(target?.required) || !target.required.includes('type'))
    return undefined;
  if (Array.isArray(type.enum)) return type.enum;
  return 'const' in type ? [type.const] : undefined;
}

/**
 * Unions of components (and of callback types) are told apart by `type`. As plain oneOf/anyOf a bad
 * button fails every member and ajv reports them all; as if/then on `type` it accepts exactly the same
 * bodies but reports only the errors of the member the body claims to be.
 */
function discriminateUnion(schemas: Record<string, Json>, schema: Json): void {
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const members = schema[keyword];
    if (!Array.isArray(members)) continue;
    const values = members.map((member) => discriminatorValues(schemas, member));
    const all = values.flatMap((v) => v ?? []);
    if (values.some((v) => v === undefined) || new Set(all).size !== all.length) continue;
    delete schema[keyword];
    const known = { type: 'object', required: ['type'], properties: { type: { enum: all } } };
    const branches = members.map((member, i) => ({
      if: { properties: { type: { enum: values[i] } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword; this object is never awaited.
      then: member,
    }));
    schema.allOf = [...(Array.isArray(schema.allOf) ? schema.allOf : []), known, ...branches];
  }
}

/** Applied once, to the parsed copy of the spec; see the two functions above for why. */
function normaliseSpec(spec: Json): void {
  const schemas = (spec.components as Json).schemas as Record<string, Json>;
  walkSchemas(spec, (schema) => {
    acceptNumericStrings(schema);
    discriminateUnion(schemas, schema);
  });
}

function createAjv(spec: Json): Ajv2020 {
  // strict off: the spec is third-party and carries OpenAPI extensions (x-discord-union) and union types.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  const isInteger = (bits: bigint) => (n: number) =>
    Number.isInteger(n) && BigInt(n) >= -(2n ** (bits - 1n)) && BigInt(n) < 2n ** (bits - 1n);
  ajv.addFormat('int32', { type: 'number', validate: isInteger(32n) });
  ajv.addFormat('int64', { type: 'number', validate: isInteger(64n) });
  ajv.addFormat('double', { type: 'number', validate: Number.isFinite });
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
  ajv.addFormat('nonce', true);
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  return ajv;
}

function ajvIssue(error: ErrorObject): ContractIssue {
  const params = error.params as Json;
  const detail =
    error.keyword === 'additionalProperties'
      ? ` (${String(params.additionalProperty)})`
      : error.keyword === 'enum'
        ? ` (${JSON.stringify(params.allowedValues)})`
        : error.keyword === 'const'
          ? ` (${JSON.stringify(params.allowedValue)})`
          : '';
  return { at: error.instancePath, message: `${error.message ?? error.keyword}${detail}` };
}

/** Errors that only say "a member of this union failed"; the member's own errors say why. */
function isUnionSummary(error: ErrorObject): boolean {
  const nullBranch = error.keyword === 'type' && (error.params as Json).type === 'null';
  return ['if', 'oneOf', 'anyOf'].includes(error.keyword) || nullBranch;
}

/** The most specific errors first, union summaries dropped when anything more specific remains. */
function summarise(errors: ErrorObject[]): ContractIssue[] {
  const specific = errors.filter((e) => !isUnionSummary(e));
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  const issues = (specific.length > 0 ? specific : errors).sort((a, b) => depth(b) - depth(a)).map(ajvIssue);
  const unique = [...new Map(issues.map((i) => [`${i.at} ${i.message}`, i])).values()];
  return unique.slice(0, DEFAULTS.maxReportedIssues);
}

let sharedValidator: ContractValidator | undefined;

/** One validator per process: the spec is 1.2 MB, so operations compile lazily and stay cached. */
function contractValidator(): ContractValidator {
  if (sharedValidator) return sharedValidator;
  const spec = JSON.parse(readFileSync(SPEC_URL, 'utf8')) as Json;
  normaliseSpec(spec);
  const operations = specOperations(spec);
  const ajv = createAjv(spec);
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (operation: SpecOperation): ValidateFunction => {
    const cached = compiled.get(operation.key);
    if (cached) return cached;
    const validate = ajv.compile(anchorRefs(operation.bodySchema) as object);
    compiled.set(operation.key, validate);
    return validate;
  };
  sharedValidator = {
    findOperation(method, path) {
      return mostSpecific(
        operations.filter((op) => op.key.startsWith(`${method} `)),
        path,
      );
    },
    validate(operation, body) {
      const limits = LIMIT_CHECKS[operation.key]?.(body) ?? [];
      if (operation.bodySchema === undefined) return limits;
      const validate = validatorFor(operation);
      return validate(body) ? limits : [...summarise(validate.errors ?? []), ...limits];
    },
  };
  return sharedValidator;
}

/**
 * Checks a request body the way the fake does: Discord's spec plus documented limits. Useful to hold
 * rendered payloads to the contract in unit tests without starting the fake.
 */
export function validateDiscordRequest(method: string, path: string, body: unknown): ContractIssue[] {
  const validator = contractValidator();
  const operation = validator.findOperation(method.toUpperCase(), path);
  if (!operation) return [{ at: '', message: `${method} ${path} is not an operation of Discord's API` }];
  return validator.validate(operation, body);
}

// Documented limits (developer docs: message, embed, component, modal and application command limits).
// Lengths count UTF-16 units, which is never more lenient than Discord.
const LIMITS = {
  content: 2_000,
  embeds: 10,
  embedTotal: 6_000,
  embedTitle: 256,
  embedDescription: 4_096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footerText: 2_048,
  authorName: 256,
  actionRows: 5,
  rowComponents: 5,
  customId: 100,
  buttonLabel: 80,
  modalTitle: 45,
  inputLabel: 45,
  inputPlaceholder: 100,
  inputValue: 4_000,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  optionChoices: 25,
  choiceName: 100,
} as const;

const COMMAND_NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

type LimitCheck = (body: unknown) => ContractIssue[];

function tooLong(issues: ContractIssue[], at: string, value: unknown, max: number): number {
  const length = typeof value === 'string' ? value.length : 0;
  if (length > max) issues.push({ at, message: `Must be ${max} or fewer in length (got ${length}).` });
  return length;
}

function tooMany(issues: ContractIssue[], at: string, value: unknown, max: number): unknown[] {
  const items = Array.isArray(value) ? value : [];
  if (items.length > max)
    issues.push({ at, message: `Must be ${max} or fewer in length (got ${items.length}).` });
  return items;
}

function embedLimits(issues: ContractIssue[], at: string, embed: unknown): number {
  if (!isRecord(embed)) return 0;
  let total = tooLong(issues, `${at}/title`, embed.title, LIMITS.embedTitle);
  total += tooLong(issues, `${at}/description`, embed.description, LIMITS.embedDescription);
  total += tooLong(issues, `${at}/footer/text`, (embed.footer as Json | undefined)?.text, LIMITS.footerText);
  total += tooLong(issues, `${at}/author/name`, (embed.author as Json | undefined)?.name, LIMITS.authorName);
  tooMany(issues, `${at}/fields`, embed.fields, LIMITS.embedFields).forEach((field, i) => {
    if (!isRecord(field)) return;
    total += tooLong(issues, `${at}/fields/${i}/name`, field.name, LIMITS.fieldName);
    total += tooLong(issues, `${at}/fields/${i}/value`, field.value, LIMITS.fieldValue);
  });
  return total;
}

/** The spec leaves these optional because one schema covers every button style; Discord does not. */
function buttonRules(issues: ContractIssue[], at: string, button: Json): void {
  tooLong(issues, `${at}/label`, button.label, LIMITS.buttonLabel);
  if (button.style === ButtonStyle.Link && typeof button.url !== 'string') {
    issues.push({ at: `${at}/url`, message: 'A link button needs a url.' });
  }
  const needsCustomId = button.style !== ButtonStyle.Link && button.style !== ButtonStyle.Premium;
  if (needsCustomId && typeof button.custom_id !== 'string') {
    issues.push({ at: `${at}/custom_id`, message: 'A non-link button needs a custom_id.' });
  }
}

/** Walks every component: custom ids and button labels anywhere, five components per action row. */
function componentTreeLimits(issues: ContractIssue[], at: string, component: unknown): void {
  if (!isRecord(component)) return;
  tooLong(issues, `${at}/custom_id`, component.custom_id, LIMITS.customId);
  if (component.type === ComponentType.Button) buttonRules(issues, at, component);
  const children =
    component.type === ComponentType.ActionRow ? LIMITS.rowComponents : Number.POSITIVE_INFINITY;
  tooMany(issues, `${at}/components`, component.components, children).forEach((child, i) => {
    componentTreeLimits(issues, `${at}/components/${i}`, child);
  });
  if (isRecord(component.accessory)) componentTreeLimits(issues, `${at}/accessory`, component.accessory);
}

function messageLimits(body: unknown, at = ''): ContractIssue[] {
  const issues: ContractIssue[] = [];
  if (!isRecord(body)) return issues;
  tooLong(issues, `${at}/content`, body.content, LIMITS.content);
  const embeds = tooMany(issues, `${at}/embeds`, body.embeds, LIMITS.embeds);
  const total = embeds.reduce<number>(
    (sum, embed, i) => sum + embedLimits(issues, `${at}/embeds/${i}`, embed),
    0,
  );
  if (total > LIMITS.embedTotal) {
    issues.push({ at: `${at}/embeds`, message: `Embed size exceeds maximum size of 6000 (got ${total}).` });
  }
  // Components V2 messages may hold 40 top-level components; classic ones at most 5 action rows.
  const componentsV2 = (Number(body.flags ?? 0) & MessageFlags.IsComponentsV2) !== 0;
  const rows = componentsV2 ? Number.POSITIVE_INFINITY : LIMITS.actionRows;
  tooMany(issues, `${at}/components`, body.components, rows).forEach((component, i) => {
    componentTreeLimits(issues, `${at}/components/${i}`, component);
  });
  return issues;
}

function modalInputLimits(issues: ContractIssue[], at: string, component: unknown): void {
  if (!isRecord(component)) return;
  tooLong(issues, `${at}/custom_id`, component.custom_id, LIMITS.customId);
  if (component.type === ComponentType.Label)
    tooLong(issues, `${at}/label`, component.label, LIMITS.inputLabel);
  if (component.type === ComponentType.TextInput) {
    tooLong(issues, `${at}/label`, component.label, LIMITS.inputLabel);
    tooLong(issues, `${at}/placeholder`, component.placeholder, LIMITS.inputPlaceholder);
    tooLong(issues, `${at}/value`, component.value, LIMITS.inputValue);
  }
  if (isRecord(component.component)) modalInputLimits(issues, `${at}/component`, component.component);
  if (Array.isArray(component.components)) {
    component.components.forEach((child, i) => {
      modalInputLimits(issues, `${at}/components/${i}`, child);
    });
  }
}

function modalLimits(data: unknown, at: string): ContractIssue[] {
  const issues: ContractIssue[] = [];
  if (!isRecord(data)) return issues;
  tooLong(issues, `${at}/title`, data.title, LIMITS.modalTitle);
  tooLong(issues, `${at}/custom_id`, data.custom_id, LIMITS.customId);
  tooMany(issues, `${at}/components`, data.components, LIMITS.actionRows).forEach((row, i) => {
    modalInputLimits(issues, `${at}/components/${i}`, row);
  });
  return issues;
}

function callbackLimits(body: unknown): ContractIssue[] {
  if (!isRecord(body)) return [];
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource:
    case InteractionResponseType.UpdateMessage:
      return messageLimits(body.data, '/data');
    case InteractionResponseType.Modal:
      return modalLimits(body.data, '/data');
    default:
      return [];
  }
}

function nameAndDescription(issues: ContractIssue[], at: string, item: Json): void {
  const name = typeof item.name === 'string' ? item.name : '';
  if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
    issues.push({ at: `${at}/name`, message: `"${name}" must be 1-32 lowercase letters, digits, - or _.` });
  }
  const description = typeof item.description === 'string' ? item.description : '';
  if (description.length < 1 || description.length > LIMITS.commandDescription) {
    issues.push({
      at: `${at}/description`,
      message: `Description must be 1-100 characters (got ${description.length}).`,
    });
  }
}

function optionLimits(issues: ContractIssue[], at: string, option: unknown): void {
  if (!isRecord(option)) return;
  nameAndDescription(issues, at, option);
  tooMany(issues, `${at}/choices`, option.choices, LIMITS.optionChoices).forEach((choice, i) => {
    if (isRecord(choice)) tooLong(issues, `${at}/choices/${i}/name`, choice.name, LIMITS.choiceName);
  });
  tooMany(issues, `${at}/options`, option.options, LIMITS.commandOptions).forEach((child, i) => {
    optionLimits(issues, `${at}/options/${i}`, child);
  });
}

function commandLimits(body: unknown, at = ''): ContractIssue[] {
  const issues: ContractIssue[] = [];
  // Only slash commands have the lowercase-name and description rules; context-menu names are free text.
  if (!isRecord(body) || (body.type !== undefined && body.type !== ApplicationCommandType.ChatInput))
    return issues;
  nameAndDescription(issues, at, body);
  tooMany(issues, `${at}/options`, body.options, LIMITS.commandOptions).forEach((option, i) => {
    optionLimits(issues, `${at}/options/${i}`, option);
  });
  return issues;
}

function commandListLimits(body: unknown): ContractIssue[] {
  if (!Array.isArray(body)) return [];
  const issues = body.flatMap((command, i) => commandLimits(command, `/${i}`));
  const names = body.map((command) => `${(command as Json).type ?? 1}:${(command as Json).name}`);
  if (new Set(names).size !== names.length) {
    issues.push({ at: '', message: 'Application command names must be unique per type.' });
  }
  return issues;
}

const LIMIT_CHECKS: Record<string, LimitCheck> = {
  'POST /channels/{channel_id}/messages': messageLimits,
  'PATCH /channels/{channel_id}/messages/{message_id}': messageLimits,
  'POST /webhooks/{webhook_id}/{webhook_token}': messageLimits,
  'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original': messageLimits,
  'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}': messageLimits,
  'POST /interactions/{interaction_id}/{interaction_token}/callback': callbackLimits,
  'PUT /applications/{application_id}/commands': commandListLimits,
  'POST /applications/{application_id}/commands': commandLimits,
  'PATCH /applications/{application_id}/commands/{command_id}': commandLimits,
  'PUT /applications/{application_id}/guilds/{guild_id}/commands': commandListLimits,
  'POST /applications/{application_id}/guilds/{guild_id}/commands': commandLimits,
  'PATCH /applications/{application_id}/guilds/{guild_id}/commands/{command_id}': commandLimits,
};

/** Discord's 50035 body: issues nested by path, each leaf holding `_errors`. */
function invalidFormBody(issues: ContractIssue[]): Json {
  const errors: Json = {};
  for (const issue of issues) {
    let node = errors;
    for (const key of issue.at.split('/').filter(Boolean)) {
      node[key] ??= {};
      node = node[key] as Json;
    }
    node._errors ??= [];
    (node._errors as Json[]).push({ code: 'CONTRACT_VIOLATION', message: issue.message });
  }
  return { code: 50035, message: 'Invalid Form Body', errors };
}

// ---------------------------------------------------------------------------------------------------------
// State: guilds, channels, messages, commands and interactions
// ---------------------------------------------------------------------------------------------------------

interface MemberState {
  user: APIUser;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  members: Map<string, MemberState>;
}

interface InteractionState {
  id: string;
  token: string;
  type: InteractionType;
  dispatchedAt: number;
  channelId: string;
  user: APIUser;
  acknowledged: InteractionResponseType | null;
  originalId: string | null;
  sourceMessageId: string | null;
  messageIds: Set<string>;
}

interface State {
  /** The rate limits enforced, when asked for. */
  limits: DiscordLimits | undefined;
  /** Nonces sent with enforce_nonce, by channel: the message each created. */
  nonces: Map<string, { messageId: string; at: number }>;
  applicationId: string;
  bot: APIUser;
  baseUrl: string;
  deadlineMs: number;
  guilds: Map<string, GuildState>;
  channels: Map<string, StoredChannel>;
  users: Map<string, APIUser>;
  messages: Map<string, APIMessage>;
  globalCommands: APIApplicationCommand[];
  guildCommands: Map<string, APIApplicationCommand[]>;
  interactions: Map<string, InteractionState>;
  threadMembers: Map<string, Set<string>>;
  /** The components of each modal the bot showed, by custom id, so a submit can mirror its layout. */
  modals: Map<string, unknown[]>;
  /** What each uploaded attachment held, by attachment id. */
  attachmentData: Map<string, Buffer>;
  /** Users who do not take DMs from the bot. */
  closedDms: Set<string>;
  gateway: Gateway;
}

function makeRole(input: FakeRole, fallbackPosition: number): APIRole {
  return {
    id: input.id,
    name: input.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position: input.position ?? fallbackPosition,
    permissions: String(input.permissions ?? 0n),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

function buildGuildState(input: FakeGuild, bot: APIUser, users: Map<string, APIUser>): GuildState {
  const roles = (input.roles ?? []).map((role, i) => makeRole(role, i + 1));
  if (!roles.some((role) => role.id === input.id)) {
    roles.unshift(
      makeRole({ id: input.id, name: '@everyone', permissions: MEMBER_PERMISSIONS, position: 0 }, 0),
    );
  }
  // Like a bot invited with a permissions integer: a managed role of its own.
  const botRole = {
    ...makeRole({ id: nextSnowflake(), name: bot.username, permissions: BOT_PERMISSIONS }, 1),
  };
  roles.push({ ...botRole, managed: true, tags: { bot_id: bot.id } });
  const members = new Map<string, MemberState>();
  const joinedAt = nowIso();
  for (const member of input.members ?? []) {
    const user = makeUser(member.user);
    users.set(user.id, user);
    members.set(user.id, { user, roles: member.roles ?? [], nick: member.nick ?? null, joinedAt });
  }
  members.set(bot.id, { user: bot, roles: [botRole.id], nick: null, joinedAt });
  return { id: input.id, name: input.name, ownerId: input.owner_id, roles, members };
}

function isThread(channel: StoredChannel): channel is APIThreadChannel {
  return (
    channel.type === ChannelType.PublicThread ||
    channel.type === ChannelType.PrivateThread ||
    channel.type === ChannelType.AnnouncementThread
  );
}

function makeThread(fields: {
  id: string;
  guildId: string;
  name: string;
  parentId: string;
  ownerId: string;
  type: ChannelType.PublicThread | ChannelType.PrivateThread | ChannelType.AnnouncementThread;
  autoArchiveDuration?: number;
  invitable?: boolean;
}): APIThreadChannel {
  const created = nowIso();
  return {
    id: fields.id,
    type: fields.type,
    guild_id: fields.guildId,
    name: fields.name,
    parent_id: fields.parentId,
    owner_id: fields.ownerId,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 0,
    total_message_sent: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: (fields.autoArchiveDuration ?? 1440) as 60 | 1440 | 4320 | 10080,
      archive_timestamp: created,
      locked: false,
      create_timestamp: created,
      ...(fields.type === ChannelType.PrivateThread ? { invitable: fields.invitable ?? true } : {}),
    },
  };
}

function buildChannel(input: FakeChannel, guild: FakeGuild, position: number): StoredChannel {
  const parent = guild.channels.find((c) => c.id === input.parent_id);
  const parentIsCategory = parent?.type === ChannelType.GuildCategory;
  const type = input.type ?? (parent && !parentIsCategory ? ChannelType.PublicThread : ChannelType.GuildText);
  if (type === ChannelType.PublicThread || type === ChannelType.PrivateThread) {
    const parentId = input.parent_id ?? guild.channels[0]?.id ?? guild.id;
    return makeThread({
      id: input.id,
      guildId: guild.id,
      name: input.name,
      parentId,
      ownerId: guild.owner_id,
      type,
    });
  }
  if (type === ChannelType.GuildCategory) {
    return { id: input.id, type, guild_id: guild.id, name: input.name, position, permission_overwrites: [] };
  }
  return {
    id: input.id,
    type,
    guild_id: guild.id,
    name: input.name,
    position,
    permission_overwrites: [],
    parent_id: input.parent_id ?? null,
    nsfw: false,
    topic: input.topic ?? null,
    rate_limit_per_user: 0,
    last_message_id: null,
  };
}

/** Message and resolved payloads carry the member without its user, which sits beside it. */
function memberWithoutUser(member: MemberState): Omit<APIGuildMember, 'user'> {
  const { user: _user, ...rest } = guildMember(member);
  return rest;
}

function guildMember(member: MemberState): APIGuildMember {
  return {
    user: member.user,
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: member.roles,
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    communication_disabled_until: null,
    flags: 0 as GuildMemberFlags,
  };
}

/** Owner and Administrator have everything; everyone else has the union of their roles. */
function memberPermissions(guild: GuildState, member: MemberState | undefined, manageGuild = false): string {
  if (member?.user.id === guild.ownerId) return ALL_PERMISSIONS.toString();
  const roleIds = new Set([guild.id, ...(member?.roles ?? [])]);
  let bits = guild.roles.filter((r) => roleIds.has(r.id)).reduce((all, r) => all | BigInt(r.permissions), 0n);
  if (manageGuild) bits |= PermissionFlagsBits.ManageGuild;
  return ((bits & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : bits).toString();
}

function guildOfChannel(state: State, channelId: string): GuildState | undefined {
  const channel = state.channels.get(channelId);
  return channel && 'guild_id' in channel && channel.guild_id
    ? state.guilds.get(channel.guild_id)
    : undefined;
}

function userById(state: State, userId: string, isBot = false): APIUser {
  const known = state.users.get(userId);
  if (known) return known;
  const user = makeUser({ id: userId, username: `user-${userId.slice(-4)}`, bot: isBot });
  state.users.set(userId, user);
  return user;
}

function mentionedUsers(state: State, content: string): APIUser[] {
  const ids = [...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1] ?? '');
  return [...new Set(ids)].map((id) => userById(state, id));
}

interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  tts?: boolean;
  message_reference?: { message_id: string; channel_id?: string };
  attachments?: Array<{ id: string | number; filename?: string; description?: string }>;
  nonce?: string | number;
  enforce_nonce?: boolean;
}

/** How long Discord remembers a nonce sent with `enforce_nonce` (it documents "the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

interface UploadedFile {
  name: string;
  size: number;
  type: string;
  data: Buffer;
}

function makeAttachments(
  state: State,
  channelId: string,
  body: MessageBody,
  files: UploadedFile[],
): APIAttachment[] {
  return files.map((file, i) => {
    const id = nextSnowflake();
    // A loopback URL: nothing in a test should ever try to fetch from Discord's CDN.
    const url = `${state.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
    const description = body.attachments?.[i]?.description;
    state.attachmentData.set(id, file.data);
    return {
      id,
      filename: file.name,
      size: file.size,
      url,
      proxy_url: url,
      content_type: file.type || 'application/octet-stream',
      ...(description ? { description } : {}),
    };
  });
}

interface NewMessage {
  /** Only for stubs standing in for messages posted before the test started. */
  id?: string;
  channelId: string;
  author: APIUser;
  body: MessageBody;
  files?: UploadedFile[];
  type?: MessageType;
  extra?: Partial<APIMessage>;
}

function createMessage(state: State, input: NewMessage): APIMessage {
  const { body } = input;
  const reference = body.message_reference;
  const referenced = reference ? state.messages.get(reference.message_id) : undefined;
  const message: APIMessage = {
    id: input.id ?? nextSnowflake(),
    channel_id: input.channelId,
    author: input.author,
    content: body.content ?? '',
    timestamp: nowIso(),
    edited_timestamp: null,
    tts: body.tts ?? false,
    mention_everyone: false,
    mentions: mentionedUsers(state, body.content ?? ''),
    mention_roles: [],
    attachments: makeAttachments(state, input.channelId, body, input.files ?? []),
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    pinned: false,
    type: input.type ?? (reference ? MessageType.Reply : MessageType.Default),
    flags: body.flags ?? 0,
    ...(reference
      ? {
          message_reference: { type: 0, message_id: reference.message_id, channel_id: input.channelId },
          referenced_message: referenced ?? null,
        }
      : {}),
    ...input.extra,
  };
  state.messages.set(message.id, message);
  noteNewMessage(state, message);
  return message;
}

function noteNewMessage(state: State, message: APIMessage): void {
  const channel = state.channels.get(message.channel_id);
  if (!channel || !('last_message_id' in channel)) return;
  channel.last_message_id = message.id;
  if (isThread(channel)) {
    channel.message_count = (channel.message_count ?? 0) + 1;
    channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
  }
}

function editMessage(message: APIMessage, body: MessageBody): APIMessage {
  if (body.content !== undefined) message.content = body.content;
  if (body.embeds !== undefined) message.embeds = body.embeds;
  if (body.components !== undefined) message.components = body.components;
  if (body.flags !== undefined) message.flags = body.flags;
  // An edit turns a deferred "thinking..." message into a real one.
  message.flags = (message.flags ?? 0) & ~MessageFlags.Loading;
  message.edited_timestamp = nowIso();
  return message;
}

function isEphemeral(message: APIMessage): boolean {
  return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

function storeCommand(
  state: State,
  body: Json,
  guildId?: string,
  existing?: APIApplicationCommand,
): APIApplicationCommand {
  return {
    ...(body as Partial<APIApplicationCommand>),
    id: existing?.id ?? nextSnowflake(),
    application_id: state.applicationId,
    version: nextSnowflake(),
    type: (body.type as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput,
    name: String(body.name),
    description: String(body.description ?? ''),
    default_member_permissions: (body.default_member_permissions as string | null | undefined) ?? null,
    nsfw: Boolean(body.nsfw ?? false),
    ...(guildId ? { guild_id: guildId } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Gateway: sessions outlive sockets so a dropped client can RESUME and get what it missed
// ---------------------------------------------------------------------------------------------------------

interface DispatchPayload {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  identify: GatewayIdentifyData;
  seq: number;
  socket: WebSocket | null;
  backlog: DispatchPayload[];
}

/** Per-session view of a dispatch: undefined skips the session (say, for lack of an intent). */
type SessionView = (session: Session) => unknown;

interface Gateway {
  sessions: Map<string, Session>;
  sockets: Set<WebSocket>;
  readyWaiters: Array<(identify: GatewayIdentifyData) => void>;
  identifies: GatewayIdentifyData[];
  resumes: GatewayResumeData[];
}

function hasIntent(session: Session, intent: GatewayIntentBits): boolean {
  return (session.identify.intents & intent) !== 0;
}

function sendToSession(session: Session, t: string, d: unknown): void {
  session.seq += 1;
  const payload: DispatchPayload = { op: GatewayOpcodes.Dispatch, t, s: session.seq, d };
  session.backlog.push(payload);
  if (session.backlog.length > DEFAULTS.backlogSize) session.backlog.shift();
  if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
}

function broadcast(gateway: Gateway, t: string, view: SessionView): number {
  let delivered = 0;
  for (const session of gateway.sessions.values()) {
    const d = view(session);
    if (d === undefined) continue;
    sendToSession(session, t, d);
    delivered += 1;
  }
  return delivered;
}

function readyPayload(state: State, session: Session): GatewayReadyDispatchData {
  const resumeUrl = state.baseUrl.replace(/^http/, 'ws');
  return {
    v: 10,
    user: { ...state.bot, verified: true, mfa_enabled: false },
    guilds: [...state.guilds.keys()].map((id) => ({ id, unavailable: true })),
    session_id: session.id,
    resume_gateway_url: `${resumeUrl}/gateway`,
    shard: session.identify.shard ?? [0, 1],
    application: { id: state.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
  };
}

function guildCreatePayload(
  state: State,
  guild: GuildState,
  session: Session,
): GatewayGuildCreateDispatchData {
  const channels = [...state.channels.values()].filter((c) => 'guild_id' in c && c.guild_id === guild.id);
  // Without the privileged GuildMembers intent Discord lists only the bot itself.
  const members = [...guild.members.values()].filter(
    (m) => hasIntent(session, GatewayIntentBits.GuildMembers) || m.user.id === state.bot.id,
  );
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: guild.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    joined_at: guild.members.get(state.bot.id)?.joinedAt ?? nowIso(),
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: members.map(guildMember),
    channels: channels.filter(
      (c): c is APITextChannel | APINewsChannel | APIGuildCategoryChannel => !isThread(c),
    ),
    threads: channels.filter(isThread),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

function sendOp(socket: WebSocket, op: GatewayOpcodes, d: unknown): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ op, d, s: null, t: null }));
}

function handleIdentify(state: State, socket: WebSocket, identify: GatewayIdentifyData): void {
  const { gateway } = state;
  gateway.identifies.push(identify);
  if (!identify.token) {
    socket.close(4004, 'Authentication failed.');
    return;
  }
  const session: Session = { id: randomBytes(16).toString('hex'), identify, seq: 0, socket, backlog: [] };
  gateway.sessions.set(session.id, session);
  sendToSession(session, GatewayDispatchEvents.Ready, readyPayload(state, session));
  // GUILD_CREATE belongs to the Guilds intent; discord.js stops waiting for guilds without it.
  if (hasIntent(session, GatewayIntentBits.Guilds)) {
    for (const guild of state.guilds.values()) {
      sendToSession(session, GatewayDispatchEvents.GuildCreate, guildCreatePayload(state, guild, session));
    }
  }
  for (const resolve of gateway.readyWaiters.splice(0)) resolve(identify);
}

function handleResume(state: State, socket: WebSocket, resume: GatewayResumeData): void {
  const { gateway } = state;
  gateway.resumes.push(resume);
  const session = gateway.sessions.get(resume.session_id);
  if (!session) {
    sendOp(socket, GatewayOpcodes.InvalidSession, false);
    return;
  }
  if (session.socket && session.socket !== socket) session.socket.terminate();
  session.socket = socket;
  for (const payload of session.backlog.filter((p) => p.s > resume.seq)) socket.send(JSON.stringify(payload));
  sendToSession(session, GatewayDispatchEvents.Resumed, {});
}

function onGatewayMessage(state: State, socket: WebSocket, raw: string): void {
  let packet: { op?: number; d?: unknown };
  try {
    packet = JSON.parse(raw) as { op?: number; d?: unknown };
  } catch {
    socket.close(4002, 'Error while decoding payload.');
    return;
  }
  switch (packet.op) {
    case GatewayOpcodes.Heartbeat:
      sendOp(socket, GatewayOpcodes.HeartbeatAck, null);
      return;
    case GatewayOpcodes.Identify:
      handleIdentify(state, socket, packet.d as GatewayIdentifyData);
      return;
    case GatewayOpcodes.Resume:
      handleResume(state, socket, packet.d as GatewayResumeData);
      return;
    case GatewayOpcodes.PresenceUpdate:
    case GatewayOpcodes.VoiceStateUpdate:
    case GatewayOpcodes.RequestGuildMembers:
      return;
    default:
      socket.close(4001, 'Unknown opcode.');
  }
}

function onGatewayConnection(state: State, socket: WebSocket, request: IncomingMessage): void {
  const { gateway } = state;
  const params = new URL(request.url ?? '/', 'ws://fake').searchParams;
  gateway.sockets.add(socket);
  // Only JSON is spoken here; discord.js asks for zlib-stream only when zlib-sync is installed.
  if (params.get('v') !== '10' || params.has('compress')) {
    socket.close(4012, 'Invalid API version or unsupported compression.');
    return;
  }
  socket.on('message', (data) => onGatewayMessage(state, socket, data.toString()));
  socket.on('close', (code) => {
    gateway.sockets.delete(socket);
    for (const session of gateway.sessions.values()) {
      if (session.socket !== socket) continue;
      session.socket = null;
      // Like Discord: a normal close (1000/1001) ends the session, anything else keeps it resumable.
      if (code === 1000 || code === 1001) gateway.sessions.delete(session.id);
    }
  });
  sendOp(socket, GatewayOpcodes.Hello, { heartbeat_interval: DEFAULTS.heartbeatInterval });
}

// ---------------------------------------------------------------------------------------------------------
// REST routes
// ---------------------------------------------------------------------------------------------------------

interface RestRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

interface RestReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Set for answers that mean the bot broke Discord's rules (not for ordinary lookups that miss). */
  violation?: string;
}

interface Route {
  method: string;
  regex: RegExp;
  paramCount: number;
  paramNames: string[];
  handle(state: State, request: RestRequest): RestReply;
}

/** Lookups answer either what they found or the error reply to send instead. */
function isReply(value: unknown): value is RestReply {
  return isRecord(value) && typeof value.status === 'number';
}

const ok = (body?: unknown): RestReply => (body === undefined ? { status: 204 } : { status: 200, body });
const apiError = (status: number, code: number, message: string, violation?: string): RestReply => ({
  status,
  body: { code, message },
  ...(violation ? { violation } : {}),
});
const unknownChannel = () => apiError(404, 10003, 'Unknown Channel');
const unknownMessage = () => apiError(404, 10008, 'Unknown Message');

function gatewayBot(state: State): RestReply {
  return ok({
    url: `${state.baseUrl.replace(/^http/, 'ws')}/gateway`,
    shards: 1,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
  });
}

function currentApplication(state: State): RestReply {
  const firstGuild = [...state.guilds.values()][0];
  return ok({
    id: state.applicationId,
    name: state.bot.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot: state.bot,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: 'f'.repeat(64),
    flags: 0,
    owner: userById(state, firstGuild?.ownerId ?? FAKE_IDS.owner),
    team: null,
  });
}

function commandList(state: State, guildId?: string): APIApplicationCommand[] {
  if (!guildId) return state.globalCommands;
  const list = state.guildCommands.get(guildId) ?? [];
  state.guildCommands.set(guildId, list);
  return list;
}

function wrongApplication(state: State, request: RestRequest): RestReply | undefined {
  if (request.params.application_id === state.applicationId) return undefined;
  return apiError(
    403,
    50001,
    'Missing Access',
    `application id ${request.params.application_id} is not the bot's`,
  );
}

function putCommands(state: State, request: RestRequest): RestReply {
  const guildId = request.params.guild_id;
  const list = commandList(state, guildId);
  const previous = new Map(list.map((c) => [`${c.type}:${c.name}`, c]));
  const next = (request.body as Json[]).map((body) =>
    storeCommand(state, body, guildId, previous.get(`${body.type ?? 1}:${body.name}`)),
  );
  list.splice(0, list.length, ...next);
  return ok(next);
}

function postCommand(state: State, request: RestRequest): RestReply {
  const body = request.body as Json;
  const list = commandList(state, request.params.guild_id);
  const index = list.findIndex((c) => c.name === body.name && c.type === (body.type ?? 1));
  // Creating a command whose name exists overwrites it, as Discord does.
  const command = storeCommand(state, body, request.params.guild_id, list[index]);
  if (index >= 0) list[index] = command;
  else list.push(command);
  return { status: index >= 0 ? 200 : 201, body: command };
}

function commandById(state: State, request: RestRequest): RestReply {
  const list = commandList(state, request.params.guild_id);
  const index = list.findIndex((c) => c.id === request.params.command_id);
  const command = list[index];
  if (!command) return apiError(404, 10063, 'Unknown application command');
  if (request.method === 'GET') return ok(command);
  if (request.method === 'DELETE') {
    list.splice(index, 1);
    return ok();
  }
  const updated = storeCommand(
    state,
    { ...command, ...(request.body as Json) },
    request.params.guild_id,
    command,
  );
  list[index] = updated;
  return ok(updated);
}

function publishMessage(
  state: State,
  message: APIMessage,
  event = GatewayDispatchEvents.MessageCreate,
): void {
  if (isEphemeral(message)) return;
  const guild = guildOfChannel(state, message.channel_id);
  const member = guild?.members.get(message.author.id);
  const d = {
    ...message,
    ...(guild ? { guild_id: guild.id } : {}),
    ...(member ? { member: memberWithoutUser(member) } : {}),
  };
  broadcast(state.gateway, event, (session) => {
    const intent = guild ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
    return hasIntent(session, intent) ? d : undefined;
  });
}

function postChannelMessage(state: State, request: RestRequest): RestReply {
  const channelId = request.params.channel_id ?? '';
  const channel = state.channels.get(channelId);
  if (!channel) return unknownChannel();
  if (channel.type === ChannelType.DM && state.closedDms.has(channel.recipients?.[0]?.id ?? '')) {
    return apiError(403, 50007, 'Cannot send messages to this user');
  }
  const body = request.body as MessageBody;
  if (body.message_reference && !state.messages.has(body.message_reference.message_id)) {
    return apiError(400, 50035, 'Invalid Form Body');
  }
  // With enforce_nonce, a nonce this channel saw recently returns the message it created, not a new one.
  const nonceKey = body.enforce_nonce && body.nonce !== undefined ? `${channelId}:${body.nonce}` : undefined;
  const earlier = nonceKey ? state.nonces.get(nonceKey) : undefined;
  if (earlier && Date.now() - earlier.at < NONCE_WINDOW_MS) {
    const existing = state.messages.get(earlier.messageId);
    if (existing) return ok(existing);
  }
  const message = createMessage(state, { channelId, author: state.bot, body, files: request.files });
  if (nonceKey) state.nonces.set(nonceKey, { messageId: message.id, at: Date.now() });
  publishMessage(state, message);
  return ok(message);
}

function listChannelMessages(state: State, request: RestRequest): RestReply {
  if (!state.channels.has(request.params.channel_id ?? '')) return unknownChannel();
  const limit = Number(request.query.get('limit') ?? 50);
  return ok(
    messagesIn(state, request.params.channel_id ?? '')
      .reverse()
      .slice(0, limit),
  );
}

function channelMessage(state: State, request: RestRequest): RestReply {
  const message = state.messages.get(request.params.message_id ?? '');
  if (!message || message.channel_id !== request.params.channel_id) return unknownMessage();
  if (request.method === 'GET') return ok(message);
  if (request.method === 'DELETE') {
    state.messages.delete(message.id);
    const guild = guildOfChannel(state, message.channel_id);
    broadcast(state.gateway, GatewayDispatchEvents.MessageDelete, () => ({
      id: message.id,
      channel_id: message.channel_id,
      ...(guild ? { guild_id: guild.id } : {}),
    }));
    return ok();
  }
  if (message.author.id !== state.bot.id) {
    return apiError(
      403,
      50005,
      'Cannot edit a message authored by another user',
      'edited another user’s message',
    );
  }
  const edited = editMessage(message, request.body as MessageBody);
  publishMessage(state, edited, GatewayDispatchEvents.MessageUpdate);
  return ok(edited);
}

function announceThread(state: State, thread: APIThreadChannel): void {
  state.channels.set(thread.id, thread);
  state.threadMembers.set(thread.id, new Set([state.bot.id]));
  broadcast(state.gateway, GatewayDispatchEvents.ThreadCreate, (session) =>
    hasIntent(session, GatewayIntentBits.Guilds) ? { ...thread, newly_created: true } : undefined,
  );
}

function threadFromMessage(state: State, request: RestRequest): RestReply {
  const parent = state.channels.get(request.params.channel_id ?? '');
  if (!parent || !('guild_id' in parent) || !parent.guild_id || isThread(parent)) return unknownChannel();
  const message = state.messages.get(request.params.message_id ?? '');
  if (!message || message.channel_id !== parent.id) return unknownMessage();
  if (state.channels.has(message.id))
    return apiError(400, 160004, 'A thread has already been created for this message');
  const body = request.body as Json;
  const type =
    parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
  // Discord gives the thread the id of the message it starts from.
  const thread = makeThread({
    id: message.id,
    guildId: parent.guild_id,
    name: String(body.name),
    parentId: parent.id,
    ownerId: state.bot.id,
    type,
    autoArchiveDuration: body.auto_archive_duration as number | undefined,
  });
  message.thread = thread;
  message.flags = (message.flags ?? 0) | MessageFlags.HasThread;
  announceThread(state, thread);
  return { status: 201, body: thread };
}

function threadWithoutMessage(state: State, request: RestRequest): RestReply {
  const parent = state.channels.get(request.params.channel_id ?? '');
  if (!parent || !('guild_id' in parent) || !parent.guild_id || isThread(parent)) return unknownChannel();
  const body = request.body as Json;
  // Without a starter message Discord still defaults to a private thread.
  const type = (body.type as ChannelType | undefined) ?? ChannelType.PrivateThread;
  if (type !== ChannelType.PrivateThread && type !== ChannelType.PublicThread) {
    return apiError(400, 50035, 'Invalid Form Body', `thread type ${type} cannot be created here`);
  }
  const thread = makeThread({
    id: nextSnowflake(),
    guildId: parent.guild_id,
    name: String(body.name),
    parentId: parent.id,
    ownerId: state.bot.id,
    type,
    autoArchiveDuration: body.auto_archive_duration as number | undefined,
    invitable: body.invitable as boolean | undefined,
  });
  announceThread(state, thread);
  return { status: 201, body: thread };
}

function addThreadMember(state: State, request: RestRequest): RestReply {
  const thread = state.channels.get(request.params.channel_id ?? '');
  if (!thread || !isThread(thread)) return unknownChannel();
  const userId = request.params.user_id === '@me' ? state.bot.id : (request.params.user_id ?? '');
  const guild = state.guilds.get(thread.guild_id ?? '');
  if (!guild?.members.has(userId)) return apiError(404, 10007, 'Unknown Member');
  const members = state.threadMembers.get(thread.id) ?? new Set<string>();
  members.add(userId);
  state.threadMembers.set(thread.id, members);
  thread.member_count = members.size;
  return ok();
}

function createDm(state: State, request: RestRequest): RestReply {
  const recipientId = String((request.body as Json).recipient_id);
  const existing = [...state.channels.values()].find(
    (c) => c.type === ChannelType.DM && c.recipients?.[0]?.id === recipientId,
  );
  if (existing) return ok(existing);
  const channel: APIDMChannel = {
    id: nextSnowflake(),
    type: ChannelType.DM,
    name: null,
    last_message_id: null,
    recipients: [userById(state, recipientId)],
  };
  state.channels.set(channel.id, channel);
  return ok(channel);
}

function getGuildMember(state: State, request: RestRequest): RestReply {
  const guild = state.guilds.get(request.params.guild_id ?? '');
  if (!guild) return apiError(404, 10004, 'Unknown Guild');
  const member = guild.members.get(request.params.user_id ?? '');
  return member ? ok(guildMember(member)) : apiError(404, 10007, 'Unknown Member');
}

// --- interactions ---------------------------------------------------------------------------------------

function interactionByToken(state: State, token: string | undefined): InteractionState | undefined {
  return [...state.interactions.values()].find((i) => i.token === token);
}

function interactionMessageExtra(state: State, interaction: InteractionState): Partial<APIMessage> {
  return {
    webhook_id: state.applicationId,
    application_id: state.applicationId,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user: interaction.user,
      authorizing_integration_owners: {},
    } as APIMessage['interaction_metadata'],
  };
}

function respondMessage(
  state: State,
  interaction: InteractionState,
  data: MessageBody,
  loading = false,
  files: UploadedFile[] = [],
): APIMessage {
  const flags = (data.flags ?? 0) | (loading ? MessageFlags.Loading : 0);
  const message = createMessage(state, {
    channelId: interaction.channelId,
    author: state.bot,
    body: { ...data, flags },
    files,
    type:
      interaction.type === InteractionType.ApplicationCommand
        ? MessageType.ChatInputCommand
        : MessageType.Default,
    extra: interactionMessageExtra(state, interaction),
  });
  interaction.messageIds.add(message.id);
  publishMessage(state, message);
  return message;
}

function applyCallback(
  state: State,
  interaction: InteractionState,
  body: Json,
  files: UploadedFile[] = [],
): APIMessage | undefined | RestReply {
  const data = (body.data ?? {}) as MessageBody;
  const source = interaction.sourceMessageId ? state.messages.get(interaction.sourceMessageId) : undefined;
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource:
      return respondMessage(state, interaction, data, false, files);
    case InteractionResponseType.DeferredChannelMessageWithSource:
      return respondMessage(state, interaction, data, true);
    case InteractionResponseType.DeferredMessageUpdate:
    case InteractionResponseType.UpdateMessage: {
      if (!source)
        return apiError(400, 50035, 'Invalid Form Body', 'message update for an interaction without message');
      if (body.type === InteractionResponseType.UpdateMessage) {
        publishMessage(state, editMessage(source, data), GatewayDispatchEvents.MessageUpdate);
      }
      return source;
    }
    case InteractionResponseType.Modal: {
      if (interaction.type === InteractionType.ModalSubmit) {
        return apiError(400, 50035, 'Invalid Form Body', 'a modal cannot answer a modal submit');
      }
      const modal = body.data as Json;
      state.modals.set(String(modal.custom_id), modal.components as unknown[]);
      return undefined;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult:
      return undefined;
    default:
      return apiError(
        400,
        50035,
        'Invalid Form Body',
        `unsupported interaction callback type ${String(body.type)}`,
      );
  }
}

function interactionCallback(state: State, request: RestRequest): RestReply {
  const interaction = state.interactions.get(request.params.interaction_id ?? '');
  if (!interaction || interaction.token !== request.params.interaction_token) {
    return apiError(
      404,
      10062,
      'Unknown interaction',
      'callback for an interaction the fake never dispatched',
    );
  }
  if (interaction.acknowledged !== null) {
    return apiError(
      400,
      40060,
      'Interaction has already been acknowledged.',
      'interaction acknowledged twice',
    );
  }
  const elapsed = Date.now() - interaction.dispatchedAt;
  if (elapsed > state.deadlineMs) {
    return apiError(
      404,
      10062,
      'Unknown interaction',
      `acknowledged after ${elapsed} ms (Discord allows 3 s)`,
    );
  }
  const body = request.body as Json;
  const outcome = applyCallback(state, interaction, body, request.files);
  if (isReply(outcome)) return outcome;
  interaction.acknowledged = body.type as InteractionResponseType;
  interaction.originalId = outcome?.id ?? null;
  if (request.query.get('with_response') !== 'true') return ok();
  return ok({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      ...(outcome
        ? {
            response_message_id: outcome.id,
            response_message_loading: ((outcome.flags ?? 0) & MessageFlags.Loading) !== 0,
            response_message_ephemeral: isEphemeral(outcome),
          }
        : {}),
    },
    resource: { type: body.type, ...(outcome ? { message: outcome } : {}) },
  });
}

function webhookInteraction(state: State, request: RestRequest): InteractionState | RestReply {
  if (request.params.webhook_id !== state.applicationId) return apiError(404, 10015, 'Unknown Webhook');
  const interaction = interactionByToken(state, request.params.webhook_token);
  if (!interaction)
    return apiError(404, 10015, 'Unknown Webhook', 'webhook call with an unknown interaction token');
  if (interaction.acknowledged === null) {
    return apiError(
      404,
      10015,
      'Unknown Webhook',
      'follow-up or edit before the interaction was acknowledged',
    );
  }
  return interaction;
}

function followUp(state: State, request: RestRequest): RestReply {
  const interaction = webhookInteraction(state, request);
  if (isReply(interaction)) return interaction;
  const message = createMessage(state, {
    channelId: interaction.channelId,
    author: state.bot,
    body: request.body as MessageBody,
    files: request.files,
    extra: interactionMessageExtra(state, interaction),
  });
  interaction.messageIds.add(message.id);
  publishMessage(state, message);
  return request.query.get('wait') === 'true' ? ok(message) : ok();
}

function webhookMessage(state: State, request: RestRequest): RestReply {
  const interaction = webhookInteraction(state, request);
  if (isReply(interaction)) return interaction;
  const id =
    request.params.message_id === '@original' ? interaction.originalId : (request.params.message_id ?? null);
  const message = id ? state.messages.get(id) : undefined;
  const ownsMessage = id !== null && (interaction.messageIds.has(id) || id === interaction.originalId);
  if (!message || !ownsMessage) return unknownMessage();
  if (request.method === 'GET') return ok(message);
  if (request.method === 'DELETE') {
    state.messages.delete(message.id);
    return ok();
  }
  const edited = editMessage(message, request.body as MessageBody);
  publishMessage(state, edited, GatewayDispatchEvents.MessageUpdate);
  return ok(edited);
}

function route(method: string, template: string, handle: Route['handle']): Route {
  return {
    method,
    regex: templateRegex(template),
    paramCount: countParams(template),
    paramNames: [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? ''),
    handle,
  };
}

function guarded(handle: Route['handle']): Route['handle'] {
  return (state, request) => wrongApplication(state, request) ?? handle(state, request);
}

const ROUTES: Route[] = [
  route('GET', '/gateway', (state) => ok({ url: `${state.baseUrl.replace(/^http/, 'ws')}/gateway` })),
  route('GET', '/gateway/bot', gatewayBot),
  route('GET', '/users/@me', (state) => ok(state.bot)),
  route('GET', '/users/{user_id}', (s, r) => {
    const user = s.users.get(r.params.user_id ?? '');
    return user ? ok(user) : apiError(404, 10013, 'Unknown User');
  }),
  route('GET', '/applications/@me', currentApplication),
  route(
    'GET',
    '/applications/{application_id}/commands',
    guarded((s) => ok(commandList(s))),
  ),
  route('PUT', '/applications/{application_id}/commands', guarded(putCommands)),
  route('POST', '/applications/{application_id}/commands', guarded(postCommand)),
  ...['GET', 'PATCH', 'DELETE'].map((m) =>
    route(m, '/applications/{application_id}/commands/{command_id}', guarded(commandById)),
  ),
  route(
    'GET',
    '/applications/{application_id}/guilds/{guild_id}/commands',
    guarded((s, r) => ok(commandList(s, r.params.guild_id))),
  ),
  route('PUT', '/applications/{application_id}/guilds/{guild_id}/commands', guarded(putCommands)),
  route('POST', '/applications/{application_id}/guilds/{guild_id}/commands', guarded(postCommand)),
  ...['GET', 'PATCH', 'DELETE'].map((m) =>
    route(m, '/applications/{application_id}/guilds/{guild_id}/commands/{command_id}', guarded(commandById)),
  ),
  route('POST', '/interactions/{interaction_id}/{interaction_token}/callback', interactionCallback),
  route('POST', '/webhooks/{webhook_id}/{webhook_token}', followUp),
  ...['GET', 'PATCH', 'DELETE'].map((m) =>
    route(m, '/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}', webhookMessage),
  ),
  route('GET', '/channels/{channel_id}', (s, r) => {
    const channel = s.channels.get(r.params.channel_id ?? '');
    return channel ? ok(channel) : unknownChannel();
  }),
  route('GET', '/channels/{channel_id}/messages', listChannelMessages),
  route('POST', '/channels/{channel_id}/messages', postChannelMessage),
  ...['GET', 'PATCH', 'DELETE'].map((m) =>
    route(m, '/channels/{channel_id}/messages/{message_id}', channelMessage),
  ),
  route('PUT', '/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me', (s, r) =>
    s.messages.has(r.params.message_id ?? '') ? ok() : unknownMessage(),
  ),
  route('POST', '/channels/{channel_id}/typing', (s, r) =>
    s.channels.has(r.params.channel_id ?? '') ? ok() : unknownChannel(),
  ),
  route('POST', '/channels/{channel_id}/messages/{message_id}/threads', threadFromMessage),
  route('POST', '/channels/{channel_id}/threads', threadWithoutMessage),
  route('PUT', '/channels/{channel_id}/thread-members/{user_id}', addThreadMember),
  route('POST', '/users/@me/channels', createDm),
  route('GET', '/guilds/{guild_id}/members/{user_id}', getGuildMember),
];

// Interactions and webhooks authenticate with their token in the path, not with the bot token.
const UNAUTHENTICATED = /^\/(interactions|webhooks)\/|^\/gateway$/;

function messagesIn(state: State, channelId: string): APIMessage[] {
  return [...state.messages.values()].filter((m) => m.channel_id === channelId);
}

// ---------------------------------------------------------------------------------------------------------
// HTTP plumbing: parse, record, validate, route, answer
// ---------------------------------------------------------------------------------------------------------

interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** discord.js sends attachments as multipart: `payload_json` plus `files[n]` parts. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const files: UploadedFile[] = [];
  let body: unknown;
  for (const [name, value] of form.entries()) {
    if (name === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
    else if (typeof value !== 'string')
      files.push({
        name: value.name,
        size: value.size,
        type: value.type,
        data: Buffer.from(await value.arrayBuffer()),
      });
  }
  return { body, files };
}

async function parseBody(request: IncomingMessage): Promise<ParsedBody> {
  const raw = await readBody(request);
  const contentType = request.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) return parseMultipart(raw, contentType);
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}

function reply(response: ServerResponse, result: RestReply): void {
  if (result.body === undefined) {
    response.writeHead(result.status, result.headers ?? {}).end();
    return;
  }
  response
    .writeHead(result.status, { 'content-type': 'application/json', ...result.headers })
    .end(JSON.stringify(result.body));
}

interface Recorder {
  requests: RecordedRequest[];
  contractErrors: ContractError[];
  listeners: Set<(request: RecordedRequest) => void>;
}

function recordViolation(
  recorder: Recorder,
  request: RecordedRequest,
  operation: string | null,
  issues: ContractIssue[],
) {
  recorder.contractErrors.push({
    method: request.method,
    path: request.path,
    operation,
    issues,
    at: Date.now(),
  });
}

function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  const found = mostSpecific(
    ROUTES.filter((r) => r.method === method),
    path,
  );
  if (!found) return undefined;
  const values = found.regex.exec(path)?.slice(1) ?? [];
  return {
    route: found,
    params: Object.fromEntries(found.paramNames.map((name, i) => [name, values[i] ?? ''])),
  };
}

function resolveRequest(
  state: State,
  recorder: Recorder,
  record: RecordedRequest,
  request: RestRequest,
  auth?: string,
) {
  const validator = contractValidator();
  const operation = validator.findOperation(record.method, record.path);
  const operationKey = operation?.key ?? null;
  if (!UNAUTHENTICATED.test(record.path) && !auth?.startsWith('Bot ')) {
    recordViolation(recorder, record, operationKey, [
      { at: '', message: 'missing "Authorization: Bot <token>"' },
    ]);
    return apiError(401, 0, '401: Unauthorized');
  }
  if (operation && request.body !== undefined) {
    const issues = validator.validate(operation, request.body);
    if (issues.length > 0) {
      recordViolation(recorder, record, operationKey, issues);
      return { status: 400, body: invalidFormBody(issues) };
    }
  }
  const matched = matchRoute(record.method, record.path);
  if (!matched) {
    const why = operation ? 'a Discord route the fake does not implement' : 'not a route of Discord’s API';
    recordViolation(recorder, record, operationKey, [
      { at: '', message: `${record.method} ${record.path}: ${why}` },
    ]);
    return apiError(404, 0, '404: Not Found');
  }
  const result = matched.route.handle(state, { ...request, params: matched.params });
  if (result.violation)
    recordViolation(recorder, record, operationKey, [{ at: '', message: result.violation }]);
  return result;
}

/** Never throws: a body that cannot be parsed is the bot's fault (400), a crash in a route the fake's (500). */
function answer(
  state: State,
  recorder: Recorder,
  record: RecordedRequest,
  parsed: ParsedBody | Error,
  incoming: IncomingMessage,
): RestReply {
  if (parsed instanceof Error) {
    recordViolation(recorder, record, null, [{ at: '', message: `unreadable body: ${parsed.message}` }]);
    return apiError(400, 50109, 'The request body contains invalid JSON.');
  }
  if (!incoming.url?.startsWith('/api/v10/')) {
    recordViolation(recorder, record, null, [{ at: '', message: 'request outside /api/v10' }]);
    return apiError(404, 0, '404: Not Found');
  }
  const query = new URLSearchParams(record.query);
  const request = { method: record.method, path: record.path, params: {}, query, ...parsed };
  try {
    return resolveRequest(state, recorder, record, request, incoming.headers.authorization);
  } catch (error) {
    recordViolation(recorder, record, null, [{ at: '', message: `fake-discord bug: ${String(error)}` }]);
    return apiError(500, 0, '500: Internal Server Error');
  }
}

async function handleHttp(
  state: State,
  recorder: Recorder,
  incoming: IncomingMessage,
  response: ServerResponse,
) {
  const url = new URL(incoming.url ?? '/', state.baseUrl);
  const parsed = await parseBody(incoming).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
  const record: RecordedRequest = {
    method: incoming.method ?? 'GET',
    path: decodeURIComponent(url.pathname).replace(/^\/api\/v10(?=\/)/, ''),
    query: Object.fromEntries(url.searchParams),
    body: parsed instanceof Error ? undefined : parsed.body,
    files: parsed instanceof Error ? 0 : parsed.files.length,
    at: Date.now(),
    status: 0,
  };
  recorder.requests.push(record);
  const verdict = state.limits?.check(record.method, record.path);
  const result: RestReply = verdict?.refused
    ? { status: 429, body: verdict.refused, headers: verdict.headers }
    : {
        ...answer(state, recorder, record, parsed, incoming),
        ...(verdict ? { headers: verdict.headers } : {}),
      };
  record.status = result.status;
  reply(response, result);
  for (const listener of recorder.listeners) listener(record);
}

// ---------------------------------------------------------------------------------------------------------
// Payload builders for what users do: slash commands, buttons, modals, messages
// ---------------------------------------------------------------------------------------------------------

interface Actor {
  guild: GuildState;
  member: MemberState;
  channel: StoredChannel;
  permissions: string;
  locale: Locale;
}

function resolveActor(state: State, options: ActorOptions): Actor {
  const guild = state.guilds.get(options.guildId ?? [...state.guilds.keys()][0] ?? '');
  if (!guild) throw new Error(`fake-discord: unknown guild ${options.guildId ?? '(none configured)'}`);
  const humans = [...guild.members.values()].filter((m) => !m.user.bot);
  const member = options.userId
    ? guild.members.get(options.userId)
    : (humans.find((m) => m.user.id !== guild.ownerId) ?? humans[0]);
  if (!member) throw new Error(`fake-discord: no member ${options.userId ?? ''} in guild ${guild.id}`);
  const channel = options.channelId
    ? state.channels.get(options.channelId)
    : [...state.channels.values()].find((c) => c.type === ChannelType.GuildText && c.guild_id === guild.id);
  if (!channel) throw new Error(`fake-discord: unknown channel ${options.channelId ?? '(no text channel)'}`);
  return {
    guild,
    member,
    channel,
    permissions: memberPermissions(guild, member, options.manageGuild),
    locale: options.locale ?? Locale.EnglishUS,
  };
}

function interactionMember(actor: Actor): APIInteractionGuildMember {
  return { ...guildMember(actor.member), user: actor.member.user, permissions: actor.permissions };
}

/** Fields every guild interaction carries; registers it so the callback can be checked. */
function interactionEnvelope(state: State, actor: Actor, type: InteractionType, sourceMessageId?: string) {
  const id = nextSnowflake();
  const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(24).toString('base64url')}`;
  state.interactions.set(id, {
    id,
    token,
    type,
    dispatchedAt: Date.now(),
    channelId: actor.channel.id,
    user: actor.member.user,
    acknowledged: null,
    originalId: null,
    sourceMessageId: sourceMessageId ?? null,
    messageIds: new Set(),
  });
  return {
    id,
    token,
    application_id: state.applicationId,
    version: 1 as const,
    guild_id: actor.guild.id,
    guild: { id: actor.guild.id, locale: Locale.EnglishUS, features: [] },
    channel: actor.channel,
    channel_id: actor.channel.id,
    member: interactionMember(actor),
    app_permissions: memberPermissions(actor.guild, actor.guild.members.get(state.bot.id)),
    locale: actor.locale,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { '0': actor.guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024, // bytes, a guild without boosts
  };
}

function registeredOptions(
  state: State,
  guildId: string,
  options: SlashCommandOptions,
): APIApplicationCommandOption[] {
  let level = findCommand(state, guildId, options.command ?? 'mlsd')?.options ?? [];
  for (const step of [options.group, options.subcommand]) {
    if (step === undefined) continue;
    const next = level.find((o) => o.name === step);
    level = next && 'options' in next ? ((next.options ?? []) as APIApplicationCommandOption[]) : [];
  }
  return level;
}

function inferOptionType(value: CommandOptionValue, declared?: ApplicationCommandOptionType) {
  if (typeof value === 'object') return value.type;
  if (declared !== undefined) return declared;
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? ApplicationCommandOptionType.Integer
      : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

/** Users, members, channels and roles named by options travel in `data.resolved`, as on Discord. */
function addResolved(
  state: State,
  actor: Actor,
  resolved: APIInteractionDataResolved,
  type: number,
  id: string,
) {
  const member = actor.guild.members.get(id);
  const role = actor.guild.roles.find((r) => r.id === id);
  const channel = state.channels.get(id);
  if (
    type === ApplicationCommandOptionType.User ||
    (type === ApplicationCommandOptionType.Mentionable && !role)
  ) {
    resolved.users = { ...resolved.users, [id]: userById(state, id) };
    if (member) {
      const permissions = memberPermissions(actor.guild, member);
      resolved.members = { ...resolved.members, [id]: { ...memberWithoutUser(member), permissions } };
    }
  } else if (
    type === ApplicationCommandOptionType.Role ||
    type === ApplicationCommandOptionType.Mentionable
  ) {
    if (role) resolved.roles = { ...resolved.roles, [id]: role };
  } else if (type === ApplicationCommandOptionType.Channel && channel) {
    const entry = { ...channel, permissions: actor.permissions } as never;
    resolved.channels = { ...resolved.channels, [id]: entry };
  }
}

function commandOptions(state: State, actor: Actor, options: SlashCommandOptions) {
  const declared = registeredOptions(state, actor.guild.id, options);
  const resolved: APIInteractionDataResolved = {};
  const leaves = Object.entries(options.options ?? {}).map(([name, input]) => {
    const type = inferOptionType(input, declared.find((o) => o.name === name)?.type);
    const value = typeof input === 'object' ? input.value : input;
    addResolved(state, actor, resolved, type, String(value));
    return { name, type, value } as APIApplicationCommandInteractionDataBasicOption;
  });
  const subcommand = {
    type: ApplicationCommandOptionType.Subcommand as const,
    name: options.subcommand,
    options: leaves,
  };
  const top: APIApplicationCommandInteractionDataOption[] = options.group
    ? [{ type: ApplicationCommandOptionType.SubcommandGroup, name: options.group, options: [subcommand] }]
    : [subcommand];
  return { options: top, resolved: Object.keys(resolved).length > 0 ? resolved : undefined };
}

function stubBotMessage(state: State, messageId: string, channelId: string, customId: string): APIMessage {
  const button = {
    type: ComponentType.Button as const,
    style: ButtonStyle.Primary as const,
    custom_id: customId,
    label: 'Open',
  };
  return createMessage(state, {
    id: messageId,
    channelId,
    author: state.bot,
    body: { content: '', components: [{ type: ComponentType.ActionRow, components: [button] }] },
  });
}

function textInputRows(fields: Record<string, string>): APIModalSubmissionComponent[] {
  return Object.entries(fields).map(([customId, value]) => ({
    type: ComponentType.ActionRow as const,
    components: [{ type: ComponentType.TextInput as const, custom_id: customId, value }],
  }));
}

/** One submitted input: text inputs carry `value`, the select-like inputs `values`. */
function submittedInput(input: Json, fields: Record<string, string>): ModalSubmitComponent {
  const customId = String(input.custom_id);
  const answer = fields[customId];
  const base = { custom_id: customId, ...(typeof input.id === 'number' ? { id: input.id } : {}) };
  if (input.type === ComponentType.TextInput)
    return { ...base, type: ComponentType.TextInput, value: answer ?? '' };
  return { ...base, type: ComponentType.StringSelect, values: answer === undefined ? [] : [answer] };
}

/** A submit mirrors the shown modal, as on Discord: action rows stay rows, labels stay labels. */
function modalSubmission(
  shown: unknown[] | undefined,
  fields: Record<string, string>,
): APIModalSubmissionComponent[] {
  if (!shown) return textInputRows(fields);
  const known = new Set<string>();
  const mirrored = shown.filter(isRecord).map((component): APIModalSubmissionComponent => {
    const id = typeof component.id === 'number' ? { id: component.id } : {};
    if (component.type === ComponentType.Label && isRecord(component.component)) {
      known.add(String(component.component.custom_id));
      return { ...id, type: ComponentType.Label, component: submittedInput(component.component, fields) };
    }
    if (component.type === ComponentType.ActionRow && Array.isArray(component.components)) {
      const inputs = component.components.filter(isRecord);
      for (const input of inputs) known.add(String(input.custom_id));
      const texts = inputs.map((input) => submittedInput(input, fields) as APIModalSubmitTextInputComponent);
      return { ...id, type: ComponentType.ActionRow, components: texts };
    }
    return { ...id, type: ComponentType.TextDisplay };
  });
  const unknown = Object.keys(fields).filter((customId) => !known.has(customId));
  if (unknown.length > 0) throw new Error(`fake-discord: the modal shown has no input ${unknown.join(', ')}`);
  return mirrored;
}

function buildUserMessage(state: State, options: UserMessageOptions): GatewayMessageCreateDispatchData {
  const channel = state.channels.get(options.channelId);
  const guildId = options.guildId ?? (channel && 'guild_id' in channel ? channel.guild_id : undefined);
  const guild = guildId ? state.guilds.get(guildId) : undefined;
  const member = guild?.members.get(options.authorId);
  const author = member?.user ?? userById(state, options.authorId, options.isBot);
  const reference = options.messageReference;
  const message = createMessage(state, {
    channelId: options.channelId,
    author,
    body: {
      content: options.content,
      ...(reference
        ? {
            message_reference: {
              message_id: reference.messageId,
              channel_id: reference.channelId ?? options.channelId,
            },
          }
        : {}),
    },
  });
  if (!member || !guildId) return message;
  return { ...message, guild_id: guildId, member: memberWithoutUser(member) };
}

/** Without the MessageContent intent Discord blanks what a user wrote, unless the bot is mentioned. */
function messageForSession(state: State, message: GatewayMessageCreateDispatchData): SessionView {
  return (session) => {
    const intent = message.guild_id ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
    if (!hasIntent(session, intent)) return undefined;
    const exempt =
      !message.guild_id ||
      message.author.id === state.bot.id ||
      message.mentions.some((user) => user.id === state.bot.id) ||
      hasIntent(session, GatewayIntentBits.MessageContent);
    return exempt ? message : { ...message, content: '', embeds: [], attachments: [], components: [] };
  };
}

function findCommand(state: State, guildId: string, name: string): APIApplicationCommand | undefined {
  return [...commandList(state, guildId), ...state.globalCommands].find((c) => c.name === name);
}

function buildSlashCommand(
  state: State,
  options: SlashCommandOptions,
): APIChatInputApplicationCommandGuildInteraction {
  const actor = resolveActor(state, options);
  const name = options.command ?? 'mlsd';
  const command = findCommand(state, actor.guild.id, name);
  const { options: dataOptions, resolved } = commandOptions(state, actor, options);
  return {
    ...interactionEnvelope(state, actor, InteractionType.ApplicationCommand),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command?.id ?? nextSnowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      options: dataOptions,
      ...(resolved ? { resolved } : {}),
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    },
  };
}

/** A click happens where its message is, unless the test says otherwise. */
function actorNearMessage(state: State, options: ActorOptions & { messageId?: string }): Actor {
  const messageChannel = options.messageId ? state.messages.get(options.messageId)?.channel_id : undefined;
  return resolveActor(state, { ...options, channelId: options.channelId ?? messageChannel });
}

function buildButton(state: State, options: ButtonOptions): APIMessageComponentButtonInteraction {
  const actor = actorNearMessage(state, options);
  const message =
    state.messages.get(options.messageId) ??
    stubBotMessage(state, options.messageId, actor.channel.id, options.customId);
  const envelope = interactionEnvelope(state, actor, InteractionType.MessageComponent, message.id);
  return {
    ...envelope,
    type: InteractionType.MessageComponent,
    data: { custom_id: options.customId, component_type: ComponentType.Button },
    message,
  };
}

function buildModalSubmit(state: State, options: ModalSubmitOptions): APIModalSubmitInteraction {
  const actor = actorNearMessage(state, options);
  const message = options.messageId ? state.messages.get(options.messageId) : undefined;
  return {
    ...interactionEnvelope(state, actor, InteractionType.ModalSubmit, message?.id),
    type: InteractionType.ModalSubmit,
    data: {
      custom_id: options.customId,
      components: modalSubmission(state.modals.get(options.customId), options.fields),
    },
    ...(message ? { message } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Composition
// ---------------------------------------------------------------------------------------------------------

/** Registers a one-shot waiter; `describe` runs at timeout, to say what had happened by then. */
function waitFor<T>(
  register: (resolve: (value: T) => void) => () => void,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      unregister();
      reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${describe()}`));
    }, timeoutMs);
    const unregister = register((value) => {
      clearTimeout(timer);
      unregister();
      resolve(value);
    });
  });
}

function initialState(options: FakeDiscordOptions, guilds: FakeGuild[], baseUrl: string): State {
  const applicationId = options.applicationId ?? FAKE_IDS.application;
  const bot = makeUser({ id: options.botUserId ?? applicationId, username: 'mlsd-bot', bot: true });
  const state: State = {
    limits: options.limits ? new DiscordLimits(options.limits.scale ?? 1) : undefined,
    nonces: new Map(),
    applicationId,
    bot,
    baseUrl,
    deadlineMs: options.interactionDeadlineMs ?? DEFAULTS.interactionDeadline,
    guilds: new Map(),
    channels: new Map(),
    users: new Map([[bot.id, bot]]),
    messages: new Map(),
    globalCommands: [],
    guildCommands: new Map(),
    interactions: new Map(),
    threadMembers: new Map(),
    modals: new Map(),
    attachmentData: new Map(),
    closedDms: new Set(),
    gateway: { sessions: new Map(), sockets: new Set(), readyWaiters: [], identifies: [], resumes: [] },
  };
  for (const guild of guilds) {
    state.guilds.set(guild.id, buildGuildState(guild, bot, state.users));
    guild.channels.forEach((channel, i) => {
      state.channels.set(channel.id, buildChannel(channel, guild, i));
    });
  }
  return state;
}

function waitForRequest(
  recorder: Recorder,
  predicate: (request: RecordedRequest) => boolean,
  timeoutMs: number,
): Promise<RecordedRequest> {
  const done = recorder.requests.find((r) => r.status !== 0 && predicate(r));
  if (done) return Promise.resolve(done);
  const register = (resolve: (request: RecordedRequest) => void) => {
    const listener = (r: RecordedRequest) => predicate(r) && resolve(r);
    recorder.listeners.add(listener);
    return () => recorder.listeners.delete(listener);
  };
  const seen = () =>
    recorder.requests.map((r) => `${r.method} ${r.path} -> ${r.status}`).join(', ') || 'none';
  return waitFor(register, timeoutMs, () => `a matching request (seen: ${seen()})`);
}

function waitForReady(gateway: Gateway, timeoutMs: number): Promise<GatewayIdentifyData> {
  const session = [...gateway.sessions.values()][0];
  if (session) return Promise.resolve(session.identify);
  const register = (resolve: (identify: GatewayIdentifyData) => void) => {
    gateway.readyWaiters.push(resolve);
    return () => {
      gateway.readyWaiters = gateway.readyWaiters.filter((waiter) => waiter !== resolve);
    };
  };
  return waitFor(register, timeoutMs, () => 'a client to IDENTIFY');
}

function interactionResponses(state: State, recorder: Recorder, interactionId: string): RecordedRequest[] {
  const interaction = state.interactions.get(interactionId);
  if (!interaction) return [];
  const callback = `/interactions/${interaction.id}/${interaction.token}/callback`;
  const webhook = `/webhooks/${state.applicationId}/${interaction.token}`;
  return recorder.requests.filter((r) => r.path === callback || r.path.startsWith(webhook));
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return (server.address() as AddressInfo).port;
}

/** Starts the fake on a random loopback port; point discord.js `rest.api` at `apiUrl`. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const recorder: Recorder = { requests: [], contractErrors: [], listeners: new Set() };
  const server = createServer();
  const baseUrl = `http://127.0.0.1:${await listen(server, options.port)}`;
  const guilds = options.guilds ?? [defaultGuild()];
  const state = initialState(options, guilds, baseUrl);
  const { gateway } = state;
  const wss = new WebSocketServer({ noServer: true });
  server.on('request', (incoming, response) => void handleHttp(state, recorder, incoming, response));
  server.on('upgrade', (request, socket, head) => {
    if (!request.url?.startsWith('/gateway')) return socket.destroy();
    wss.handleUpgrade(request, socket, head, (ws) => onGatewayConnection(state, ws, request));
  });

  // A dispatch nobody receives would make a test wait for nothing: fail loudly instead.
  const dispatch = (t: string, d: unknown) => {
    if (gateway.sessions.size === 0)
      throw new Error(`fake-discord: cannot dispatch ${t}, no client identified`);
    broadcast(gateway, t, () => d);
  };
  const dispatchInteraction = <T>(payload: T): T => {
    dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return payload;
  };

  return {
    apiUrl: `${baseUrl}/api`,
    gatewayUrl: `${baseUrl.replace(/^http/, 'ws')}/gateway`,
    applicationId: state.applicationId,
    botUser: state.bot,
    guilds,
    requests: recorder.requests,
    contractErrors: recorder.contractErrors,
    identifies: gateway.identifies,
    resumes: gateway.resumes,
    requestsTo: (method, pathPattern) =>
      recorder.requests.filter((r) => r.method === method.toUpperCase() && pathPattern.test(r.path)),
    waitForRequest: (predicate, timeoutMs = DEFAULTS.waitTimeout) =>
      waitForRequest(recorder, predicate, timeoutMs),
    interactionResponses: (interactionId) => interactionResponses(state, recorder, interactionId),
    commands: (guildId) => [...commandList(state, guildId)],
    messagesIn: (channelId) => messagesIn(state, channelId),
    channel: (channelId) => state.channels.get(channelId),
    threadMembers: (threadId) => [...(state.threadMembers.get(threadId) ?? [])],
    dispatch,
    waitForReady: (timeoutMs = DEFAULTS.waitTimeout) => waitForReady(gateway, timeoutMs),
    sendInteraction: (slash) => dispatchInteraction(buildSlashCommand(state, slash)),
    sendButton: (button) => dispatchInteraction(buildButton(state, button)),
    sendModalSubmit: (modal) => dispatchInteraction(buildModalSubmit(state, modal)),
    sendMessage(message) {
      if (gateway.sessions.size === 0)
        throw new Error('fake-discord: cannot send a message, no client identified');
      const payload = buildUserMessage(state, message);
      broadcast(gateway, GatewayDispatchEvents.MessageCreate, messageForSession(state, payload));
      return payload;
    },
    removeFromGuild(guildId) {
      broadcast(gateway, GatewayDispatchEvents.GuildDelete, () => ({ id: guildId }));
    },
    addToGuild(guildId) {
      const guild = state.guilds.get(guildId);
      if (!guild) throw new Error(`fake-discord: no guild ${guildId}`);
      broadcast(gateway, GatewayDispatchEvents.GuildCreate, (session) =>
        guildCreatePayload(state, guild, session),
      );
    },
    sendReaction(reaction) {
      const message = state.messages.get(reaction.messageId);
      if (!message || message.channel_id !== reaction.channelId)
        throw new Error(`fake-discord: no message ${reaction.messageId} in channel ${reaction.channelId}`);
      const channel = state.channels.get(reaction.channelId);
      const guildId = channel && 'guild_id' in channel ? channel.guild_id : undefined;
      const member = guildId ? state.guilds.get(guildId)?.members.get(reaction.userId) : undefined;
      const payload = {
        user_id: reaction.userId,
        channel_id: reaction.channelId,
        message_id: reaction.messageId,
        message_author_id: message.author.id,
        emoji: { id: null, name: reaction.emoji },
        burst: false,
        type: 0,
        ...(guildId ? { guild_id: guildId } : {}),
        ...(member ? { member: guildMember(member) } : {}),
      };
      const intent = guildId
        ? GatewayIntentBits.GuildMessageReactions
        : GatewayIntentBits.DirectMessageReactions;
      return broadcast(gateway, GatewayDispatchEvents.MessageReactionAdd, (session) =>
        hasIntent(session, intent) ? payload : undefined,
      );
    },
    attachmentBytes: (attachmentId) => state.attachmentData.get(attachmentId),
    closeDirectMessages(userId) {
      state.closedDms.add(userId);
    },
    disconnectClients(code = 4000) {
      for (const socket of gateway.sockets) socket.close(code, 'fake-discord: connection dropped');
    },
    async close() {
      for (const socket of gateway.sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
