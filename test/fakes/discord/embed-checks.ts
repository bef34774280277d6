/**
 * The fake Discord's checks of a message's embeds, as Discord makes them before it takes a
 * message: at most 10 embeds, a title of at most 256 characters, a description of at most
 * 4096, and at most 6000 characters over the text of all of them (titles, descriptions, field
 * names and values, footers, authors). Any problem answers 400 "Invalid Form Body" (50035).
 */

const MAX_EMBEDS = 10;
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 4096;
const MAX_TOTAL = 6000;

/** Every problem of `embeds` (the body's field, if any); none for embeds Discord would take. */
export function embedProblems(embeds: unknown): string[] {
  if (embeds === undefined) return [];
  if (!Array.isArray(embeds)) return ['embeds: must be an array'];
  const problems: string[] = [];
  if (embeds.length > MAX_EMBEDS) problems.push(`embeds: at most ${MAX_EMBEDS}`);
  let total = 0;
  for (const [index, embed] of embeds.entries()) {
    const { title, description, fields, footer, author } = (embed ?? {}) as {
      title?: string;
      description?: string;
      fields?: { name?: string; value?: string }[];
      footer?: { text?: string };
      author?: { name?: string };
    };
    if ((title?.length ?? 0) > MAX_TITLE) problems.push(`embeds.${index}.title: too long`);
    if ((description?.length ?? 0) > MAX_DESCRIPTION) {
      problems.push(`embeds.${index}.description: too long`);
    }
    const texts = [
      title,
      description,
      footer?.text,
      author?.name,
      ...(fields ?? []).flatMap((field) => [field.name, field.value]),
    ];
    total += texts.reduce((sum, text) => sum + (text?.length ?? 0), 0);
  }
  if (total > MAX_TOTAL) problems.push(`embeds: ${total} characters, at most ${MAX_TOTAL}`);
  return problems;
}

/** Discord's answer to a body whose embeds break its rules. */
export function invalidEmbedsAnswer(problems: readonly string[]): Record<string, unknown> {
  return { message: 'Invalid Form Body', code: 50035, errors: problems };
}
