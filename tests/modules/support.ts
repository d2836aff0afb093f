// Evaluating the modules' builtins-only rendering functions (modules/lib/) from tests.
import { nixEval as evalNix, nixStr, t1Sources } from "../support/nix.js";

export const FAKE_PACKAGE = "/nix/store/00000000000000000000000000000000-clawdbot-gateway";

export interface Credential {
  name: string;
  file: string;
}

export interface Rendered {
  unitName: string;
  unitText: string;
  configText: string;
  configFile: string;
  launcher: string;
  environment: Record<string, string>;
  credentials: Credential[];
  argv: string[];
  execStart: string;
  failed: string[];
  settings: Record<string, unknown>;
  options: Record<string, unknown>;
}

export interface RenderInput {
  package?: string;
  shell?: string;
  name?: string;
  system?: string;
  path?: string[];
  /** Home Manager / nix-darwin. */
  home?: string;
  darwin?: boolean;
  platform?: string;
  options?: Record<string, unknown>;
}

/** Evaluate strictly to JSON in read-write mode (the rendered config file and the launcher are really
 * written to the store, so that a test can run them): tests/support/nix.ts nixEval. */
export const nixEval = (expression: string) => evalNix(expression, { readWrite: true });

/** A Nix expression for a JSON-able value. */
export const nixJson = (value: unknown): string => `(builtins.fromJSON ${nixStr(JSON.stringify(value))})`;

const FIELDS = [
  "unitName",
  "unitText",
  "configText",
  "configFile",
  "launcher",
  "environment",
  "credentials",
  "argv",
  "execStart",
  "failed",
  "settings",
  "options",
];

// Clawdbot's renderings (FAKE_PACKAGE is its package): the gateway is a required argument of tests/support/nix/.
function callExpr(file: string, input: RenderInput): string {
  const args = { package: FAKE_PACKAGE, shell: "/bin/sh", ...input };
  return `import ./tests/support/nix/${file} (${nixJson(args)} // { gateway = (import ./modules/lib/gateways.nix).clawdbot; })`;
}

function evalFields(expr: string): Rendered {
  const full = `let r = ${expr}; in { ${FIELDS.map((f) => `${f} = r.${f};`).join(" ")} }`;
  const result = nixEval(full);
  if (!result.ok) throw new Error(`nix evaluation failed:\n${result.stderr}`);
  return result.value as Rendered;
}

/** modules/lib/nixos-unit.nix with these inputs (through tests/support/nix/: defaults, lib stand-in, unit file). */
export const renderNixos = (input: RenderInput = {}): Rendered => evalFields(callExpr("nixos-unit.nix", input));

/** modules/lib/hm-unit.nix with these inputs (home defaults to /home/alice), through tests/support/nix/. */
export const renderHm = (input: RenderInput = {}): Rendered & { agent: Record<string, unknown> } => {
  const expr = callExpr("hm-unit.nix", { home: "/home/alice", ...input });
  const result = nixEval(`let r = ${expr}; in { ${FIELDS.map((f) => `${f} = r.${f};`).join(" ")} agent = r.agent; }`);
  if (!result.ok) throw new Error(`nix evaluation failed:\n${result.stderr}`);
  return result.value as Rendered & { agent: Record<string, unknown> };
};

/** The failed assertion messages between instances (modules/lib/render.nix crossAssertions). */
export function crossFailures(instances: RenderInput[]): string[] {
  const list = instances
    .map((i) => `(${callExpr("nixos-unit.nix", i)}).render`)
    .join(" ");
  const result = nixEval(
    `map (a: a.message) (builtins.filter (a: !a.assertion) ((import ./modules/lib/render.nix { lib = import ./tests/support/nix/lib.nix; }).crossAssertions [ ${list} ]))`,
  );
  if (!result.ok) throw new Error(`nix evaluation failed:\n${result.stderr}`);
  return result.value as string[];
}

/** The values of the repeated KEY= lines in SECTION of a unit text. */
export function unitValues(unitText: string, section: string, key: string): string[] {
  const body = unitText.split(new RegExp(`^\\[${section}\\]\\s*$`, "m"))[1]?.split(/^\[/m)[0] ?? "";
  return [...body.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1]!);
}

/** The T1 harness (tests/fixtures/modules/t1/eval.nix) with the T1 sources this run has. */
export const t1Harness = (): string => {
  const t1 = t1Sources();
  return `(import ./tests/fixtures/modules/t1/eval.nix { nixpkgsLib = ${nixStr(t1.nixpkgsLib ?? "")}; ${
    t1.homeManager ? `homeManager = ${nixStr(t1.homeManager)};` : ""
  } })`;
};

/** Evaluate `body` with `t` bound to the T1 harness; throws with the evaluation's error. */
export function evalT1<T = any>(body: string): T {
  const r = nixEval(`let t = ${t1Harness()}; in ${body}`);
  if (!r.ok) throw new Error(`nix evaluation failed:\n${r.stderr}`);
  return r.value as T;
}

/** The same, expecting an evaluation error: its text. */
export function evalT1Error(body: string): string {
  const r = nixEval(`let t = ${t1Harness()}; in ${body}`);
  if (r.ok) throw new Error(`expected an evaluation error, got ${JSON.stringify(r.value).slice(0, 400)}`);
  return r.stderr;
}
