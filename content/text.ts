// Words people typed, shown back by the bot: mentions in them must not ping anyone.

/**
 * Defuses what could ping or pass for the bot's own markup in a person's text: mentions (<@id>, <!here>,
 * <#channel>, <@&role>) and @everyone / @here / @channel, by a zero-width space after the opening sign.
 */
export function quoted(text: string): string {
  return text.replace(/<([@!#])/g, '<\u200b$1').replace(/@(everyone|here|channel)\b/gi, '@\u200b$1');
}
