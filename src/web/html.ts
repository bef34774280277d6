/** Text and attribute values made safe to put in HTML: every markup character escaped. */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * The opening of a page, up to and including `<main>`: never indexed by search engines (a
 * share link is for whom it is given to), `extraHead` (tags, already escaped) and its one style.
 */
export function pageStart(title: string, style: string, extraHead: readonly string[] = []): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
${[...extraHead, `<style>${style}</style>`].join('\n')}
</head>
<body>
<main>`;
}
