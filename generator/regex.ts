// JavaScript regular expressions (upstream's JSON schema `pattern`s) → POSIX extended regular expressions as
// Nix's `builtins.match` runs them (libstdc++'s std::regex, `extended` grammar, matched against the WHOLE
// string, byte by byte). A pattern is translated only when both accept exactly the same strings; otherwise the
// result says why not, and the option is typed as a plain string (the gateway's validator, at build time,
// checks the pattern).
//
// The rules (each one proven against the real evaluator by tests/generator/regex-nix.test.ts):
//   - Whole-string matching. A JavaScript pattern is searched anywhere in the string: each top-level
//     alternative without `^` gets `.*` in front, without `$` gets `.*` behind (Nix's `.` matches every byte,
//     newlines included, as a search does). `^` and `$` anywhere else are refused.
//   - `(?![\s\S])` (zod's end of input) is `$`. Other lookaheads, lookbehinds, backreferences, word
//     boundaries and Unicode property escapes (`\p{…}`) are refused: POSIX has none.
//   - Groups `(…)`, `(?:…)`, `(?<name>…)` become `(…)`; quantifiers `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` are
//     kept (lazy ones become greedy: the same strings match as a whole).
//   - `\d` → `[0-9]`, `\w` → `[A-Za-z0-9_]`, `\D`, `\W` → their negated brackets; `\s` is JavaScript's whitespace:
//     `[[:space:]]` or one of the Unicode spaces written as literal characters (U+00A0, U+2000…); `\S`, and
//     negated classes holding `\s`, would have to exclude those multi-byte characters from a byte-wise
//     bracket: refused. `.` (which excludes line terminators, U+2028 and U+2029 too) is refused unless the
//     flag `s` is given, or it is in a part a search may leave out: what may match the empty string at an
//     unanchored end is dropped (`^-?[/].*` → `-?/.*`).
//   - Bracket expressions are rewritten from the set of characters they hold, in POSIX's form: `]` first,
//     `-` last, `^` never first, `\` an ordinary member, `[:space:]` for the ASCII whitespace. Characters
//     special outside brackets are escaped (`\.`, `\(`…); `]`, `}`, `/`, `-` are written bare (libstdc++
//     refuses `\]`, `\}`, `\/`, `\-`).
//   - Bytes, not characters. Nix reads a string as UTF-8 bytes, JavaScript as characters. A literal non-ASCII
//     character is its byte sequence (exact). A negated class matches any non-ASCII character in JavaScript
//     and each of its bytes in Nix: the two agree only on a run of it (`*`, `+`) that no other such class (nor
//     the `.*` of an unanchored end) can continue, since then both runs cover the same whole characters.
//     Anything else (`[^/]{3}`, `[^a]?`, `[^a]+[^b]*`) is refused.
//   - Flags: `u` (JSON schema's dialect) and `s` are understood; `i`, `m`, `y`, `v` are refused.

export type Translation = { ok: true; pattern: string } | { ok: false; reason: string };

class Untranslatable extends Error {}

const refuse = (reason: string): never => {
  throw new Untranslatable(reason);
};

/** JavaScript's `\s`: the ASCII whitespace and these. */
const UNICODE_SPACES = [0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
const ASCII_SPACES = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20];

