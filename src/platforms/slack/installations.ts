import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { InstallationKey, InstallationVault } from '../../core/types.ts';

/** What the rest of the bot hears about installs: a workspace came (or came back), or left. */
export type InstallHooks = {
  installed(key: InstallationKey): Promise<void>;
  uninstalled(key: InstallationKey): Promise<void>;
};

/** Installed in many workspaces: the app's credentials, where installations live, who hears of them. */
export type OAuthSettings = {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  authorizeUrl: string;
  scopes: string[];
  vault: InstallationVault;
  hooks: InstallHooks;
};

const keyOf = (installation: Installation): InstallationKey => ({
  teamId: installation.team?.id,
  enterpriseId: installation.enterprise?.id,
  isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
});

/** Bolt's installation store over the vault (Postgres, sealed): one row per workspace or organisation. */
export function installationStore(vault: InstallationVault): InstallationStore {
  return {
    async storeInstallation(installation) {
      await vault.save(keyOf(installation as Installation), installation);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await vault.find(query);
      if (!found) throw new Error('no installation for this workspace');
      return found as unknown as Installation<'v2', boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await vault.remove(query);
    },
  };
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;max-width:36em;margin:4em auto;line-height:1.5"><h1>${title}</h1>${body}</body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The page at /slack/install: what the app does, and the link to Slack's approval screen. */
export function installPage(addToSlackUrl: string): string {
  return page(
    'Add mlsd-bot to Slack',
    `<p>mlsd-bot posts a machine-learning system design case to your study channel each day, grades every answer against the 7-step framework with private feedback, pairs members for mock interviews and keeps points, streaks and boards.</p><p><a href="${escapeHtml(addToSlackUrl)}" style="display:inline-block;padding:.6em 1.2em;background:#4a154b;color:#fff;border-radius:6px;text-decoration:none">Add to Slack</a></p><p>The link works for ten minutes. A workspace admin may need to approve the app.</p>`,
  );
}

/** The pages a person sees at the end of "Add to Slack". */
export function installPages(hooks: InstallHooks) {
  return {
    async successAsync(
      installation: Installation,
      _options: unknown,
      _req: IncomingMessage,
      res: ServerResponse,
    ) {
      await hooks.installed(keyOf(installation));
      const where = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page(
          'mlsd-bot is installed',
          `<p>mlsd-bot is now in <b>${escapeHtml(where)}</b>.</p><p>Next, in Slack: invite it to your study channel (<code>/invite @mlsd-bot</code>), then set the daily case with <code>/mlsd daily schedule 09:00 Europe/Berlin mon-fri</code>. <code>/mlsd help</code> lists everything.</p>`,
        ),
      );
    },
    failure(error: Error, _options: unknown, _req: IncomingMessage, res: ServerResponse) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page(
          'mlsd-bot was not installed',
          `<p>Slack did not complete the install (${escapeHtml((error as { code?: string }).code ?? 'no details')}). Nothing was stored.</p><p><a href="/slack/install">Start again</a>; if the link had expired, a fresh one works for ten minutes.</p>`,
        ),
      );
    },
  };
}

/** What Bolt's HTTP receiver needs to serve /slack/install and /slack/oauth_redirect and authorise requests. */
export function installerOptions(oauth: OAuthSettings, apiUrl: string) {
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: oauth.scopes,
    installationStore: installationStore(oauth.vault),
    installerOptions: {
      directInstall: false,
      installPath: '/slack/install',
      redirectUriPath: '/slack/oauth_redirect',
      authorizationUrl: oauth.authorizeUrl,
      renderHtmlForInstallPath: installPage,
      clientOptions: { slackApiUrl: apiUrl },
      callbackOptions: installPages(oauth.hooks) as never,
    },
  };
}
