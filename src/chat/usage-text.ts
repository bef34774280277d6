/**
 * What `/sora-usage` says: the asker's videos and seconds of clip today against their
 * limits, the bot's, when it all resets, and for an admin everyone's.
 */
import { resetSentence } from './create-refusal.ts';
import { personText } from './person-text.ts';

export interface Spent {
  videos: number;
  seconds: number;
}

/** A day's spending and the limits it is held to, as the spending limits report it. */
export interface UsageReport {
  /** The UTC day, "2026-12-01". */
  day: string;
  /** The next midnight UTC (ms). */
  resetsAt: number;
  /** The asker's own spending, when the asker is a person. */
  mine?: Spent;
  bot: Spent;
  limits: { dailyVideos: number; dailySeconds?: number; botDailySeconds?: number };
  /** The asker is an admin: no per-person limits, and `people` is filled. */
  admin: boolean;
  /** Everyone's spending today by platform-prefixed id, for an admin only. */
  people?: Record<string, Spent>;
}

export function usageText(report: UsageReport, asker: { target: string }, now: number): string {
  const { limits } = report;
  const lines: string[] = [];
  if (report.mine !== undefined) {
    const limitsText = report.admin
      ? 'as an admin you have no per-person limits'
      : `your limits: ${count(limits.dailyVideos, 'video')}${limits.dailySeconds === undefined ? '' : `, ${limits.dailySeconds} s`} a day`;
    lines.push(`Today (${report.day}, UTC) you made ${spentText(report.mine)}; ${limitsText}.`);
  }
  const botLimit =
    limits.botDailySeconds === undefined ? '' : ` of its ${limits.botDailySeconds} s a day`;
  lines.push(
    `The bot made ${spentText(report.bot)}${botLimit}. ${resetSentence(report.resetsAt, now)}`,
  );
  if (report.people !== undefined) {
    const people = Object.entries(report.people).filter(([, spent]) => spent.videos > 0);
    people.sort(([, a], [, b]) => b.seconds - a.seconds || b.videos - a.videos);
    lines.push(people.length === 0 ? 'Nobody has made a video today.' : 'Everyone today:');
    for (const [person, spent] of people) {
      lines.push(`• ${personText(person, asker)}: ${spentText(spent)}`);
    }
  }
  return lines.join('\n');
}

function spentText(spent: Spent): string {
  return `${count(spent.videos, 'video')}, ${spent.seconds} s of clip`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
