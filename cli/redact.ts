// Showing a piece of a config file without showing a secret (the excerpt of a JSON5 syntax error).
//
// Masked: every string literal on the line whose key names a secret (`token: "…"`, `"apiKey": "…"`), and every
// run of 8 or more characters that could be key material (letters, digits and `+/=_-.:~`) when it mixes letters
// and digits, is 20 or more characters long, or has the shape of a known credential (tokens.ts). Words such as
// "gateway" or "loopback" stay readable, so the excerpt still shows where the syntax broke.
//
// A file is redacted before anyone knows which gateway it is for: a key is masked when any gateway's key-name
// rule (its facts' keyPattern) names a secret.
import { TARGET_NAMES, TARGETS } from "./targets.js";
import { keyNamesSecret, tokenReason } from "./tokens.js";

const EVERY_GATEWAY = TARGET_NAMES.map((name) => TARGETS[name].facts.secrets);
const anyGatewayNamesSecret = (key: string): boolean => EVERY_GATEWAY.some((secrets) => keyNamesSecret(key, secrets));

export const MASK = "‹redacted›";

const RUN = /[A-Za-z0-9+/=_.:~-]{8,}/g;
const KEY_THEN_STRING = /(["']?)([A-Za-z_$][\w$-]*)\1\s*:\s*(["'`])((?:\\.|(?!\3)[^\\])*)/g;

function looksLikeMaterial(run: string): boolean {
  // without a key, only the value's shape counts (the key-name rule is not asked)
  if (EVERY_GATEWAY.some((secrets) => tokenReason(undefined, run, secrets) !== undefined)) return true;
  if (run.length >= 20) return true;
  return /[A-Za-z]/.test(run) && /\d/.test(run);
}

/** The [start, end) spans of `text` to mask, sorted and merged. */
function secretSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(KEY_THEN_STRING)) {
    const body = m[4]!;
    if (body !== "" && anyGatewayNamesSecret(m[2]!)) {
      const end = m.index + m[0].length;
      spans.push([end - body.length, end]);
    }
  }
  for (const m of text.matchAll(RUN)) if (looksLikeMaterial(m[0])) spans.push([m.index, m.index + m[0].length]);
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

/** The text with secrets masked, and where a position of the original lands in it. */
export function redact(text: string): { text: string; map: (position: number) => number } {
  const spans = secretSpans(text);
  let out = "";
  let at = 0;
  const marks: { from: number; to: number; outStart: number }[] = [];
  for (const [from, to] of spans) {
    out += text.slice(at, from);
    marks.push({ from, to, outStart: out.length });
    out += MASK;
    at = to;
  }
  out += text.slice(at);
  const map = (position: number): number => {
    let shift = 0;
    for (const mark of marks) {
      if (position < mark.from) break;
      if (position < mark.to) return mark.outStart;
      shift += MASK.length - (mark.to - mark.from);
    }
    return position + shift;
  };
  return { text: out, map };
}

/** A line with secrets masked. */
export const redactLine = (line: string): string => redact(line).text;

/**
 * At most `width` characters of `line` around `column` (0-based), secrets masked, with "…" where it was cut, and
 * the caret's column in the excerpt. Only a bounded region around the column is looked at (a one-line file of
 * 50 MB costs no more than a short one).
 */
export function redactExcerpt(line: string, column: number, width: number): { excerpt: string; caret: number } {
  const margin = 400;
  const regionStart = Math.max(0, column - margin);
  const regionEnd = Math.min(line.length, column + margin);
  const { text, map } = redact(line.slice(regionStart, regionEnd));
  const caretAt = map(Math.min(column, line.length) - regionStart);
  const from = Math.max(0, Math.min(caretAt - Math.floor(width / 2), text.length - width));
  const to = Math.min(text.length, from + width);
  let excerpt = text.slice(from, to);
  let caret = caretAt - from;
  if (from > 0 || regionStart > 0) {
    excerpt = `…${excerpt}`;
    caret += 1;
  }
  if (to < text.length || regionEnd < line.length) excerpt += "…";
  return { excerpt, caret: Math.max(0, caret) };
}
