import { platformOf } from './port.ts';

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
