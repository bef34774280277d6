/**
 * Reads one sample out of Prometheus text, so metrics tests can assert exact values without
 * depending on the order labels are printed in.
 */

/** The value of the sample `name` whose labels are exactly `labels`, or undefined when absent. */
export function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const found = [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)]
      .map((m) => [m[1], m[2]])
      .sort();
    if (JSON.stringify(found) === wanted) return Number(match[3]);
  }
  return undefined;
}