/** A set of characters: ASCII members one by one; non-ASCII ones as a finite set or all but a finite set. */
interface CharSet {
  ascii: Set<number>;
  nonAscii: { all: true; except: Set<number> } | { all: false; only: Set<number> };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const DIGITS = range(0x30, 0x39);
const WORD = [...DIGITS, ...range(0x41, 0x5a), ...range(0x61, 0x7a), 0x5f];
const ALL_ASCII = range(0, 127);

const finite = (ascii: number[], nonAscii: number[] = []): CharSet => ({ ascii: new Set(ascii), nonAscii: { all: false, only: new Set(nonAscii) } });
const complement = (set: CharSet): CharSet => ({
  ascii: new Set(ALL_ASCII.filter((c) => !set.ascii.has(c))),
  nonAscii: set.nonAscii.all ? { all: false, only: new Set(set.nonAscii.except) } : { all: true, except: new Set((set.nonAscii as { only: Set<number> }).only) },
});
function union(a: CharSet, b: CharSet): CharSet {
  const ascii = new Set([...a.ascii, ...b.ascii]);
  const [x, y] = [a.nonAscii, b.nonAscii];
  if (!x.all && !y.all) return { ascii, nonAscii: { all: false, only: new Set([...(x as { only: Set<number> }).only, ...(y as { only: Set<number> }).only]) } };
  if (x.all && y.all) return { ascii, nonAscii: { all: true, except: new Set([...x.except].filter((c) => y.except.has(c))) } };
  const [all, some] = x.all ? [x, y as { only: Set<number> }] : [y as { all: true; except: Set<number> }, x as { only: Set<number> }];
  return { ascii, nonAscii: { all: true, except: new Set([...all.except].filter((c) => !some.only.has(c))) } };
}

const SPACE = finite(ASCII_SPACES, UNICODE_SPACES);
const classEscapes: Record<string, CharSet> = {
  d: finite(DIGITS),
  w: finite(WORD),
  s: SPACE,
  D: complement(finite(DIGITS)),
  W: complement(finite(WORD)),
  S: complement(SPACE),
};

// The translated pattern: a small tree printed as POSIX ERE.
type Node =
  | { k: "seq"; items: Node[] }
  | { k: "alt"; branches: Node[] }
  /** One element: `single` = takes a quantifier directly; `wide` = may match a part of a multi-byte character. */
  /** `refusal`: an element Nix cannot run, refused unless it is dropped (a nullable end of an unanchored pattern). */
  | { k: "atom"; ere: string; single: boolean; wide: boolean; examples: string[]; refusal?: string }
  | { k: "group"; body: Node }
  | { k: "repeat"; body: Node; min: number; max: number }
  | { k: "start" }
  | { k: "end" };

/** Characters with a meaning outside brackets in libstdc++'s extended grammar (`]` and `}` are ordinary). */
const SPECIAL = new Set("^$\\.*+?()[{|");

function literal(code: number): Node {
  const char = String.fromCodePoint(code);
  if (code < 0x20 || code === 0x7f) {
    if (code === 0x0a || code === 0x0d || code === 0x09) return { k: "atom", ere: char, single: true, wide: false, examples: [char] };
    refuse(`the control character U+${code.toString(16).padStart(4, "0").toUpperCase()}`);
  }
  if (code < 0x80) return { k: "atom", ere: SPECIAL.has(char) ? `\\${char}` : char, single: true, wide: false, examples: [char] };
  if (code >= 0xd800 && code <= 0xdfff) refuse("a lone surrogate");
  // A multi-byte character: its bytes in sequence, grouped when quantified.
  return { k: "atom", ere: char, single: false, wide: false, examples: [char] };
}

/** A bracket expression (or a lone character) for a set of ASCII characters. */
function bracket(members: Set<number>, negated: boolean): string {
  const codes = [...members].filter((c) => c !== 0).sort((a, b) => a - b);
  if (!negated && codes.length === 1) return (literal(codes[0]!) as { ere: string }).ere;
  if (negated && codes.length === 0) return ".";
  const has = new Set(codes);
  const parts: string[] = [];
  const specials = new Set([0x5d, 0x2d, 0x5e, 0x5b, 0x5c]); // ] - ^ [ \
  if (ASCII_SPACES.every((c) => has.has(c))) {
    parts.push("[:space:]");
    ASCII_SPACES.forEach((c) => has.delete(c));
  }
  const rest = [...has].filter((c) => !specials.has(c)).sort((a, b) => a - b);
  for (const c of rest) if (c < 0x20 || c === 0x7f) refuse(`the control character U+${c.toString(16).padStart(4, "0").toUpperCase()} in a class`);
  for (let i = 0; i < rest.length; ) {
    let j = i;
    while (j + 1 < rest.length && rest[j + 1] === rest[j]! + 1) j++;
    const [from, to] = [String.fromCharCode(rest[i]!), String.fromCharCode(rest[j]!)];
    parts.push(j - i >= 2 ? `${from}-${to}` : rest.slice(i, j + 1).map((c) => String.fromCharCode(c)).join(""));
    i = j + 1;
  }
  // `]` first, `^` anywhere but first, `\` an ordinary member, `[` before the end (never before `:`, `.`, `=`), `-` last.
  const head = has.has(0x5d) ? "]" : "";
  let body = parts.join("");
  if (has.has(0x5c)) body += "\\";
  if (has.has(0x5b)) body += "[";
  if (has.has(0x5e)) body = head === "" && body === "" && !negated ? (has.has(0x2d) ? "-^" : "^") : body + "^";
  const tail = has.has(0x2d) && !body.startsWith("-") ? "-" : "";
  const inner = head + body + tail;
  if (!negated && inner === "^") return "\\^";
  return `[${negated ? "^" : ""}${inner}]`;
}

/** Non-ASCII characters of 2, 3 and 4 bytes, for the examples of classes that hold them. */
const WIDE_EXAMPLES = ["é", "€", "😀"];

/** A few members of a set of ASCII characters: the first, the last, and some between. */
function someOf(codes: number[]): string[] {
  const sorted = codes.filter((c) => c !== 0).sort((a, b) => a - b);
  const picks = [0, sorted.length - 1, Math.floor(sorted.length / 2), Math.floor(sorted.length / 3)].filter((i) => i >= 0);
  return [...new Set(picks.map((i) => String.fromCharCode(sorted[i]!)))];
}

/** A class as an element: a bracket, or an alternation with literal multi-byte characters. */
function classNode(set: CharSet, source: string): Node {
  const na = set.nonAscii;
  if (na.all) {
    if (na.except.size > 0) {
      refuse(`${source} excludes non-ASCII characters (${[...na.except].slice(0, 3).map((c) => `U+${c.toString(16).toUpperCase()}`).join(", ")}…), which a bracket over bytes cannot`);
    }
    const ere = bracket(new Set(ALL_ASCII.filter((c) => !set.ascii.has(c))), true);
    return { k: "atom", ere, single: true, wide: true, examples: [...someOf([...set.ascii]), ...WIDE_EXAMPLES] };
  }
  const others = [...na.only].sort((a, b) => a - b);
  const ascii = [...set.ascii].filter((c) => c !== 0);
  if (ascii.length === 0 && others.length === 0) refuse(`${source} matches no character a Nix string can hold`);
  const alternatives = [...(ascii.length > 0 ? [bracket(new Set(ascii), false)] : []), ...others.map((c) => String.fromCodePoint(c))];
  const examples = [...someOf(ascii), ...others.slice(0, 2).map((c) => String.fromCodePoint(c))];
  if (alternatives.length === 1) return { k: "atom", ere: alternatives[0]!, single: others.length === 0, wide: false, examples };
  return { k: "atom", ere: `(${alternatives.join("|")})`, single: true, wide: false, examples };
}

/** Recursive descent over JavaScript's pattern syntax (the `u` dialect, as JSON schema's validators use). */
class Parser {
  private i = 0;
  private readonly chars: string[];
  constructor(
    source: string,
    private readonly dotAll: boolean,
  ) {
    this.chars = [...source];
  }

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.chars.length) refuse(`unexpected ${this.chars[this.i]} at ${this.i}`);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.i + offset];
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.peek() === "|") {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { k: "alt", branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.chars.length && this.peek() !== "|" && this.peek() !== ")") {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { k: "seq", items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const rest = this.chars.slice(this.i).join("");
      const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      if (!m) return refuse(`a lone { at ${this.i}`);
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      if (max < min) refuse(`the quantifier ${m[0]} is out of order`);
      if (min > 255 || (max !== Infinity && max > 255)) refuse(`the count ${m[0]} exceeds POSIX's RE_DUP_MAX (255)`);
      this.i += [...m[0]].length - 1;
    } else return atom;
    this.i++;
    if (this.peek() === "?") this.i++; // lazy: the same strings match as a whole
    if (atom.k === "start" || atom.k === "end") refuse("a quantified anchor");
    return { k: "repeat", body: atom, min, max };
  }

  private atom(): Node {
    const c = this.chars[this.i++]!;
    switch (c) {
      case "^":
        return { k: "start" };
      case "$":
        return { k: "end" };
      case ".":
        return {
          k: "atom",
          ere: ".",
          single: true,
          wide: true,
          examples: ["a", ...(this.dotAll ? ["\n"] : []), ...WIDE_EXAMPLES],
          ...(this.dotAll ? {} : { refusal: "`.`, which in JavaScript excludes line terminators (U+2028 and U+2029 among them) and in Nix matches every byte" }),
        };
      case "(":
        return this.group();
      case "[":
        return this.characterClass();
      case "\\":
        return this.escape(false) as Node;
      case "*":
      case "+":
      case "?":
      case "{":
        return refuse(`a quantifier without an atom at ${this.i - 1}`);
      case ")":
        return refuse(`an unmatched ) at ${this.i - 1}`);
      default:
        return literal(c.codePointAt(0)!);
    }
  }

  private group(): Node {
    const rest = this.chars.slice(this.i, this.i + 3).join("");
    if (rest.startsWith("?:")) this.i += 2;
    else if (rest.startsWith("?<") && rest !== "?<=" && rest !== "?<!") {
      while (this.i < this.chars.length && this.peek() !== ">") this.i++;
      this.i++;
    } else if (rest.startsWith("?")) {
      // zod's end of input: a negative lookahead of any character
      const lookahead = this.chars.slice(this.i).join("");
      const end = /^\?!(\[\\s\\S\]|\[\\S\\s\]|\[\^\]|\[\\d\\D\]|\[\\w\\W\])\)/.exec(lookahead);
      if (end) {
        this.i += [...end[0]].length;
        return { k: "end" };
      }
      if (rest.startsWith("?=") || rest.startsWith("?!")) refuse("a lookahead");
      if (rest.startsWith("?<=") || rest.startsWith("?<!")) refuse("a lookbehind");
      refuse("a group with flags");
    }
    const body = this.alternation();
    if (this.chars[this.i++] !== ")") refuse("an unclosed group");
    return { k: "group", body };
  }

  /** An escape; `inClass`: inside brackets (where `\b` is a backspace and `\-` a hyphen). Returns a code or a set. */
  private escape(inClass: boolean): Node | number | CharSet {
    const c = this.chars[this.i++];
    if (c === undefined) return refuse("a trailing backslash");
    const set = classEscapes[c];
    if (set) return inClass ? set : classNode(set, `\\${c}`);
    const code = ((): number => {
      switch (c) {
        case "n":
          return 0x0a;
        case "r":
          return 0x0d;
        case "t":
          return 0x09;
        case "f":
          return 0x0c;
        case "v":
          return 0x0b;
        case "0":
          if (/\d/.test(this.peek() ?? "")) refuse("an octal escape");
          return 0;
        case "x": {
          const hex = this.chars.slice(this.i, this.i + 2).join("");
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) refuse("a malformed \\x escape");
          this.i += 2;
          return parseInt(hex, 16);
        }
        case "u": {
          const rest = this.chars.slice(this.i).join("");
          const m = /^([0-9a-fA-F]{4})|^\{([0-9a-fA-F]{1,6})\}/.exec(rest);
          if (!m) return refuse("a malformed \\u escape");
          this.i += m[0].length;
          return parseInt(m[1] ?? m[2]!, 16);
        }
        case "b":
          if (inClass) return 0x08;
          return refuse("a word boundary \\b");
        case "B":
          return refuse("a word boundary \\B");
        case "p":
        case "P":
          return refuse(`a Unicode property escape \\${c}{…}`);
        case "k":
          return refuse("a named backreference");
        case "c":
          return refuse("a control escape \\c");
        default:
          if (/[1-9]/.test(c)) refuse("a backreference");
          if (/[A-Za-z]/.test(c)) refuse(`the unknown escape \\${c}`);
          return c.codePointAt(0)!;
      }
    })();
    if (inClass) return code;
    if (code === 0) refuse("NUL, which no Nix string holds");
    return literal(code);
  }

  private characterClass(): Node {
    const start = this.i - 1;
    const negated = this.peek() === "^";
    if (negated) this.i++;
    let set = finite([]);
    const member = (): number | CharSet => {
      const c = this.chars[this.i++]!;
      if (c === "\\") return this.escape(true) as number | CharSet;
      return c.codePointAt(0)!;
    };
    const add = (from: number, to: number): void => {
      const ascii = range(from, Math.min(to, 127));
      const wide = to >= 128 ? range(Math.max(from, 128), to) : [];
      if (wide.length > 64) refuse(`the range U+${from.toString(16)}–U+${to.toString(16)} of non-ASCII characters`);
      set = union(set, finite(from <= 127 ? ascii : [], wide));
    };
    while (this.peek() !== "]") {
      if (this.i >= this.chars.length) refuse("an unclosed class");
      const first = member();
      if (typeof first !== "number") {
        set = union(set, first);
        continue;
      }
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        this.i++;
        const last = member();
        if (typeof last !== "number") refuse("a range with a class escape");
        if ((last as number) < first) refuse("a range out of order");
        add(first, last as number);
      } else add(first, first);
    }
    this.i++;
    const source = this.chars.slice(start, this.i).join("");
    return classNode(negated ? complement(set) : set, source);
  }
}

