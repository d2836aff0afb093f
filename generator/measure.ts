// Measures of the generated text, printed in the generator's summary.

/**
 * Runs of repeated lines in a text: maximal stretches where every window of `minLines` consecutive lines
 * (trimmed, blank lines skipped) occurs somewhere else too. The same idea as the `duplicates` tool's runs of
 * six or more identical lines, counted within one file.
 */
export function repeatedRuns(text: string, minLines = 6): number {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  // each distinct line as a number, a window as its lines' numbers (short keys, not the lines' text)
  const ids = new Map<string, number>();
  const numbers = lines.map((line) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  });
  const counts = new Map<string, number>();
  const windows: string[] = [];
  for (let i = 0; i + minLines <= lines.length; i++) {
    const window = numbers.slice(i, i + minLines).join(",");
    windows.push(window);
    counts.set(window, (counts.get(window) ?? 0) + 1);
  }
  let runs = 0;
  let inRun = false;
  for (const window of windows) {
    const repeated = counts.get(window)! > 1;
    if (repeated && !inRun) runs++;
    inRun = repeated;
  }
  return runs;
}
