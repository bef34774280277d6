/**
 * The chat adapters the configuration asks for: Slack and/or Discord when their settings
 * are present, the terminal chat when neither is.
 */
import path from 'node:path';
import { createDiscordAdapter } from '../adapters/discord/index.ts';
import { createShellAdapter } from '../adapters/shell/index.ts';
import { createSlackAdapter } from '../adapters/slack/index.ts';
import { userGroupsNamedIn } from '../adapters/slack/user-groups.ts';
import type { ChatAdapter } from '../chat/port.ts';
import type { Config } from '../config.ts';
import type { HttpRoute } from '../http/routes.ts';
import type { Logger } from '../log.ts';
import type { KeptRecordStore } from '../watch/kept-records.ts';

const NO_PLATFORM_GREETING = [
  'No chat platform is configured, so this is the terminal chat.',
  'Set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) to serve Slack, or',
  'DISCORD_TOKEN with DISCORD_APPLICATION_ID to serve Discord, instead (see the README).',
].join('\n');

export interface AdapterHooks {
  /** The bot's own HTTP routes, hosted by Slack's receiver in HTTP mode. */
  routes: HttpRoute[];
  /** The task ids a place watches, for autocomplete. */
  suggest: (target: string) => readonly string[];
  /** The terminal chat's input ended (a piped script ran out). */
  onInputEnd: () => void;
  /** The bot's store, for what an adapter keeps for a while (Discord's form drafts). */
  records: KeptRecordStore;
}

export function createAdapters(config: Config, logger: Logger, hooks: AdapterHooks): ChatAdapter[] {
  const adapters: ChatAdapter[] = [];
  if (config.slack) {
    adapters.push(
      createSlackAdapter({
        botToken: config.slack.botToken,
        ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
        ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
        ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
        ...(config.slack.videoBlocks ? { videoBlocks: true } : {}),
        port: config.port,
        routes: hooks.routes,
        userGroups: userGroupsNamedIn(config.create.allowed),
        logger,
      }),
    );
  }
  if (config.discord) {
    adapters.push(
      createDiscordAdapter({
        token: config.discord.token,
        applicationId: config.discord.applicationId,
        drafts: hooks.records,
        ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}),
        suggest: hooks.suggest,
        logger,
      }),
    );
  }
  if (adapters.length === 0) {
    adapters.push(
      createShellAdapter({
        input: process.stdin,
        output: process.stdout,
        clipsDir: path.join(config.dataDir, 'clips'),
        greeting: NO_PLATFORM_GREETING,
        onInputEnd: hooks.onInputEnd,
      }),
    );
  }
  return adapters;
}