function print(node: Node, top = false): string {
  switch (node.k) {
    case "seq":
      return node.items.map((item) => print(item)).join("");
    case "alt": {
      const text = node.branches.map((b) => print(b)).join("|");
      return top ? text : `(${text})`;
    }
    case "atom":
      if (node.refusal) refuse(node.refusal);
      return node.ere;
    case "group":
      return `(${print(node.body, true)})`;
    case "repeat": {
      const body = print(node.body);
      const operand = node.body.k === "group" || (node.body.k === "atom" && node.body.single) ? body : `(${body})`;
      const { min, max } = node;
      const q = min === 0 && max === Infinity ? "*" : min === 1 && max === Infinity ? "+" : min === 0 && max === 1 ? "?" : max === Infinity ? `{${min},}` : min === max ? `{${min}}` : `{${min},${max}}`;
      return operand + q;
    }
    case "start":
    case "end":
      return refuse("an anchor inside the pattern");
  }
}

type Position = { wide: boolean; runs: boolean };
interface Glushkov {
  nullable: boolean;
  first: Set<Position>;
  last: Set<Position>;
}

/**
 * The bytes-versus-characters rule: a wide element (a negated class) must be a run (`*`, `+`) and no other wide
 * element may directly follow or precede it (Glushkov's first/last/follow sets over the translated tree; the
 * `.*` of an unanchored end counts as wide).
 */
