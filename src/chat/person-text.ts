import type { CommandOrigin } from './commands.ts';
import { platformOf } from './port.ts';

/** The platform-prefixed id of the person who asked ("slack:U0123"); undefined for a program (the intake). */
export function personOf(origin: Pick<CommandOrigin, 'target' | 'requester'>): string | undefined {
  return origin.requester === undefined
    ? undefined
    : `${platformOf(origin.target)}:${origin.requester}`;
}

/**
 * A platform-prefixed person ("slack:U0123") as the reader's platform shows people: a
 * mention (`<@U0123>`, which notifies nobody in a private answer) on the same platform, the
 * prefixed id elsewhere.
 */
export function personText(person: string, reader: { target: string }): string {
  const colon = person.indexOf(':');
  const platform = person.slice(0, colon);
  return platform === platformOf(reader.target) ? `<@${person.slice(colon + 1)}>` : person;
}
