/**
 * `npm start`: the bot's composition root. It checks the configuration first, so a
 * missing or malformed setting is reported (every one, each by name) before anything starts.
 *
 * The chat platforms are not part of this version yet; until they are, it says what works
 * today and exits.
 */
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';

function main(): number {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
    return 2;
  }
  const logger = createLogger(config.logLevel);
  logger.info({ baseUrl: config.sora.baseUrl, dataDir: config.dataDir }, 'configuration loaded');
  process.stdout.write(
    [
      'The configuration is valid. No chat platform can be started by this version yet:',
      'check or follow a task from the terminal instead:',
      '',
      '  npx sora-status <task-id>            show its status',
      '  npx sora-status <task-id> --watch    follow it and save the video',
      '',
    ].join('\n'),
  );
  return 0;
}

process.exitCode = main();
