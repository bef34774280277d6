/**
 * Reads a terminal line as a command: "/sora-status <id>" as in chat, or the short forms
 * "status <id>", "list", "unwatch <id>", "create <prompt> …", "usage",
 * "clips [mine|all] …". A bare task id means "status".
 */
export type ShellInput =
  | { kind: 'command'; name: string; text: string }
  | { kind: 'help' }
  | { kind: 'blank' };

const SHORT_NAMES: Record<string, string> = {
  status: 'sora-status',
  list: 'sora-list',
  unwatch: 'sora-unwatch',
  create: 'sora-create',
  usage: 'sora-usage',
  show: 'sora-show',
  clips: 'sora-clips',
};

export function readShellLine(line: string): ShellInput {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return { kind: 'blank' };
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.replace(/^\//, '').toLowerCase();
  if (word === 'help' || word === '?') return { kind: 'help' };
  const name = SHORT_NAMES[word] ?? (word.startsWith('sora-') ? word : undefined);
  if (name === undefined && rest.length === 0)
    return { kind: 'command', name: 'sora-status', text: first };
  return { kind: 'command', name: name ?? word, text: rest.join(' ') };
}
