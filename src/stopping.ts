/** Pieces of an orderly stop: refusing new work politely, and waiting with a bound. */
import type { Reply } from './chat/commands.ts';
import type { CommandHandler } from './chat/port.ts';

/** What a person asking the bot anything is told once it is stopping. */
export const RESTARTING = 'The bot is restarting; try again in a minute.';

/**
 * Answers every command with a polite refusal once the bot is stopping; a create's form is
 * offered again, since nothing was sent.
 */
export function refuseWhenStopping(
  handler: CommandHandler,
  stopping: () => boolean,
): CommandHandler {
  return (command) => {
    if (!stopping()) return handler(command);
    const reply: Reply = { text: RESTARTING, private: true };
    if (command.kind === 'create') reply.refused = true;
    return Promise.resolve(reply);
  };
}

/** Waits for `work` at most `ms`; never rejects. */
export async function settledWithin(
  work: Promise<unknown>,
  ms: number,
): Promise<'settled' | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
  });
  const settled = work.then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
