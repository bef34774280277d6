/**
 * Why a create was refused before anything was sent: the asker may not create, or a daily
 * limit is reached. Each message is the sentence the asker reads; the intake answers them
 * with 403 and 429.
 */
import { formatDuration } from '../time-format.ts';

/** The asker is not among `CREATE_ALLOWED`. */
export class CreateNotAllowed extends Error {
  constructor() {
    super(
      'Making videos from here is open to some people only, and you are not among them yet; ask an admin of the bot to add you to CREATE_ALLOWED.',
    );
    this.name = 'CreateNotAllowed';
  }
}

export type LimitKind = 'videos' | 'seconds' | 'bot-seconds';

/** A daily limit would be passed by this video. */
export class CreateLimitReached extends Error {
  readonly limit: LimitKind;
  /** When the day's count starts again (ms): the next midnight UTC. */
  readonly resetsAt: number;
  /** How long until then, from when the limit was met (ms). */
  readonly resetsInMs: number;

  constructor(facts: {
    limit: LimitKind;
    allowed: number;
    used: number;
    resetsAt: number;
    now: number;
  }) {
    super(`${limitSentence(facts)} ${resetSentence(facts.resetsAt, facts.now)}`);
    this.name = 'CreateLimitReached';
    this.limit = facts.limit;
    this.resetsAt = facts.resetsAt;
    this.resetsInMs = facts.resetsAt - facts.now;
  }
}

function limitSentence(facts: { limit: LimitKind; allowed: number; used: number }): string {
  const { allowed, used } = facts;
  switch (facts.limit) {
    case 'videos':
      return `You have made ${used} video${used === 1 ? '' : 's'} today, your daily limit of ${allowed}.`;
    case 'seconds':
      return `This video would take you past your daily ${allowed} s of video (${used} s made today, ${Math.max(0, allowed - used)} s left).`;
    case 'bot-seconds':
      return `The bot has made ${used} s of its ${allowed} s of video for today${used < allowed ? `, and this one would not fit in the ${allowed - used} s left` : ''}.`;
  }
}

/** "It resets at midnight UTC, in 3 h 05 min." */
export function resetSentence(resetsAt: number, now: number): string {
  return `It resets at midnight UTC, in ${formatDuration(resetsAt - now)}.`;
}