function checkWideRuns(items: Node[], anchoredStart: boolean, anchoredEnd: boolean): void {
  const follow = new Map<Position, Set<Position>>();
  const positions: Position[] = [];
  const link = (from: Set<Position>, to: Set<Position>): void => {
    for (const p of from) {
      const set = follow.get(p) ?? new Set();
      to.forEach((q) => set.add(q));
      follow.set(p, set);
    }
  };
  const analyse = (node: Node, runs: boolean): Glushkov => {
    switch (node.k) {
      case "atom": {
        if (node.refusal) refuse(node.refusal);
        const p: Position = { wide: node.wide, runs };
        positions.push(p);
        return { nullable: false, first: new Set([p]), last: new Set([p]) };
      }
      case "seq":
        return sequence(node.items.map((item) => analyse(item, false)));
      case "alt": {
        const parts = node.branches.map((b) => analyse(b, false));
        return {
          nullable: parts.some((p) => p.nullable),
          first: new Set(parts.flatMap((p) => [...p.first])),
          last: new Set(parts.flatMap((p) => [...p.last])),
        };
      }
      case "group":
        return analyse(node.body, false);
      case "repeat": {
        const isRun = node.body.k === "atom" && node.min <= 1 && node.max === Infinity;
        const body = analyse(node.body, isRun);
        if (node.max > 1) link(body.last, body.first);
        return { ...body, nullable: body.nullable || node.min === 0 };
      }
      case "start":
      case "end":
        return refuse("an anchor inside the pattern");
    }
  };
  const sequence = (parts: Glushkov[]): Glushkov => {
    const result: Glushkov = { nullable: true, first: new Set(), last: new Set() };
    for (const part of parts) {
      link(result.last, part.first);
      if (result.nullable) part.first.forEach((p) => result.first.add(p));
      result.last = part.nullable ? new Set([...result.last, ...part.last]) : new Set(part.last);
      result.nullable &&= part.nullable;
    }
    return result;
  };
  const pad = (): Glushkov => {
    const p: Position = { wide: true, runs: true };
    return { nullable: true, first: new Set([p]), last: new Set([p]) };
  };
  sequence([...(anchoredStart ? [] : [pad()]), ...items.map((item) => analyse(item, false)), ...(anchoredEnd ? [] : [pad()])]);
  for (const [p, next] of follow) {
    if (!p.wide) continue;
    for (const q of next) {
      if (q !== p && q.wide) refuse("two elements that match non-ASCII characters can follow each other (Nix counts bytes, JavaScript characters)");
    }
  }
  if (positions.some((p) => p.wide && !p.runs)) {
    refuse("an element that matches non-ASCII characters is not repeated with * or + (Nix counts bytes, JavaScript characters)");
  }
}

