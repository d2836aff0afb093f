// The CLI's and the generator's modules import one way: no module reaches itself through its imports (issue 20.8:
// json-path → read-config → redact → tokens → validate → json-path was such a circle). Every relative import and
// re-export counts, `import type` included: a circle of types is still two modules that cannot be read apart.
import { readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Project } from "ts-morph";
import { describe, expect, it } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Module → the modules of the repository it imports (relative specifiers, `.js` written for `.ts`). */
function importGraph(roots: string[]): Map<string, string[]> {
  const project = new Project({ useInMemoryFileSystem: false, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
  const graph = new Map<string, string[]>();
  for (const file of roots.flatMap((root) => tsFiles(root))) {
    const source = project.addSourceFileAtPath(file);
    const specifiers = [
      ...source.getImportDeclarations().map((d) => d.getModuleSpecifierValue()),
      ...source.getExportDeclarations().flatMap((d) => d.getModuleSpecifierValue() ?? []),
    ];
    const targets = specifiers
      .filter((s) => s.startsWith("."))
      .map((s) => resolve(dirname(file), s).replace(/\.js$/, ".ts"))
      .filter((s) => s.endsWith(".ts"));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every circle (as a list of modules, the first repeated at the end), found by depth-first search. */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

describe("import graph", () => {
  it("finds a circle when there is one (the check can fail)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(circles(graph)).toEqual([["a", "b", "c", "a"]]);
  });

  it("cli/ and generator/ import one way", () => {
    const graph = importGraph([join(REPO, "cli"), join(REPO, "generator")]);
    // the walk saw the modules and their imports
    expect(graph.get(join(REPO, "cli/validate.ts"))).toContain(join(REPO, "cli/json-path.ts"));
    const named = circles(graph).map((circle) => circle.map((file) => relative(REPO, file)).join(" → "));
    expect(named, "import circles (split the shared part into a module both import)").toEqual([]);
  });
});
