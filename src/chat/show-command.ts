/**
 * `/sora-show <task id>`: a clip the library keeps, posted in the asker's place again with
 * its buttons. The watch is taken up again (as a share is), and its clip comes from the
 * library, not from the service, whose link lasts a day.
 */
import type { ClipShelf, WatchService } from './command-services.ts';
import type { Command, Reply } from './commands.ts';

export async function runShow(
  service: WatchService,
  clips: ClipShelf | undefined,
  command: Extract<Command, { kind: 'show' }>,
): Promise<Reply> {
  const { taskId, origin } = command;
  if (clips?.find === undefined) return reply('This bot keeps no clip library.');
  const kept = await clips.find(taskId);
  if (kept === undefined) {
    return reply(
      `${taskId} is not in the clip library: it was never finished here, or its time ran out. /sora-clips lists what is kept.`,
    );
  }
  await service.watch(taskId, origin, { repost: true });
  return reply(`Posting ${taskId} here again from the clip library.`);
}

function reply(text: string): Reply {
  return { text, private: true };
}
