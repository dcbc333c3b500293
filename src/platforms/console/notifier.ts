import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Button, Notifier, OutFile, OutMessage, Place, PostedMessage } from '../../core/types.ts';
import { toConsoleText } from './render.ts';

export type Printer = (text: string) => void;

/** The playground's "platform": everything the bot says is printed to the transcript. */
export class ConsoleNotifier implements Notifier {
  readonly platform = 'console' as const;
  private sequence = 0;

  private next(): number {
    this.sequence += 1;
    return this.sequence;
  }
  /** The latest thread opened in each channel, where plain lines go as replies. */
  readonly latestThread = new Map<string, string>();
  /** The buttons of the latest message each person got privately, for `:press <label>`. */
  readonly lastButtons = new Map<string, Button[]>();
  private readonly groups = new Map<string, string[]>();

  constructor(
    private readonly print: Printer,
    readonly names: (userId: string) => string,
    /** Where files sent to members (data exports) are saved; without it they are only announced. */
    private readonly filesDir?: string,
  ) {}

  /** Saves a file sent to someone as `<dir>/<user>-<name>` and returns its path. */
  private saveFile(userId: string, file: OutFile): string | undefined {
    if (!this.filesDir) return undefined;
    mkdirSync(this.filesDir, { recursive: true });
    const path = join(this.filesDir, `${userId}-${file.name}`);
    writeFileSync(path, file.content);
    return path;
  }

  /**
   * What a message for one person is printed as: its buttons kept for `:press`, its file saved (and where
   * it went said under it).
   */
  present(userId: string, message: OutMessage): { text: string; saved?: string } {
    if (message.buttons?.length) this.lastButtons.set(userId, message.buttons);
    const saved = message.file ? this.saveFile(userId, message.file) : undefined;
    const text = toConsoleText(message, this.names);
    return saved ? { text: `${text}\n(file saved to ${saved})`, saved } : { text };
  }

  private where(place: Place): string {
    const group = this.groups.get(place.channelId);
    if (group) return `[group ${group.map((id) => `@${this.names(id)}`).join(', ')}]`;
    return place.threadId
      ? `[#${place.channelName ?? place.channelId} › thread]`
      : `[#${place.channelName ?? place.channelId}]`;
  }

  async post(place: Place, message: OutMessage): Promise<PostedMessage> {
    const messageId = `m${this.next()}`;
    this.print(`${this.where(place)} mlsd-bot:\n${toConsoleText(message, this.names)}\n`);
    return { messageId, threadId: place.threadId ?? messageId };
  }

  async postWithThread(place: Place, message: OutMessage): Promise<PostedMessage> {
    const posted = await this.post({ ...place, threadId: undefined }, message);
    this.latestThread.set(place.channelId, posted.messageId);
    this.print(`(Reply in the thread: type your answer as a plain line; ":as ana <text>" answers as Ana.)\n`);
    return { messageId: posted.messageId, threadId: posted.messageId };
  }

  async tellPrivately(_place: Place, userId: string, message: OutMessage): Promise<void> {
    this.print(`[only visible to ${this.names(userId)}] mlsd-bot:\n${this.present(userId, message).text}\n`);
  }

  async sendDirect(_workspaceId: string, userId: string, message: OutMessage): Promise<PostedMessage> {
    const { text, saved } = this.present(userId, message);
    this.print(`[DM to @${this.names(userId)}] mlsd-bot:\n${text}\n`);
    return { messageId: `m${this.next()}`, ...(saved ? { permalink: saved } : {}) };
  }

  async openGroup(place: Place, userIds: string[]): Promise<Place> {
    const channelId = `group-${this.next()}`;
    this.groups.set(channelId, userIds);
    return { ...place, channelId, threadId: undefined };
  }

  async linkTo(): Promise<string | undefined> {
    return undefined;
  }
}
