/*
 * How close an answer is to its category's standard response: cosine similarity of word counts, after
 * folding case and accents and dropping placeholders such as {referenceNumber} and very common words. A
 * personalised standard answer stays close; an answer that says something else entirely does not.
 */

const STOP_WORDS = new Set(
  (
    "a an and are as at be by for from has have i in is it its of on or our that the this to was we were " +
    "will with you your y el la los las de del en es un una por para que se su sus con al lo le"
  ).split(" "),
);

/** Lower-case words with accents removed, placeholders and stop words dropped. */
export function words(text: string): string[] {
  return text
    .replace(/\{[^}]*\}/g, " ")
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !STOP_WORDS.has(w));
}

function counts(ws: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of ws) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** 1 for the same words in the same proportions, 0 for no word in common (or an empty text). */
export function textSimilarity(a: string, b: string): number {
  const x = counts(words(a));
  const y = counts(words(b));
  if (!x.size || !y.size) return 0;
  let dot = 0;
  for (const [w, n] of x) dot += n * (y.get(w) ?? 0);
  const norm = (m: Map<string, number>) => Math.sqrt([...m.values()].reduce((s, n) => s + n * n, 0));
  return Math.min(1, dot / (norm(x) * norm(y)));
}
