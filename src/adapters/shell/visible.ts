/**
 * Text from outside (a typed line, a task's error, a prompt, a label) made safe to print on
 * a terminal: control and format characters are shown as escapes, so an escape sequence
 * cannot retitle the window or move the cursor, and an invisible separator stays visible.
 */

// C0/C1 controls, format characters (bidi overrides, zero-width ones), the line and
// paragraph separators, and lone surrogates.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** "\x1b]0;hi\x07", "a\u2028b": every invisible character as the escape that names it. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, escapeOf);
}

/** Like `visible`, but keeps line breaks: for text that is printed as several lines. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}

function escapeOf(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\u{${hex}}`;
}
