export type Platform = 'slack' | 'discord' | 'console';

/** Who did something, as far as the platform told us. */
export type Actor = {
  platform: Platform;
  workspaceId: string;
  userId: string;
  displayName: string;
  /** The platform's own admin signal (Slack admin/owner, Discord Manage Server); MLSD_ADMINS adds more. */
  isPlatformAdmin: boolean;
  timeZone?: string | undefined;
};

/** Where something happened: a channel, and the thread inside it when there is one. */
export type Place = {
  platform: Platform;
  workspaceId: string;
  channelId: string;
  channelName?: string | undefined;
  /** Slack: the parent message ts; Discord: the thread channel id. */
  threadId?: string | undefined;
};

export type Button = {
  /** `<command>:<handler>[:<arg>...]`, routed back to the command that made it. */
  id?: string;
  label: string;
  style?: 'primary' | 'danger' | 'secondary';
  url?: string;
};

/** A platform-neutral message; each adapter renders it natively (Block Kit, embeds, plain text). */
export type OutMessage = {
  /** Plain text: the notification fallback, and all a console shows besides sections. */
  text: string;
  title?: string;
  /** Markdown-ish body under the title (bold with *x*, links as <url|label>). */
  body?: string;
  sections?: Array<{ heading?: string; body: string }>;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  buttons?: Button[];
  footer?: string;
  image?: { png: Uint8Array; name: string; alt: string };
  /**
   * A file for the person it is addressed to (a data export): a Slack upload into their DM with the app, a
   * Discord attachment, a file saved under the playground's data dir.
   */
  file?: OutFile;
};

export type OutFile = { name: string; content: Uint8Array; mime: string };

export type FormChoice = { value: string; label: string };

export type FormField = {
  id: string;
  /** At most 45 characters (Discord's limit for a field label). */
  label: string;
  /** A line under the label saying what is asked (at most 100 characters). */
  hint?: string;
  /** One answer from a fixed set: a select on Slack and in Discord modals, a numbered list in the console. */
  choices?: FormChoice[];
  placeholder?: string;
  multiline?: boolean;
  minLength?: number;
  maxLength?: number;
  required?: boolean;
  /** What the field holds when the form opens (a form reopened after a problem keeps what was typed). */
  value?: string;
};

/** A modal form: Slack view or Discord modal. */
export type FormSpec = {
  /** `<command>:<handler>[:<arg>...]` */
  id: string;
  title: string;
  submitLabel?: string;
  fields: FormField[];
};

/** Replies are seen only by the person who asked unless `public` is set (then by the whole channel). */
export type ReplyOptions = { public?: boolean };

/** Answers the person who invoked something, in the right place and visibility for the platform. */
export interface Replier {
  reply(message: OutMessage | string, options?: ReplyOptions): Promise<void>;
  /** Opens a form; only possible in answer to a command or a button press. */
  openForm(form: FormSpec): Promise<void>;
  /**
   * A submitted form has values that cannot be taken: shows each field's problem (inside the still-open form
   * where the platform allows it), keeping everything the person typed.
   */
  rejectForm(problems: Record<string, string>, values: Record<string, string>): Promise<void>;
}

/** A form kept between steps: a Discord form longer than one modal, or one reopened to fix a problem. */
export type FormDraft = {
  id: number;
  platform: Platform;
  workspaceId: string;
  userId: string;
  form: FormSpec;
  values: Record<string, string>;
};

/** Where platforms keep form drafts (Postgres), so any process can take the next step. */
export interface FormDrafts {
  /** Starts or replaces the draft of one person's form; returns its id. */
  save(draft: Omit<FormDraft, 'id'>): Promise<number>;
  find(id: number): Promise<FormDraft | undefined>;
  findByForm(key: {
    platform: Platform;
    workspaceId: string;
    userId: string;
    formId: string;
  }): Promise<FormDraft | undefined>;
  update(id: number, values: Record<string, string>): Promise<void>;
  remove(id: number): Promise<void>;
}

/** What was posted; `permalink` links to it (for a message with a file: to the file; in the playground, its path). */
export type PostedMessage = { messageId: string; threadId?: string; permalink?: string };

/**
 * A message that must arrive once even when its sender dies mid-way: `key` names it on the platform
 * (Slack message metadata, a Discord nonce); `recheck` says an earlier sender may have sent it already, so
 * the platform is asked first and the earlier message is returned instead of a second one.
 */
export type Once = { key: string; recheck: boolean };

/** What jobs and services use to talk to people outside an invocation; each platform implements it. */
export interface Notifier {
  readonly platform: Platform;
  /** Posts to a channel (or inside a thread when `place.threadId` is set). */
  post(place: Place, message: OutMessage, once?: Once): Promise<PostedMessage>;
  /** Posts a message and opens a thread on it, returning both ids. */
  postWithThread(place: Place, message: OutMessage, threadName: string, once?: Once): Promise<PostedMessage>;
  /** Tells one person something only they can see (ephemeral where possible, otherwise a DM). */
  tellPrivately(place: Place, userId: string, message: OutMessage): Promise<void>;
  /** A link to a message, when the platform can make one. */
  linkTo(place: Place, messageId: string): Promise<string | undefined>;
  /**
   * Opens a private conversation for a few members (Slack: a group DM; Discord: a private thread of
   * `place`'s channel with them added) and returns where to post in it.
   */
  openGroup(place: Place, userIds: string[], name: string): Promise<Place>;
  /** A direct message to one person, kept in their DMs (unlike an ephemeral note). */
  sendDirect(workspaceId: string, userId: string, message: OutMessage, once?: Once): Promise<PostedMessage>;
}

/**
 * What a person did: a slash command, a button, a form, a reply in a thread (`message`), a reaction on a
 * message, or opening the platform's home surface.
 */
export type InvocationKind = 'command' | 'button' | 'form' | 'message' | 'reaction' | 'home';

/** One thing a person did, the same shape whichever platform it came from. */
export type Invocation = {
  /** Unique per platform delivery; a duplicate delivery carries the same id. */
  id: string;
  kind: InvocationKind;
  platform: Platform;
  place: Place;
  actor: Actor;
  /** command: the path of names ('daily schedule'); button/form: the custom id; others: the kind. */
  name: string;
  /**
   * command: free text (Slack, console) or typed options (Discord); form: field values; message: { text,
   * messageId }; reaction: { emoji, messageId }; home: {}.
   */
  args: string | Record<string, unknown>;
  receivedAt: Date;
};

/** Which Slack installation: a workspace's, or an Enterprise Grid organisation's (org-wide install). */
export type InstallationKey = {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
};

/**
 * Where Slack installations are kept (Postgres, sealed): Bolt's installation store reads and writes through
 * it. Installations are opaque here; only the Slack platform knows their shape.
 */
export interface InstallationVault {
  save(key: InstallationKey, installation: object): Promise<void>;
  /** The installation serving `key`: the workspace's own, else its organisation's. */
  find(key: InstallationKey): Promise<Record<string, unknown> | undefined>;
  remove(key: InstallationKey): Promise<void>;
}
