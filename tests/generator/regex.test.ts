// The JavaScript → POSIX ERE translator's rules (generator/regex.ts), case by case. Whether Nix reads each
// translation as JavaScript reads the source is proven with the real evaluator in regex-nix.test.ts.
import { describe, expect, it } from "vitest";
import { regexExamples, translateRegex } from "../../generator/regex.js";

const ok = (source: string, flags?: string): string => {
  const result = translateRegex(source, flags);
  if (!result.ok) throw new Error(`${source}: ${result.reason}`);
  return result.pattern;
};
const refused = (source: string, flags?: string): string => {
  const result = translateRegex(source, flags);
  if (result.ok) throw new Error(`${source} was translated to ${result.pattern}`);
  return result.reason;
};

describe("regex translator: JavaScript pattern → POSIX ERE for builtins.match", () => {
  it("whole-string matching: anchors dropped, an unanchored end gets .*", () => {
    expect(ok("^\\d+$")).toBe("[0-9]+");
    expect(ok("^https?:\\/\\/")).toBe("https?://.*");
    expect(ok("abc")).toBe(".*abc.*");
    expect(ok("^a|b$")).toBe("a.*|.*b");
    expect(refused("a^b")).toMatch(/anchor inside/);
    expect(refused("(?:^a)")).toMatch(/anchor inside/);
  });

  it("escapes: \\d, \\w, \\D, \\W; \\s with JavaScript's Unicode spaces; \\S and [^\\s…] refused", () => {
    expect(ok("^\\w$")).toBe("[0-9A-Z_a-z]");
    expect(ok("^\\D+$")).toBe("[^0-9]+");
    expect(ok("^\\W*$")).toBe("[^0-9A-Z_a-z]*");
    expect(ok("^\\s$")).toMatch(/^\(\[\[:space:\]\]\|\u00a0\|/);
    expect(ok("^\\s$")).toContain("\u3000");
    expect(refused("\\S")).toMatch(/excludes non-ASCII characters \(U\+A0/);
    expect(refused("^[^\\s:]+$")).toMatch(/excludes non-ASCII/);
    expect(ok("^[\\s\\S]*$")).toBe(".*");
  });

  it("brackets in POSIX form: ] first, - last, ^ not first, \\ and [ ordinary members", () => {
    expect(ok("^[^.[\\]]+$")).toBe("[^].[]+");
    expect(ok("^[a\\-z]$")).toBe("[az-]");
    expect(ok("^[\\^a]$")).toBe("[a^]");
    expect(ok("^[\\^]$")).toBe("\\^");
    expect(ok("^[\\^\\-]$")).toBe("[-^]");
    expect(ok("^[\\\\/]$")).toBe("[/\\]");
    expect(ok("^[-]$")).toBe("-");
    expect(ok("^[^\\\\/?#@]+$")).toBe("[^#/?@\\]+");
  });

  it("literals: specials escaped, ] } / - bare (libstdc++ refuses \\] \\} \\/ \\-), non-ASCII as bytes", () => {
    expect(ok("^a\\.b\\(c\\)\\[d\\]\\{e\\}\\/f-g\\|h\\*\\+\\?\\^\\$\\\\$")).toBe("a\\.b\\(c\\)\\[d]\\{e}/f-g\\|h\\*\\+\\?\\^\\$\\\\");
    expect(ok("^é+$")).toBe("(é)+");
    expect(ok("^[aé]$")).toBe("(a|é)");
  });

  it("groups and quantifiers: (?:…) and (?<n>…) are (…); {n}, {n,}, {n,m}; lazy is greedy", () => {
    expect(ok("^(?:ab|c)(?<x>d){2}e{1,}f{0,3}?$")).toBe("(ab|c)(d){2}e+f{0,3}");
    expect(refused("^a{256}$")).toMatch(/RE_DUP_MAX/);
  });

  it("(?![\\s\\S]) is the end of the string; other lookarounds, backreferences, \\b, \\p{…}, . are refused", () => {
    expect(ok("^(?:\\d+[hd])(?![\\s\\S])")).toBe("([0-9]+[dh])");
    expect(refused("^(?!x)y$")).toBe("a lookahead");
    expect(refused("^(?<=x)y$")).toBe("a lookbehind");
    expect(refused("^(a)\\1$")).toBe("a backreference");
    expect(refused("\\bword")).toMatch(/word boundary/);
    expect(refused("^[^\\p{Cs}]+$")).toMatch(/Unicode property/);
    expect(refused("^a.b$")).toMatch(/line terminators/);
    expect(ok("^a.*$", "us")).toBe("a.*");
    // what a search may leave out is dropped: the nullable end of an unanchored side
    expect(ok("^-?[/].*")).toBe("-?/.*");
    expect(ok("a*b(?:.c)?")).toBe(".*b.*");
    expect(refused("^a.*$")).toMatch(/line terminators/);
    expect(refused("^a$", "i")).toBe("the flag i");
  });

  it("bytes versus characters: a negated class must be a run (* or +) that no other one continues", () => {
    expect(ok("^x[^/]+y$")).toBe("x[^/]+y");
    expect(ok("^[^a-z]*[a-z]+(?:[^a-z]+[a-z]+)?[^a-z]*$")).toBe("[^a-z]*[a-z]+([^a-z]+[a-z]+)?[^a-z]*");
    expect(refused("^[^/]$")).toMatch(/not repeated with \* or \+/);
    expect(refused("^[^/]?$")).toMatch(/not repeated/);
    expect(refused("^[^/]{3}$")).toMatch(/not repeated/);
    expect(refused("^[^a]+[^b]*$")).toMatch(/follow each other/);
    expect(refused("^[^a]+b?[^c]+$")).toMatch(/follow each other/);
    // the .* of an unanchored end is such a run too
    expect(refused("[^a]+$")).toMatch(/follow each other/);
    expect(ok("x[^a]+y")).toBe(".*x[^a]+y.*");
  });

  it("examples drawn from a pattern are accepted by JavaScript", () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (const source of ["^[a-z][a-z0-9_-]{0,63}$", "^[^.[\\]]+$", "^(?:a|bc)+d?$", "^https?:\\/\\/", "\\d"]) {
      const re = new RegExp(source, "u");
      for (const example of regexExamples(source, 20, random)) expect(re.test(example), `${source} on ${JSON.stringify(example)}`).toBe(true);
    }
  });
});
