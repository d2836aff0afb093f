// What changed in a gateway's options between two snapshots (`npm run sync-upstream -- <gateway> <version>`
// prints it): options added, removed, and retyped, by dotted path ("*" any name, "[]" any list element).
import { typeText } from "./emit/markdown.js";
import { walkFields, type IrModule } from "./ir.js";

/** Every option path with its type in words (shared types by name, nullability folded into "optional"). */
export function optionTypes(module: IrModule): Map<string, string> {
  const out = new Map<string, string>();
  walkFields(module, (field, path) => {
    const type = typeText(field.type, module).replace(/\]\(#[^)]*\)/g, "]").replace(/^null or /, "");
    out.set(path.join("."), type);
  });
  return out;
}

export interface OptionDiff {
  added: string[];
  removed: string[];
  retyped: { path: string; before: string; after: string }[];
}

export function diffOptions(before: IrModule, after: IrModule): OptionDiff {
  const a = optionTypes(before);
  const b = optionTypes(after);
  return {
    added: [...b.keys()].filter((path) => !a.has(path)).sort(),
    removed: [...a.keys()].filter((path) => !b.has(path)).sort(),
    retyped: [...b.entries()]
      .filter(([path, type]) => a.has(path) && a.get(path) !== type)
      .map(([path, after]) => ({ path, before: a.get(path)!, after }))
      .sort((x, y) => x.path.localeCompare(y.path)),
  };
}

/** The diff as text: counts, then every path (at most `limit` per kind, the rest counted). */
export function formatDiff(diff: OptionDiff, limit = 200): string {
  const lines = [`options added: ${diff.added.length}, removed: ${diff.removed.length}, retyped: ${diff.retyped.length}`];
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const item of items.slice(0, limit)) lines.push(`  ${item}`);
    if (items.length > limit) lines.push(`  … and ${items.length - limit} more`);
  };
  list("added", diff.added);
  list("removed", diff.removed);
  list("retyped", diff.retyped.map((r) => `${r.path}: ${r.before} → ${r.after}`));
  return lines.join("\n");
}
