/**
 * Which of the Slack user groups named in `CREATE_ALLOWED` a person is in, for the shared
 * permission check (`CommandOrigin.groups`). Slack says who is in a group
 * (`usergroups.users.list`, scope `usergroups:read`), not which groups a person is in, so each
 * named group's members are asked for and kept a few minutes: one call per group per five
 * minutes, however many people create. A failed look-up is logged and counts as no members
 * (the person is then told politely that they may not create), and is not kept: the next
 * press asks again.
 */
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import { slackErrorCode } from './slack-errors.ts';

/** How long a group's members are believed without asking Slack again (ms). */
export const USER_GROUP_CACHE_MS = 5 * 60_000;

const SLACK_PREFIX = 'slack:';
/** Slack user group ids start with S; user ids with U or W. */
const USER_GROUP_ID = /^S[A-Z0-9]{2,}$/;

/** The Slack user group ids ("S0123ABC") among platform-prefixed ids ("slack:S0123ABC"). */
export function userGroupsNamedIn(allowed: 'everyone' | readonly string[]): string[] {
  if (allowed === 'everyone') return [];
  return allowed
    .filter((id) => id.startsWith(SLACK_PREFIX))
    .map((id) => id.slice(SLACK_PREFIX.length))
    .filter((id) => USER_GROUP_ID.test(id));
}

/** What a failed look-up counts as; not kept, so the next press asks again. */
const NO_MEMBERS: ReadonlySet<string> = new Set();

interface KeptMembers {
  askedAt: number;
  members: Promise<ReadonlySet<string>>;
}

export class UserGroupDirectory {
  readonly #groups: readonly string[];
  readonly #client: WebClient;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #kept = new Map<string, KeptMembers>();

  constructor(groups: readonly string[], client: WebClient, clock: Clock, logger: Logger) {
    this.#groups = [...new Set(groups)];
    this.#client = client;
    this.#clock = clock;
    this.#logger = logger;
  }

  /** Whether any group is named at all: without one, nobody's groups are looked up. */
  get inUse(): boolean {
    return this.#groups.length > 0;
  }

  /** The named groups `userId` is in, in the order they were named. */
  async groupsOf(userId: string): Promise<string[]> {
    const found = await Promise.all(
      this.#groups.map(async (group) => ((await this.#members(group)).has(userId) ? group : '')),
    );
    return found.filter((group) => group !== '');
  }

  #members(group: string): Promise<ReadonlySet<string>> {
    const now = this.#clock.now();
    const kept = this.#kept.get(group);
    if (kept !== undefined && now - kept.askedAt < USER_GROUP_CACHE_MS) return kept.members;
    // Kept while under way too, so people pressing at once share one call.
    const members = this.#ask(group);
    const entry = { askedAt: now, members };
    this.#kept.set(group, entry);
    void members.then((set) => {
      if (set === NO_MEMBERS && this.#kept.get(group) === entry) this.#kept.delete(group);
    });
    return members;
  }

  async #ask(group: string): Promise<ReadonlySet<string>> {
    try {
      const answer = await this.#client.usergroups.users.list({ usergroup: group });
      return new Set(answer.users ?? []);
    } catch (error) {
      this.#logger.warn(
        { err: error, usergroup: group, code: slackErrorCode(error) },
        'slack user group could not be read; counted as no members',
      );
      return NO_MEMBERS;
    }
  }
}
