/**
 * `sora-status <id> --notify slack:C0123`: asks a running bot, through its intake API, to
 * announce a task in chat channels. Needs the bot's address and token, not the Sora key:
 * the bot checks the task itself.
 */
import { userInfo } from 'node:os';
import type { IntakeClientConfig } from '../config.ts';
import { describeCause } from '../sora/errors.ts';

/** The bot refused the token (401). */
export class IntakeTokenRefused extends Error {}

/** The bot could not be reached, or answered with an error; `message` is the sentence. */
export class IntakeFailed extends Error {}

export const NOTIFY_DEFAULTS = {
  /** How long to wait for the bot's answer (it asks the Sora API before answering). */
  timeoutMs: 60_000,
} as const;

export interface NotifyAnswer {
  task_id: string;
  status?: string;
  notify?: { channel: string }[];
  [field: string]: unknown;
}

export async function notifyBot(
  taskId: string,
  channels: readonly string[],
  intake: IntakeClientConfig,
  signal?: AbortSignal,
): Promise<NotifyAnswer> {
  const timeout = AbortSignal.timeout(NOTIFY_DEFAULTS.timeoutMs);
  let response: Response;
  try {
    response = await fetch(`${intake.url}/v1/watches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${intake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ task_id: taskId, notify: channels, requested_by: requester() }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const cause = (error as { cause?: unknown }).cause ?? error;
    throw new IntakeFailed(
      `could not reach the bot at ${intake.url} (${describeCause(cause)}): is it running with INTAKE_TOKEN set? (INTAKE_URL sets its address)`,
    );
  }
  const text = await response.text();
  if (response.status === 401) {
    throw new IntakeTokenRefused('the bot refused the intake token (401): check INTAKE_TOKEN.');
  }
  let body: { error?: unknown } & Partial<NotifyAnswer> = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Not the intake answering (a proxy, another service on that port): said below.
  }
  if (response.status !== 202 || typeof body.task_id !== 'string') {
    const why = typeof body.error === 'string' ? body.error : 'not an intake API answer';
    throw new IntakeFailed(`the bot answered HTTP ${response.status}: ${why}`);
  }
  return body as NotifyAnswer;
}

/** "Watching sora_abc (processing): it will be announced in slack:C0123 and discord:123." */
export function notifyLine(answer: NotifyAnswer, channels: readonly string[]): string {
  const places = answer.notify?.map((place) => place.channel) ?? [...channels];
  const list =
    places.length > 1 ? `${places.slice(0, -1).join(', ')} and ${places.at(-1)}` : places[0];
  return `Watching ${answer.task_id} (${answer.status ?? 'checking'}): it will be announced in ${list}.`;
}

/** Shown in chat as who asked: this command and the local user, never a mention. */
function requester(): string {
  try {
    return `sora-status (${userInfo().username})`.slice(0, 80).replace(/[<>]/g, '');
  } catch {
    return 'sora-status';
  }
}
