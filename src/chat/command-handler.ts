/**
 * What each shared command does, whatever the platform: the adapters parse and answer,
 * this decides. Errors become one sentence for the asker; stack traces go to the log.
 */
import type { Logger } from '../log.ts';
import { displayName } from '../models/index.ts';
import { SoraError, userMessage } from '../sora/errors.ts';
import type { VideoTask } from '../sora/task.ts';
import { CreateInDoubt } from '../watch/create-record.ts';
import { StoreError } from '../watch/store-error.ts';
import { runCardAction, runShare } from './card-action-handler.ts';
import { clipsListing } from './clips-listing.ts';
import type { ClipShelf, VideoMaker, WatchService } from './command-services.ts';

export type { ClipShelf, VideoMaker, WatchService };

import type { Command, Reply } from './commands.ts';
import { CreateLimitReached, CreateNotAllowed } from './create-refusal.ts';
import { CannotPostHere, type CommandHandler } from './port.ts';
import { runShow } from './show-command.ts';
import { usageText } from './usage-text.ts';

/** The answer while the store does not answer: nothing was changed, and it is passing. */
export const STORE_DOWN =
  'The bot cannot reach its storage right now, so nothing was changed; try again in a minute.';

export function createCommandHandler(
  service: WatchService,
  logger: Logger,
  maker?: VideoMaker,
  now: () => number = Date.now,
  /** The clip library, for `/sora-clips`; absent, the command says none is kept. */
  clips?: ClipShelf,
): CommandHandler {
  return async (command: Command): Promise<Reply> => {
    try {
      if (command.kind === 'create') return await runCreate(maker, command);
      if (command.kind === 'usage') return await runUsage(maker, command, now);
      if (command.kind === 'clips') return await runClips(clips, command);
      if (command.kind === 'show') return await runShow(service, clips, command);
      if (command.kind === 'action') return await runCardAction(command, { service, maker });
      if (command.kind === 'share') return await runShare(command, { service, maker });
      return await run(service, command);
    } catch (error) {
      const reply = errorReply(error, command, logger);
      // A create in doubt may have started, and one refused a place was started: offering the
      // form again would invite a second video.
      const started = error instanceof CreateInDoubt || error instanceof CannotPostHere;
      if (command.kind === 'create' && !started) reply.refused = true;
      return reply;
    }
  };
}

function errorReply(error: unknown, command: Command, logger: Logger): Reply {
  if (
    error instanceof CannotPostHere ||
    error instanceof CreateInDoubt ||
    error instanceof CreateNotAllowed ||
    error instanceof CreateLimitReached
  ) {
    return { text: error.message, private: true };
  }
  if (error instanceof StoreError) {
    logger.error({ err: error, command: command.kind }, 'command failed: store unreachable');
    return { text: STORE_DOWN, private: true };
  }
  if (!(error instanceof SoraError)) {
    logger.error({ err: error, command: command.kind }, 'command failed');
  }
  return { text: userMessage(error), private: true };
}

async function runCreate(
  maker: VideoMaker | undefined,
  command: Extract<Command, { kind: 'create' }>,
): Promise<Reply> {
  if (maker === undefined) return { text: 'This bot does not make videos here.', private: true };
  const created = await maker.create(command.request, [command.origin], command.key);
  const name = displayName(command.request.model);
  const text = created.repeated
    ? `That request was already sent: it is ${created.taskId} (${name}), watched here.`
    : `Started ${created.taskId} (${name}); watching it here: the video will be posted when it is ready.`;
  const reply: Reply = { text, private: true };
  const card = created.watches[0]?.subscription.statusMessage;
  if (card !== undefined) reply.statusMessage = card;
  return reply;
}

async function runUsage(
  maker: VideoMaker | undefined,
  command: Extract<Command, { kind: 'usage' }>,
  now: () => number,
): Promise<Reply> {
  if (maker?.usage === undefined)
    return { text: 'This bot does not make videos here.', private: true };
  const report = await maker.usage(command.origin);
  return { text: usageText(report, command.origin, now()), private: true };
}

async function runClips(
  clips: ClipShelf | undefined,
  command: Extract<Command, { kind: 'clips' }>,
): Promise<Reply> {
  if (clips === undefined) return { text: 'This bot keeps no clip library.', private: true };
  const listing = await clipsListing(clips, command.filter, command.origin);
  const reply: Reply = { text: listing.text, private: true };
  if (listing.page !== undefined) reply.clips = listing.page;
  return reply;
}

async function run(
  service: WatchService,
  command: Extract<Command, { kind: 'status' | 'unwatch' | 'list' }>,
): Promise<Reply> {
  switch (command.kind) {
    case 'status': {
      const { addition, task, subscription } = await service.watch(command.taskId, command.origin);
      const reply: Reply = { text: statusReply(command.taskId, addition, task), private: true };
      if (subscription.statusMessage !== undefined)
        reply.statusMessage = subscription.statusMessage;
      return reply;
    }
    case 'unwatch': {
      const removed = await service.unwatch(command.taskId, command.origin.target);
      return {
        text: removed
          ? `Stopped watching ${command.taskId} here.`
          : `${command.taskId} is not being watched here.`,
        private: true,
      };
    }
    case 'list': {
      const watches = service.list(command.origin.target);
      if (watches.length === 0) {
        return {
          text: 'No tasks are being watched here. Start with /sora-status <task id>.',
          private: true,
        };
      }
      const lines = watches.map((w) => `• ${w.taskId}: ${standing(w.task)}`);
      return { text: `Watching ${watches.length} here:\n${lines.join('\n')}`, private: true };
    }
  }
}

/** "VEO 3.1 Fast, processing": the model's name and the status, once the API has answered. */
function standing(task: VideoTask | undefined): string {
  return task === undefined ? 'checking' : `${displayName(task.model)}, ${task.status}`;
}

/** The answer to `/sora-status`, by how the asker joined the watch and how the task stands. */
export function statusReply(taskId: string, addition: string, task: VideoTask | undefined): string {
  const now = standing(task);
  if (addition === 'already-delivered') {
    return `${taskId} has already been posted here (${now}); its card and result are above.`;
  }
  if (task === undefined) {
    return `The service is not answering right now; watching ${taskId} anyway: I will keep trying and post here.`;
  }
  if (addition === 'already-watching') return `You are already watching ${taskId} here (${now}).`;
  if (addition === 'new-requester') {
    return `${taskId} is already watched here (${now}); you will be mentioned when it ends.`;
  }
  if (task.status === 'completed') return `${taskId} is done; posting the video here.`;
  return `Watching ${taskId} (${now}); the video will be posted here when it is ready.`;
}
