// Measures of the option text a gateway's generated files give a reader (issue 20.4, "option text that
// helps"), read from the files themselves: the typed options (settings.nix), the options reference (Markdown)
// and the published JSON schema (for upstream's labels). Run alone it prints each gateway's figures:
//   npx tsx generator/text-measure.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GATEWAYS, GATEWAY_NAMES, type GatewayName } from "./gateways.js";
import { repeatedRuns } from "./measure.js";

export interface TextFigures {
  /** `lib.mkOption`s in settings.nix, and those of them with a `description`. */
  options: number;
  described: number;
  /** Descriptions that only restate the type ("One of `"a"`, `"b"`."): nothing but the enum's values. */
  restating: number;
  /** Sections (`### …`) of the reference, and those with no text beyond type, default and "Used at". */
  sections: number;
  sectionsWithoutText: number;
  /** Descriptions whose first paragraph is a label run into more text ("Gateway Port. The port …") or two labels ("A / B"). */
  gluedLabels: number;
  /** Runs of 6+ repeated lines in settings.nix (generator/measure.ts). */
  repeatedRuns: number;
}

/** The `description = "…";` of each `lib.mkOption { … }` in a generated Nix file (undefined: none). */
export function optionDescriptions(nix: string): (string | undefined)[] {
  const lines = nix.split("\n");
  const out: (string | undefined)[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)\S.*= lib\.mkOption \{$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    let description: string | undefined;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!;
      const lead = line.length - line.trimStart().length;
      if (lead <= indent && line.trim() !== "") break;
      const match = lead === indent + 2 ? /^\s*description = (".*");$/.exec(line) : null;
      if (match) description = JSON.parse(match[1]!.replace(/\\\$\{/g, "${")) as string;
    }
    out.push(description);
  }
  return out;
}

/** Every label upstream gives (`x-label` anywhere in the published schema). */
export function labelsOf(schema: unknown): Set<string> {
  const labels = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "x-label" && typeof value === "string") labels.add(value);
      else visit(value);
    }
  };
  visit(schema);
  return labels;
}

const CHOICES = /^One of (`[^`]*`(, )?)+\.$/;

/** Nothing but the values of an enum (which the type already lists). */
export const onlyRestatesType = (description: string): boolean => CHOICES.test(description.trim());

/** The first paragraph runs a label into more text, or joins two labels with " / ". */
export function gluesLabel(description: string, labels: ReadonlySet<string>): boolean {
  const first = description.split("\n\n")[0]!.trim();
  for (const label of labels) {
    if (first.includes(`${label} / `) || first.includes(` / ${label}`)) return true;
    if (first.startsWith(`${label}. `) || first.startsWith(`${label}: `)) return true;
  }
  return false;
}

/** The reference's sections and those with nothing to read but the type, the default and where a type is used. */
export function sectionsOf(markdown: string): { sections: number; withoutText: number } {
  const parts = markdown.split(/^### /m).slice(1);
  let withoutText = 0;
  for (const part of parts) {
    const body = part.split("\n").slice(1).map((line) => line.trim());
    const text = body.filter(
      (line) =>
        line !== "" &&
        !line.startsWith("## ") &&
        !/^- (Type|Default|Platforms|Example):/.test(line) &&
        !line.startsWith("Used at:") &&
        !line.startsWith("<a id=") &&
        // a shared type's field without words: "- `….x` (type)"
        !/^- `[^`]+` \(.*\)$/.test(line) &&
        // Markdown prose after the last section (the end of the document's text is not this section's)
        !line.startsWith("Upstream's hints name") &&
        !line.startsWith("Object types that occur"),
    );
    if (text.length === 0) withoutText++;
  }
  return { sections: parts.length, withoutText };
}

export function measureText(input: { nix: string; markdown: string; schema: unknown }): TextFigures {
  const descriptions = optionDescriptions(input.nix);
  const labels = labelsOf(input.schema);
  const given = descriptions.filter((d): d is string => d !== undefined);
  const { sections, withoutText } = sectionsOf(input.markdown);
  return {
    options: descriptions.length,
    described: given.filter((d) => !onlyRestatesType(d)).length,
    restating: given.filter(onlyRestatesType).length,
    sections,
    sectionsWithoutText: withoutText,
    gluedLabels: given.filter((d) => gluesLabel(d, labels)).length,
    repeatedRuns: repeatedRuns(input.nix),
  };
}

export const REPO_ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..");

/** A gateway's figures from its committed generated files (`generate --check` keeps them current). */
export function measureGateway(name: GatewayName, root = REPO_ROOT): TextFigures {
  const { outputs } = GATEWAYS[name];
  const read = (path: string) => readFileSync(join(root, path), "utf8");
  return measureText({ nix: read(outputs.settings), markdown: read(outputs.docs), schema: JSON.parse(read(outputs.schema)) });
}

export function formatFigures(name: string, f: TextFigures): string {
  return (
    `${name}: mkOptions with a description ${f.described}/${f.options} (${f.options - f.described - f.restating} without, ` +
    `${f.restating} only restating the type); reference sections without text ${f.sectionsWithoutText}/${f.sections}; ` +
    `glued labels ${f.gluedLabels}; repeated runs (6+ lines) in settings.nix ${f.repeatedRuns}`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of GATEWAY_NAMES) console.log(formatFigures(name, measureGateway(name)));
}
