/** The Slack app manifest a user pastes at api.slack.com/apps to create the app. */
export function slackManifest(options: { url?: string | undefined; socketMode: boolean; name?: string }) {
  const events = options.url ? `${options.url.replace(/\/$/, '')}/slack/events` : undefined;
  const name = options.name ?? 'mlsd-bot';
  return {
    display_information: {
      name,
      description: 'Daily ML system design cases, peer mocks and leaderboards for study groups',
      long_description:
        'mlsd-bot posts a machine-learning system design case study to your study channel every day, grades each answer in the thread against the 7-step framework (clarify, frame, data, features, model, serving, monitoring) with private feedback, posts the reference outline at the deadline, pairs members for peer mock interviews, and keeps points, streaks and leaderboards. Open source and self-hosted.',
      background_color: '#1f2a44',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      slash_commands: [
        {
          command: '/mlsd',
          ...(events && !options.socketMode ? { url: events } : {}),
          description: 'ML system design practice: daily case, mocks, leaderboard',
          usage_hint: 'daily | daily schedule 09:00 Europe/Berlin mon-fri | leaderboard | help',
          should_escape: false,
        },
      ],
    },
    oauth_config: {
      // Where Slack sends a person back after "Allow" (installing in many workspaces, HTTP mode).
      ...(events && !options.socketMode
        ? { redirect_urls: [`${options.url?.replace(/\/$/, '')}/slack/oauth_redirect`] }
        : {}),
      scopes: {
        bot: [
          'commands',
          'chat:write',
          'chat:write.public',
          'channels:history',
          'groups:history',
          'channels:read',
          'groups:read',
          'users:read',
          'im:write',
          'mpim:write',
          // Reading back its own DMs and group DMs lets a sender that took over find what a dead one posted.
          'im:history',
          'mpim:history',
          'files:write',
          'reactions:read',
        ],
      },
    },
    settings: {
      event_subscriptions: {
        ...(events && !options.socketMode ? { request_url: events } : {}),
        bot_events: [
          'message.channels',
          'message.groups',
          'app_home_opened',
          'reaction_added',
          // Removed from a workspace: stop its schedules, keep its data for the retention period.
          'app_uninstalled',
          'tokens_revoked',
        ],
      },
      interactivity: {
        is_enabled: true,
        ...(events && !options.socketMode ? { request_url: events } : {}),
      },
      org_deploy_enabled: false,
      socket_mode_enabled: options.socketMode,
      token_rotation_enabled: false,
    },
  };
}
