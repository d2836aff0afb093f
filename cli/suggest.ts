// Did-you-mean: the valid key or value closest to a misspelt one. The distance is `leven` (Levenshtein, npm);
// what counts as "close enough" is ours.
import leven from "leven";

/** The two words differ only by letters swapped in place (same letters, same length): a typing slip. */
const sameLetters = (a: string, b: string): boolean => a.length === b.length && [...a].sort().join("") === [...b].sort().join("");

/**
 * The candidate closest to `word` (case-insensitive), when it is close enough to be a typo: at most one edit in
 * three letters (at least one), or two adjacent letters swapped (Levenshtein counts a swap as two edits).
 * Failing that, the one candidate that contains the word or is contained in it ("token" → botToken), only when
 * exactly one fits, so the suggestion is never a guess between two.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...candidates].sort()) {
    const distance = leven(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const bestLower = best.toLowerCase();
  const limit = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  if (bestDistance <= limit || (bestDistance === 2 && sameLetters(lower, bestLower))) return best;
  if (lower.length < 4) return undefined;
  const containing = candidates.filter((c) => {
    const l = c.toLowerCase();
    return l.length >= 4 && (l.includes(lower) || lower.includes(l));
  });
  return containing.length === 1 ? containing[0] : undefined;
}
