// Did-you-mean: the valid key or value closest to a misspelt one. The distance is the optimal-string-alignment
// distance (Levenshtein plus a swap of two adjacent letters as one edit); what counts as "close enough" is ours.

/** Edits (insert, delete, replace, swap of two adjacent letters) from a to b. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate closest to `word` (case-insensitive), when it is close enough to be a typo: one edit (a swap of
 * two adjacent letters is one), or two in a long word (9 letters or more) that starts like the candidate. Two
 * edits in a short word make another word ("version" is not "session"). Failing that, the one candidate that
 * contains the word or is contained in it ("token" → botToken), only when exactly one fits, so the suggestion is
 * never a guess between two.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...candidates].sort()) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const bestLower = best.toLowerCase();
  if (bestDistance <= 1 && Math.max(lower.length, bestLower.length) >= 3) return best;
  if (bestDistance === 2 && Math.min(lower.length, bestLower.length) >= 9 && lower[0] === bestLower[0]) return best;
  if (lower.length < 4) return undefined;
  const containing = candidates.filter((c) => {
    const l = c.toLowerCase();
    return l.length >= 4 && (l.includes(lower) || lower.includes(l));
  });
  return containing.length === 1 ? containing[0] : undefined;
}
