/**
 * Fitting text into a platform's limits: every title, option, alt text and prompt excerpt the
 * bot sends is cut here, the same way.
 */

/**
 * At most `most` UTF-16 units (never more characters, however a platform counts them), an
 * ellipsis marking a cut, and never half of a character outside the Basic Multilingual Plane.
 */
export function cutText(text: string, most: number): string {
  if (text.length <= most) return text;
  let kept = '';
  for (const char of text) {
    if (kept.length + char.length > most - 1) break;
    kept += char;
  }
  return `${kept}…`;
}

/** Lines and runs of spaces as single spaces: a title or a list entry is one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