/** Can the element match the empty string? */
function nullable(node: Node): boolean {
  switch (node.k) {
    case "seq":
      return node.items.every(nullable);
    case "alt":
      return node.branches.some(nullable);
    case "group":
      return nullable(node.body);
    case "repeat":
      return node.min === 0 || nullable(node.body);
    case "atom":
      return false;
    case "start":
    case "end":
      return true;
  }
}

const cache = new Map<string, Translation>();

/** A JavaScript pattern (JSON schema `pattern`, `u` dialect) as a POSIX ERE for Nix's whole-string `builtins.match`. */
export function translateRegex(source: string, flags = "u"): Translation {
  const key = `${flags}/${source}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let result: Translation;
  try {
    const unknown = [...flags].filter((f) => f !== "u" && f !== "s" && f !== "g" && f !== "d");
    if (unknown.length > 0) refuse(`the flag ${unknown.join("")}`);
    const tree = new Parser(source, flags.includes("s")).parse();
    const branches = tree.k === "alt" ? tree.branches : [tree];
    const printed = branches.map((branch) => {
      let items = branch.k === "seq" ? [...branch.items] : [branch];
      let anchoredStart = false;
      let anchoredEnd = false;
      while (items[0]?.k === "start") {
        items = items.slice(1);
        anchoredStart = true;
      }
      while (items.at(-1)?.k === "end") {
        items = items.slice(0, -1);
        anchoredEnd = true;
      }
      // A search needs no more than a match of the rest: a nullable end of an unanchored side is dropped (`^-?\/.*` is `^-?\/`).
      while (!anchoredEnd && items.length > 0 && nullable(items.at(-1)!)) items = items.slice(0, -1);
      while (!anchoredStart && items.length > 0 && nullable(items[0]!)) items = items.slice(1);
      checkWideRuns(items, anchoredStart, anchoredEnd);
      const body = items.map((item) => print(item)).join("");
      return `${anchoredStart ? "" : ".*"}${body}${anchoredEnd ? "" : ".*"}`;
    });
    result = { ok: true, pattern: printed.join("|") };
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    result = { ok: false, reason: error.message };
  }
  cache.set(key, result);
  return result;
}

/**
 * Strings a translatable pattern accepts, drawn from its parse (a random walk: each alternative, repetition
 * counts at and above the minimum, each class's first, last and middle members and, for classes that hold
 * them, non-ASCII characters of 2, 3 and 4 bytes); unanchored ends get a few prefixes and suffixes. For tests.
 */
export function regexExamples(source: string, count: number, random: () => number, flags = "u"): string[] {
  const tree = new Parser(source, flags.includes("s")).parse();
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const walk = (node: Node): string => {
    switch (node.k) {
      case "seq":
        return node.items.map(walk).join("");
      case "alt":
        return walk(pick(node.branches));
      case "atom":
        return pick(node.examples);
      case "group":
        return walk(node.body);
      case "repeat": {
        const max = Math.min(node.max, node.min + 3);
        const n = pick([node.min, max, node.min + Math.floor(random() * (max - node.min + 1))]);
        return Array.from({ length: n }, () => walk(node.body)).join("");
      }
      case "start":
      case "end":
        return "";
    }
  };
  const ends = ["", "", "x", " ", "é", "\n", "-1"];
  const anchored = (node: Node, kind: "start" | "end"): boolean => {
    const items = node.k === "seq" ? node.items : [node];
    return (kind === "start" ? items[0] : items.at(-1))?.k === kind;
  };
  return Array.from({ length: count }, () => {
    const branch = tree.k === "alt" ? pick(tree.branches) : tree;
    return (anchored(branch, "start") ? "" : pick(ends)) + walk(branch) + (anchored(branch, "end") ? "" : pick(ends));
  });
}
