/**
 * Who may make videos and how much a day: `CREATE_ALLOWED`, the per-person daily limits
 * (videos and seconds of clip) and the whole bot's daily seconds. Each create reserves its
 * share before the request is sent and gives it back when the service surely refused it, so
 * a video that may have started always counts. Days are UTC days; each day's spending is one
 * record in the store, so a restart forgets nothing.
 */
import type { CommandOrigin } from '../chat/commands.ts';
import { CreateLimitReached, CreateNotAllowed } from '../chat/create-refusal.ts';
import { personOf } from '../chat/person-text.ts';
import { platformOf } from '../chat/port.ts';
import type { Spent, UsageReport } from '../chat/usage-text.ts';
import type { Clock } from '../clock.ts';
import { PerKeyQueue } from '../per-key-queue.ts';
import type { KeptRecordStore } from '../watch/kept-records.ts';

export interface SpendingRules {
  /** Who may create: everyone, or platform-prefixed user, Slack user group and Discord role ids. */
  allowed: 'everyone' | readonly string[];
  /** Platform-prefixed user ids ("slack:U0123"): always allowed, no per-person limits. */
  admins: readonly string[];
  /** Videos a person may make a day. */
  dailyVideos: number;
  /** Seconds of clip a person may make a day; absent: no such limit. */
  dailySeconds?: number;
  /** Seconds of clip the whole bot may make a day; absent: no such limit. */
  botDailySeconds?: number;
}

/** One UTC day's spending: each person's, by platform-prefixed id, and the bot's in all. */
export interface DailyUsage {
  day: string;
  people: Record<string, Spent>;
  bot: Spent;
}

/** A create's share of the day, to give back if the service refused it. */
export interface Reservation {
  giveBack(): Promise<void>;
}

const KIND = 'usage';
/** A day's record outlives its day a little, for an admin who asks just after midnight. */
const KEEP_MS = 3 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export class SpendingLimits {
  readonly #rules: SpendingRules;
  readonly #store: KeptRecordStore;
  readonly #clock: Clock;
  /** One read-modify-write of a day's record at a time. */
  readonly #byDay = new PerKeyQueue();

  constructor(deps: { rules: SpendingRules; store: KeptRecordStore; clock: Clock }) {
    this.#rules = deps.rules;
    this.#store = deps.store;
    this.#clock = deps.clock;
  }

  isAdmin(origin: CommandOrigin): boolean {
    const person = personOf(origin);
    return person !== undefined && this.#rules.admins.includes(person);
  }

  /** Whether the asker may create at all (a program handed the intake's token may). */
  mayCreate(origin: CommandOrigin): boolean {
    const { allowed } = this.#rules;
    if (allowed === 'everyone' || origin.requester === undefined || this.isAdmin(origin)) {
      return true;
    }
    const platform = platformOf(origin.target);
    return [origin.requester, ...(origin.groups ?? [])].some((id) =>
      allowed.includes(`${platform}:${id}`),
    );
  }

  /**
   * Counts a video of `seconds` against today's limits, or throws `CreateNotAllowed` or
   * `CreateLimitReached` with the sentence for the asker.
   */
  async reserve(origin: CommandOrigin, seconds: number): Promise<Reservation> {
    if (!this.mayCreate(origin)) throw new CreateNotAllowed();
    const now = this.#clock.now();
    const day = dayOf(now);
    // An admin's videos are counted (for /sora-usage) but not limited per person.
    const counted = personOf(origin);
    const limited = this.isAdmin(origin) ? undefined : counted;
    const change = (usage: DailyUsage, sign: 1 | -1) => {
      add(usage.bot, sign, sign * seconds);
      if (counted !== undefined) {
        const spent = usage.people[counted] ?? { videos: 0, seconds: 0 };
        add(spent, sign, sign * seconds);
        usage.people[counted] = spent;
      }
    };
    await this.#byDay.run(day, async () => {
      const usage = await this.#read(day);
      this.#check(usage, limited, seconds, now);
      change(usage, 1);
      await this.#store.putKept(KIND, day, usage, KEEP_MS);
    });
    return {
      giveBack: () =>
        this.#byDay.run(day, async () => {
          const usage = await this.#read(day);
          change(usage, -1);
          await this.#store.putKept(KIND, day, usage, KEEP_MS);
        }),
    };
  }

  async report(origin: CommandOrigin): Promise<UsageReport> {
    const now = this.#clock.now();
    const day = dayOf(now);
    const usage = await this.#byDay.run(day, () => this.#read(day));
    const person = personOf(origin);
    const admin = this.isAdmin(origin);
    const report: UsageReport = {
      day,
      resetsAt: nextMidnight(now),
      bot: usage.bot,
      limits: {
        dailyVideos: this.#rules.dailyVideos,
        ...(this.#rules.dailySeconds === undefined
          ? {}
          : { dailySeconds: this.#rules.dailySeconds }),
        ...(this.#rules.botDailySeconds === undefined
          ? {}
          : { botDailySeconds: this.#rules.botDailySeconds }),
      },
      admin,
    };
    if (person !== undefined) report.mine = usage.people[person] ?? { videos: 0, seconds: 0 };
    if (admin) report.people = usage.people;
    return report;
  }

  #check(usage: DailyUsage, person: string | undefined, seconds: number, now: number): void {
    const resetsAt = nextMidnight(now);
    const { dailyVideos, dailySeconds, botDailySeconds } = this.#rules;
    if (person !== undefined) {
      const mine = usage.people[person] ?? { videos: 0, seconds: 0 };
      if (mine.videos + 1 > dailyVideos) {
        throw new CreateLimitReached({
          limit: 'videos',
          allowed: dailyVideos,
          used: mine.videos,
          resetsAt,
          now,
        });
      }
      if (dailySeconds !== undefined && mine.seconds + seconds > dailySeconds) {
        throw new CreateLimitReached({
          limit: 'seconds',
          allowed: dailySeconds,
          used: mine.seconds,
          resetsAt,
          now,
        });
      }
    }
    if (botDailySeconds !== undefined && usage.bot.seconds + seconds > botDailySeconds) {
      throw new CreateLimitReached({
        limit: 'bot-seconds',
        allowed: botDailySeconds,
        used: usage.bot.seconds,
        resetsAt,
        now,
      });
    }
  }

  async #read(day: string): Promise<DailyUsage> {
    const stored = await this.#store.getKept(KIND, day);
    return asUsage(stored, day);
  }
}

/** "2026-12-01": the UTC day of `ms`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function nextMidnight(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS + DAY_MS;
}

function add(spent: Spent, videos: number, seconds: number): void {
  spent.videos = Math.max(0, spent.videos + videos);
  spent.seconds = Math.max(0, spent.seconds + seconds);
}

/** A stored day read back; anything unreadable counts as nothing spent, never as a crash. */
function asUsage(value: unknown, day: string): DailyUsage {
  const usage: DailyUsage = { day, people: {}, bot: { videos: 0, seconds: 0 } };
  if (typeof value !== 'object' || value === null) return usage;
  const stored = value as { people?: unknown; bot?: unknown };
  usage.bot = asSpent(stored.bot);
  if (typeof stored.people === 'object' && stored.people !== null) {
    for (const [person, spent] of Object.entries(stored.people))
      usage.people[person] = asSpent(spent);
  }
  return usage;
}

function asSpent(value: unknown): Spent {
  const spent = (typeof value === 'object' && value !== null ? value : {}) as Partial<Spent>;
  const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);
  return { videos: count(spent.videos), seconds: count(spent.seconds) };
}
