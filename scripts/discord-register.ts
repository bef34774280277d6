/**
 * `npm run discord:register`: installs the bot's slash commands on Discord. In the guild
 * named by DISCORD_GUILD_ID when set (instant, for development), globally otherwise.
 * Run it once, and again whenever the commands change.
 */
import { DISCORD_COMMANDS } from '../src/adapters/discord/commands.ts';
import { createDiscordAdapter } from '../src/adapters/discord/index.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';

try {
  const config = loadConfig();
  if (config.discord === undefined) {
    process.stderr.write(
      'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID first (see .env.example).\n',
    );
    process.exit(2);
  }
  const adapter = createDiscordAdapter({
    token: config.discord.token,
    applicationId: config.discord.applicationId,
    ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}),
    logger: createLogger(config.logLevel, process.stderr),
  });
  await adapter.registerCommands(config.discord.guildId);
  await adapter.stop();
  const where = config.discord.guildId ? `in server ${config.discord.guildId}` : 'globally';
  process.stdout.write(
    `Registered ${DISCORD_COMMANDS.map((command) => `/${command.name}`).join(', ')} ${where}.\n`,
  );
} catch (error) {
  const message =
    error instanceof ConfigError
      ? error.message
      : `Registration failed: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}
