// `clawdbot-nix import <path>`: a live clawdbot.json → a Nix module for services.clawdbot (default.nix) and its
// settings (settings.nix), with every secret moved to a 0600 file in the output's own secrets folder. The same for
// an openclaw.json → services.openclaw: every step reads the target (cli/targets.ts: module, config name, variable
// prefix, schema, secret facts, validator), --target's or detected; there is one import, not one per gateway.
//
// planImport is a pipeline of named steps, each deciding one thing and writing nothing:
//   checkSource → layOut → serviceOptions → moveSecrets → notesAbout → settingsFile / moduleFile → planWrites
// runImport then writes everything atomically (temporary names, then renames; on failure nothing is left).
//
// Nothing is ever lost: the output folder and the secrets folder each hold a record of what the last import wrote
// (.clawdbot-nix-import.json, with a hash per file). A file that changed since then, or that no import wrote, is
// not replaced without --force, which first keeps a copy (<file>.bak-<time>). Secret files this import no longer
// writes are listed, never deleted. Each output owns its secrets folder: one that belongs to another output is
// refused.
import { createHash } from "node:crypto";
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { nixName, nixString } from "../generator/emit/nix-text.js";
import { checkValue, readForTarget, type CheckOptions, type UpstreamLayer } from "./check.js";
import { ConversionError, convertSource, type FromName } from "./convert-import.js";
import { samePath, startsWith, valueAt, type Segment } from "./json-path.js";
import { attributes, NixRaw, secretRef, type Tree } from "./nix-writer.js";
import { collectEnvReferences, envNames, isPlainObject, type Json, type JsonObject, type ReadConfig, type ReadOptions } from "./read-config.js";
import { detectTarget, TARGETS, targetLine, type Target, type TargetChoice } from "./targets.js";
import { tokenReason } from "./tokens.js";
import { contentTarget, displayPath, formatProblem, helpAt, isSecretPath, type Problem } from "./validate.js";
import { evaluateImport, locateEvaluator, PLATFORM_NAMES, type Verification, type VerifyOptions } from "./verify.js";

export class ImportError extends Error {
  constructor(
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = "ImportError";
  }
}

export interface ImportOptions extends ReadOptions, CheckOptions, VerifyOptions {
  /** Directory for default.nix and settings.nix (default: ./<target>, e.g. ./clawdbot, ./openclaw). */
  out?: string;
  /** Directory for the secret files (0700; files 0600). Default: one per output, see defaultSecretsDir. */
  secretsDir?: string;
  /** Replace files changed since the last import (or written by no import), keeping a backup of each. */
  force?: boolean;
  /** Write `services.<target>.instances.<name>` instead of `services.<target>` (a second gateway). */
  instance?: string;
  /** Ports of other gateways on the machine: the imported port keeps 5 away from them (and an instance's from 18789). */
  avoidPorts?: number[];
  /** --from clawdbot: a Clawdbot config, converted for OpenClaw first (cli/convert-import.ts). */
  from?: FromName;
}

/** The first line of every Nix file the import writes. */
export const MARKER = "written by `clawdbot-nix import`";
/** The record of what an import wrote, in the output folder and in the secrets folder. */
export const RECORD = ".clawdbot-nix-import.json";
/** The environment file of token-like values, and their variables' prefix: `<name>.env`, `<PREFIX>_IMPORTED_`. */
export const envFileName = (target: Target): string => `${target.name}.env`;
export const envVariablePrefix = (target: Target): string => `${target.gateway.envPrefix}_IMPORTED_`;

/** The gateway's default port, and how far apart two gateways' ports must be (port … port + 4). */
export const DEFAULT_PORT = 18789;
export const PORT_SPAN = 5;

/** Where one secret went. */
export interface Move {
  path: Segment[];
  /** "file": `{ _secret = file; }` in settings; "service": a service option's *File; "env": `${VAR}` + env file. */
  form: "file" | "service" | "env";
  file: string;
  /** The service option that names the file (form "service"). */
  option?: string;
  /** The variable (form "env"). */
  variable?: string;
  reason: string;
}

/** Something the modules would refuse as imported, and how to fix it (printed, and written into default.nix). */
export interface Fix {
  /** The option at fault (`services.clawdbot.bind`, `services.openclaw.settings.gateway.mode`). */
  option: string;
  problem: string;
  fix: string;
  /** The modules' own words for it, when the import's evaluation found it: the failed assertion's message, or nix's error. */
  module?: string;
}

/** A key the modules cannot take as it is, left out of settings.nix (named there, and printed). */
export interface LeftOut {
  path: Segment[];
  /** Why the modules refuse it (the schema layer's or the gateway's words). */
  why: string;
  fix: string;
}

/** A file the import would replace although it changed since the last import (or no import wrote it). */
export interface Conflict {
  path: string;
  why: string;
}

export interface PlannedFile {
  path: string;
  text: string;
  mode: number;
  /** Replace an existing file only after copying it to a backup (--force over a conflict). */
  backup?: boolean;
}

export interface ImportResult {
  source: ReadConfig;
  /** The gateway imported for, and why. */
  choice: TargetChoice;
  out: string;
  secretsDir: string;
  files: { path: string; mode: number }[];
  moves: Move[];
  /** Service options the config implies, as set in default.nix. */
  service: { port?: number; bind?: string; auth?: { mode: string; tokenFile?: string; passwordFile?: string }; plugins?: string[] };
  /** Settings keys moved to service options, or dropped because a service option owns them (removed from settings.nix). */
  movedToService: Segment[][];
  /** `${VAR}` references kept as they are: variable → paths. */
  variables: Map<string, Segment[][]>;
  warnings: Problem[];
  /** What the modules would refuse, with the fix: the import is blocked until they are made. */
  fixes: Fix[];
  /** Keys left out of settings.nix because the modules cannot take them (the gateway accepted or ignored them). */
  leftOut: LeftOut[];
  /** Whether the written files were evaluated through the modules (cli/verify.ts), and their verdict. */
  verification: Verification;
  notes: string[];
  /** Files that would be replaced although changed since the last import (refused without --force). */
  conflicts: Conflict[];
  /** Files in the secrets folder(s) that this import does not write: kept, listed. */
  unusedSecrets: string[];
  /** Backups written by --force (filled in by runImport). */
  backups: { file: string; backup: string }[];
  upstream: UpstreamLayer;
  /** The settings as written (secrets as references), for comparison with what the module renders. */
  settings: JsonObject;
}

export interface Plan {
  result: ImportResult;
  texts: PlannedFile[];
}

export function defaultSecretsRoot(): string {
  const config = process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(config, "clawdbot-nix", "secrets");
}

/** The secrets folder an output owns by default: named after the output (its name and a hash of its path). */
export function defaultSecretsDir(out: string): string {
  const hash = createHash("sha256").update(out).digest("hex").slice(0, 8);
  return join(defaultSecretsRoot(), `${basename(out).replace(/[^A-Za-z0-9._-]+/g, "_") || "root"}-${hash}`);
}

const sha256 = (text: string | Buffer): string => `sha256-${createHash("sha256").update(text).digest("base64")}`;

const isInside = (child: string, parent: string): boolean => {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
};

// ---------------------------------------------------------------------------------------------------------------
// Step 1: the source, read and checked like `clawdbot-nix check` (both layers). Any error stops the import.

async function checkSource(
  input: string,
  options: ImportOptions,
): Promise<{ source: ReadConfig; choice: TargetChoice; problems: Problem[]; upstream: UpstreamLayer; converted: string[]; migrated: string[] }> {
  const read = readForTarget(input, options);
  const { choice } = read;
  let source = read.source;
  let migrated: string[] = [];
  if (options.from) {
    try {
      ({ source, moved: migrated } = await convertSource(source, choice, options.from, options));
    } catch (error) {
      throw error instanceof ConversionError ? new ImportError(error.message) : error;
    }
  }
  const target = choice.target;
  const verdict = await checkValue(source, { ...options, target: target.name });
  const errors = verdict.problems.filter((p) => !p.warning);
  if (errors.length > 0) {
    const legacy = errors.some((p) => p.kind === "legacy");
    // a config another gateway wrote (a Clawdbot config imported for OpenClaw): what this one refuses, and how on
    const other = detectedOther(source, choice);
    throw new ImportError(
      `${source.file} does not validate against the ${target.name} ${target.version} config (${errors.length} problem${errors.length === 1 ? "" : "s"}; ${targetLine(choice)}):\n` +
        errors.map(formatProblem).join("\n") +
        (legacy ? `\nLegacy keys: move them as the hints say (or run \`${target.gateway.packageName} doctor --fix\` once with the old install), then import again.` : "") +
        (other
          ? `\nThis config was written for ${other.displayName}: change the keys above in a copy (or let \`${target.gateway.packageName} doctor --fix\` migrate a copy), then import the copy again.`
          : ""),
      errors,
    );
  }
  if (verdict.normalized) {
    // The gateway rewrites this config whenever it reads it (its own functions, run by its validator): the
    // typed settings know only the rewritten keys, so that is what is imported. It must validate as it is.
    const value = verdict.normalized.config;
    const normalized: ReadConfig = { ...source, value, envReferences: collectEnvReferences(value) };
    const again = await checkValue(normalized, { ...options, target: target.name });
    const left = again.problems.filter((p) => !p.warning);
    if (left.length > 0) {
      throw new ImportError(
        `${source.file}: as ${target.displayName} ${target.version} normalizes it on reading (${verdict.normalized.diagnostics.join(" ")}), the config does not validate:\n` + left.map(formatProblem).join("\n"),
        left,
      );
    }
    return { source: normalized, choice, problems: again.problems, upstream: again.upstream, converted: verdict.normalized.diagnostics, migrated };
  }
  return { source, choice, problems: verdict.problems, upstream: verdict.upstream, converted: [], migrated };
}

/** The gateway the config looks written for, when --target chose another one. */
function detectedOther(source: ReadConfig, choice: TargetChoice): Target | undefined {
  if (!choice.reason.startsWith("--target")) return undefined;
  const detected = detectTarget(source.file, source.value, undefined, contentTarget).target;
  return detected.name !== choice.target.name ? detected : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 2: where things go. The output folder must be (or become) a folder we can write; the secrets folder is
// outside it, outside the Nix store, and owned by this output.

/** A path with its existing prefix resolved through symlinks (so /tmp vs /private/tmp compare equal). */
function canonical(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return join(existing, ...rest);
  }
}

/** Why `dir` cannot be (made) a folder we write into, or undefined when it can. */
export function folderProblem(dir: string, what: string): string | undefined {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const stat = statSync(existing, { throwIfNoEntry: false });
  if (!stat) return `${what} ${dir}: cannot be created (${existing} is not reachable)`;
  if (!stat.isDirectory()) {
    return existing === dir
      ? `${what} ${dir} is a file, not a folder: give a folder (it is created if missing)`
      : `${what} ${dir} cannot be created: ${existing} is a file, not a folder`;
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    return existing === dir ? `${what} ${dir} is not writable by this user` : `${what} ${dir} cannot be created: ${existing} is not writable by this user`;
  }
  return undefined;
}

function gitWorkTree(path: string): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

interface Layout {
  target: Target;
  out: string;
  secretsDir: string;
  instance?: string;
  prefix: string;
  notes: string[];
}

function layOut(options: ImportOptions, target: Target): Layout {
  const instance = options.instance;
  const module = target.gateway.module;
  if (instance !== undefined && (!/^[A-Za-z0-9_-]+$/.test(instance) || instance === "default")) {
    throw new ImportError(`--instance ${JSON.stringify(instance)}: use letters, digits, "-" and "_" ("default" is ${module} itself)`);
  }
  const cwd = options.cwd ?? process.cwd();
  const out = canonical(resolve(cwd, options.out ?? target.name));
  const secretsDir = canonical(options.secretsDir !== undefined ? resolve(cwd, options.secretsDir) : defaultSecretsDir(out));
  for (const [dir, what] of [
    [out, "--out"],
    [secretsDir, "the secrets folder"],
  ] as const) {
    const problem = folderProblem(dir, what);
    if (problem) throw new ImportError(problem);
  }
  if (isInside(secretsDir, out)) {
    throw new ImportError(`the secrets folder ${secretsDir} is inside the output folder ${out}: choose one outside it (--secrets-dir), so no secret sits next to the Nix sources (which are committed, and copied to the Nix store with a flake)`);
  }
  if (isInside(out, secretsDir)) throw new ImportError(`the output folder ${out} is inside the secrets folder ${secretsDir}: keep them apart`);
  if (secretsDir.startsWith("/nix/store/")) throw new ImportError(`the secrets folder ${secretsDir} is in the Nix store, which is world-readable`);
  const notes: string[] = [];
  const repository = gitWorkTree(secretsDir);
  if (repository) notes.push(`the secrets folder ${secretsDir} is inside the git work tree ${repository}: make sure it is ignored (.gitignore) or move it out.`);
  const prefix = instance === undefined ? module : `${module}.instances.${instance}`;
  return { target, out, secretsDir, prefix, notes, ...(instance !== undefined ? { instance } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets: the files and the environment file this import writes into the secrets folder.

/** A file-name-safe rendering of a path: `channels.telegram.accounts.main.botToken`. */
function secretName(path: Segment[]): string {
  return path.map((s) => String(s).replace(/[^A-Za-z0-9_-]+/g, "_")).join(".");
}

function variableName(path: Segment[], prefix: string): string {
  const words = path.map((s) =>
    String(s)
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/[^A-Za-z0-9]+/g, "_")
      .toUpperCase(),
  );
  return prefix + words.join("_").replace(/_+/g, "_").replace(/^_|_$/g, "");
}

/** A `NAME=value` line systemd's EnvironmentFile= and a POSIX shell read the same way. */
function envLine(name: string, value: string, path: Segment[]): string {
  if (/^[A-Za-z0-9_@%+=:,./-]*$/.test(value)) return `${name}=${value}\n`;
  if (!value.includes("'") && !/[\n\r]/.test(value)) return `${name}='${value}'\n`;
  throw new ImportError(
    `${displayPath(path)}: the value looks like a secret but contains a quote or a line break, which an environment file cannot carry; move it to a file by hand (or use \${VAR}) and import again`,
  );
}

class SecretSink {
  readonly moves: Move[] = [];
  readonly files: PlannedFile[] = [];
  private readonly usedFiles = new Set<string>();
  private readonly usedVariables = new Set<string>();
  private readonly envLines: string[] = [];

  constructor(
    readonly dir: string,
    readonly target: Target,
  ) {}

  private static unique(base: string, used: Set<string>, separator: string): string {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}${separator}${i}`;
    used.add(name);
    return name;
  }

  /** The value in a file of its own; returns the file. */
  file(path: Segment[], value: string): string {
    const file = join(this.dir, SecretSink.unique(secretName(path), this.usedFiles, "-"));
    this.files.push({ path: file, text: value, mode: 0o600 });
    return file;
  }

  /** The value as a variable of the environment file; returns the variable. */
  variable(path: Segment[], value: string, reason: string): string {
    const variable = SecretSink.unique(variableName(path, envVariablePrefix(this.target)), this.usedVariables, "_");
    this.envLines.push(envLine(variable, value, path));
    this.moves.push({ path, form: "env", file: this.envFile, variable, reason });
    return variable;
  }

  get envFile(): string {
    return join(this.dir, envFileName(this.target));
  }

  get hasEnv(): boolean {
    return this.envLines.length > 0;
  }

  /** Every secret file, the environment file last. */
  planned(): PlannedFile[] {
    if (!this.hasEnv) return this.files;
    const text = "# Written by clawdbot-nix import: values that looked like secrets, read by the gateway as ${NAME}.\n" + this.envLines.join("");
    return [...this.files, { path: this.envFile, text, mode: 0o600 }];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Step 3: the service options the config implies (port, bind, auth), the way the module wants them. The
// `gateway.*` keys they come from leave the settings (the module refuses a settings value that differs).

type Service = ImportResult["service"];

/** The lowest port from `start` on (in steps of PORT_SPAN) that keeps PORT_SPAN away from every taken one. */
export function freePort(start: number, taken: number[]): number {
  const clear = (p: number): boolean => taken.every((t) => Math.abs(t - p) >= PORT_SPAN);
  for (let port = start; port + PORT_SPAN - 1 <= 65535; port += PORT_SPAN) if (clear(port)) return port;
  for (let port = 1024; port + PORT_SPAN - 1 <= 65535; port++) if (clear(port)) return port;
  throw new ImportError(`no free port range left (taken: ${taken.join(", ")})`);
}

function serviceOptions(
  settings: JsonObject,
  layout: Layout,
  secrets: SecretSink,
  avoidPorts: number[],
): { service: Service; moved: Segment[][]; fixes: Fix[]; notes: string[] } {
  const { prefix, target } = layout;
  const envPrefix = target.gateway.envPrefix;
  const service: Service = {};
  const moved: Segment[][] = [];
  const fixes: Fix[] = [];
  const notes: string[] = [];
  const gateway = isPlainObject(settings.gateway) ? settings.gateway : {};
  const auth = isPlainObject(gateway.auth) ? gateway.auth : {};
  const isRef = (v: Json | undefined): v is string => typeof v === "string" && envNames(v).length > 0;
  /** A typed service option cannot read `${VAR}`: the key leaves the settings and the user is told. */
  const dropReference = (path: Segment[], option: string, defaultText: string): void => {
    fixes.push({
      option: `${prefix}.${option}`,
      problem: `${displayPath(path)} is ${JSON.stringify(valueAt(settings, path))}: a service option is typed and fixed at build time, it cannot read an environment variable`,
      fix: `set ${prefix}.${option} to the value the variable has (it is left at its default, ${defaultText}, and the key is not in settings.nix)`,
    });
    moved.push(path);
  };

  if (gateway.mode === "remote") {
    const url = isPlainObject(gateway.remote) && typeof gateway.remote.url === "string" ? ` at ${gateway.remote.url}` : "";
    fixes.push({
      option: `${prefix}.settings.gateway.mode`,
      problem: `gateway.mode is "remote": this config is a CLI's, talking to a gateway elsewhere${url}; the service runs a local gateway and the module refuses a remote-mode config`,
      fix: `import the config of the machine that runs the gateway instead; or, to run a gateway here, remove gateway.mode (and gateway.remote) from settings.nix`,
    });
  }

  // port: from the config, or a free one for an instance (PORT_SPAN away from the default and the ports given)
  const taken = [...(layout.instance !== undefined ? [DEFAULT_PORT] : []), ...avoidPorts];
  const configured = typeof gateway.port === "number" ? gateway.port : undefined;
  if (configured !== undefined) moved.push(["gateway", "port"]);
  const wanted = configured ?? (layout.instance !== undefined ? DEFAULT_PORT : undefined);
  if (wanted !== undefined && taken.some((t) => Math.abs(t - wanted) < PORT_SPAN)) {
    service.port = freePort(wanted, taken);
    notes.push(
      `${configured !== undefined ? `gateway.port ${configured}` : `the default port ${DEFAULT_PORT}`} is less than ${PORT_SPAN} from a port in use (${taken.join(", ")}; each gateway uses its port and the next four): chose ${prefix}.port = ${service.port}. Clients of this gateway connect to the new port.`,
    );
  } else if (configured !== undefined) service.port = configured;

  // auth: the mode as upstream resolves it (resolveGatewayAuth: mode ?? password ? "password" : token ? "token" : "none")
  const token = typeof auth.token === "string" && auth.token !== "" ? auth.token : undefined;
  const password = typeof auth.password === "string" && auth.password !== "" ? auth.password : undefined;
  let mode: string | undefined;
  if (isRef(auth.mode)) dropReference(["gateway", "auth", "mode"], "auth.mode", "the module's");
  else if (typeof auth.mode === "string" && !target.service.authModes.includes(auth.mode)) {
    // e.g. OpenClaw's "trusted-proxy": the service option has no such mode; the key stays in the settings
    fixes.push({
      option: `${prefix}.auth.mode`,
      problem: `gateway.auth.mode is ${JSON.stringify(auth.mode)}, which the service option auth.mode does not offer (${target.service.authModes.map((m) => JSON.stringify(m)).join(", ")})`,
      fix: `choose one of those for ${prefix}.auth.mode (with its tokenFile or passwordFile), or run this gateway outside the module`,
    });
  } else if (typeof auth.mode === "string") {
    mode = auth.mode;
    moved.push(["gateway", "auth", "mode"]);
  } else mode = password ? "password" : token ? "token" : undefined;
  if (mode !== undefined) service.auth = { mode };
  for (const [key, value, option] of [
    ["token", token, "tokenFile"],
    ["password", password, "passwordFile"],
  ] as const) {
    if (value === undefined || isRef(value)) continue; // a `${VAR}` stays in settings: the service provides the variable
    const path: Segment[] = ["gateway", "auth", key];
    const file = secrets.file(path, value);
    service.auth ??= { mode: key };
    service.auth[option] = file;
    moved.push(path);
    secrets.moves.push({ path, form: "service", file, option: `${prefix}.auth.${option}`, reason: "upstream marks it sensitive" });
  }
  const hasAuth = (mode === "token" && token !== undefined) || (mode === "password" && password !== undefined);

  // bind: what the module accepts, or the address the gateway itself would have used
  let bind: string | undefined;
  if (isRef(gateway.bind)) dropReference(["gateway", "bind"], "bind", '"loopback"');
  else if (typeof gateway.bind === "string") {
    bind = gateway.bind;
    moved.push(["gateway", "bind"]);
  }
  if (bind === "auto" && !hasAuth) {
    bind = "loopback";
    notes.push(
      `gateway.bind is "auto", which the gateway resolves to 127.0.0.1 whenever loopback is available (resolveGatewayBindHost); the module allows "auto" only with authentication: chose ${prefix}.bind = "loopback", the address the gateway used.`,
    );
  } else if (bind === "custom" && !target.gateway.customBind) {
    // customBindHost is not in this version's schema: the gateway falls back to 0.0.0.0, i.e. "lan"
    bind = hasAuth ? "lan" : "loopback";
    notes.push(
      `gateway.bind is "custom", unusable at ${target.name} ${target.version} (gateway.customBindHost is rejected by its schema, so the gateway listened on 0.0.0.0): chose ${prefix}.bind = "${bind}"${hasAuth ? " (all interfaces, as before, with the config's authentication)" : ", because there is no authentication for a wider bind"}.`,
    );
  } else if (bind !== undefined && bind !== "loopback" && !hasAuth) {
    service.auth = { ...(service.auth ?? {}), mode: mode === "password" ? "password" : "token" };
    const option = mode === "password" ? "passwordFile" : "tokenFile";
    const variable = mode === "password" ? `${envPrefix}_GATEWAY_PASSWORD` : `${envPrefix}_GATEWAY_TOKEN`;
    fixes.push({
      option: `${prefix}.auth.${option}`,
      problem: `gateway.bind is "${bind}" and the config holds no ${mode === "password" ? "password" : "token"} (the old install read ${variable} from its environment: Docker's .env, fly secrets): the gateway refuses to listen beyond loopback without authentication`,
      fix: `write that ${mode === "password" ? "password" : "token"} to a file outside the Nix store (chmod 600) and set ${prefix}.auth.${option} to its path; or set ${prefix}.bind = "loopback"`,
    });
  } else if (mode === "token" && token === undefined) {
    notes.push(`gateway auth mode is token but the config holds no token (the gateway then reads ${envPrefix}_GATEWAY_TOKEN): set ${prefix}.auth.tokenFile to a file holding it.`);
  } else if (mode === "password" && password === undefined) {
    notes.push(`gateway auth mode is password but the config holds no password: set ${prefix}.auth.passwordFile to a file holding it.`);
  }
  if (bind !== undefined) service.bind = bind;

  // Channels from separately published plugins (OpenClaw's Discord, Slack …): the module loads those it packages
  // when `plugins` names them, and refuses a configured channel whose plugin is not loaded.
  const external = target.facts.externalPlugins ?? {};
  const pluginOf = (channel: string): string | undefined => Object.keys(external).find((id) => external[id]!.channels.includes(channel));
  const plugins = isPlainObject(settings.plugins) ? settings.plugins : {};
  const ownLoadPaths = isPlainObject(plugins.load) && Array.isArray(plugins.load.paths) && plugins.load.paths.length > 0;
  const channels = isPlainObject(settings.channels) ? Object.keys(settings.channels).filter((c) => !target.facts.channelSettingsKeys.includes(c)) : [];
  if (!ownLoadPaths) {
    for (const channel of channels.sort()) {
      const plugin = pluginOf(channel);
      if (plugin === undefined) continue;
      if (target.service.plugins.includes(plugin)) {
        if (!(service.plugins ??= []).includes(plugin)) service.plugins.push(plugin);
      } else {
        fixes.push({
          option: `${prefix}.settings.channels.${channel}`,
          problem: `the ${channel} channel comes from the separately published plugin ${external[plugin]!.package}, which this flake does not package (packaged: ${target.service.plugins.join(", ") || "none"})`,
          fix: `install it yourself and list its folder in ${prefix}.settings.plugins.load.paths, or remove the channel`,
        });
      }
    }
  }
  return { service, moved, fixes, notes };
}

/** Delete a key and then every parent object it leaves empty. */
function deleteAt(root: JsonObject, path: Segment[]): void {
  for (let n = path.length; n > 0; n--) {
    const parent = valueAt(root, path.slice(0, n - 1));
    const key = path[n - 1]!;
    if (!isPlainObject(parent) || typeof key !== "string") return;
    if (n === path.length) delete parent[key];
    else if (isPlainObject(parent[key]) && Object.keys(parent[key] as JsonObject).length === 0) delete parent[key];
    else return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Step 3b: what the gateway accepts but the modules cannot take, left out of the settings (named, never silent).
// The modules' settings are typed by the generator from the gateway's schema, which is what the schema layer
// checks: a problem only the schema layer reports (the gateway's own validator accepts the config) is a place
// the typed settings refuse too — an unknown key, a value out of range (a port above 65535). And a plugin
// entry the gateway itself ignores ("plugin not found … stale config entry ignored") is refused by the
// modules' plugin ids. Each leaves the settings, with the reason and the fix. Keys owned by service options
// (gateway.port) leave too: the option keeps its default.

function leaveOut(settings: JsonObject, problems: Problem[], layout: Layout): LeftOut[] {
  const { prefix, target } = layout;
  const leftOut: LeftOut[] = [];
  for (const problem of problems) {
    if (!problem.warning) continue;
    const ignoredPlugin = problem.kind === "upstream" && problem.path[0] === "plugins" && problem.path[1] === "entries" && /^plugin not found: /.test(problem.message);
    if (!problem.schemaOnly && !ignoredPlugin) continue;
    // a missing required key: its object cannot be typed without it
    const path = problem.kind === "missing" ? problem.path.slice(0, -1) : problem.path;
    if (path.length === 0 || valueAt(settings, path) === undefined) continue;
    if (leftOut.some((l) => startsWith(path, l.path))) continue;
    const where = samePath(path, ["gateway", "port"]) ? `${prefix}.port` : `${prefix}.settings.${displayPath(path)}`;
    const fix = ignoredPlugin
      ? `nothing to do: the gateway ignores this entry${problem.suggestion ? ` (if you meant ${problem.suggestion}, add ${prefix}.settings.plugins.entries.${JSON.parse(problem.suggestion) as string} instead)` : ""}`
      : samePath(path, ["gateway", "port"])
        ? `set ${where} to a port between 1 and 65535 (it is left at its default, ${DEFAULT_PORT}); the gateway cannot listen on ${JSON.stringify(valueAt(settings, path))}`
        : problem.kind === "unknown-key"
          ? problem.suggestion?.startsWith(`${target.gateway.module}.`)
            ? `set the service option ${prefix}${problem.suggestion.slice(target.gateway.module.length)} instead (a file path or a service setting, not a key of the gateway's config)`
            : problem.suggestion
            ? `if it means ${problem.suggestion}, set ${prefix}.settings.${problem.suggestion} instead; otherwise it has no place in the ${target.displayName} ${target.version} settings`
            : `the ${target.displayName} ${target.version} settings have no such option (the typed settings follow its schema): move its value to the option it belongs to, or leave it out`
          : `set ${where} to a value its option takes (see the message), by hand`;
    leftOut.push({ path, why: problem.message, fix });
  }
  for (const item of leftOut) deleteAt(settings, item.path);
  return leftOut;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 4: secrets left in the settings: sensitive keys → `{ _secret = file; }`; other token-like strings →
// `${VAR}` with the value in the environment file (their options are plain strings, so the file form does not fit).

function moveSecrets(settings: JsonObject, secrets: SecretSink): { [key: string]: Tree } {
  const replace = (value: Json, path: Segment[]): Tree => {
    if (typeof value === "string") {
      const reference = envNames(value).length > 0;
      if (isSecretPath(path, secrets.target) && !reference && value !== "") {
        const file = secrets.file(path, value);
        secrets.moves.push({ path, form: "file", file, reason: "upstream marks it sensitive" });
        return secretRef(file);
      }
      const last = path.at(-1);
      const reason = tokenReason(typeof last === "string" ? last : undefined, value, secrets.target.facts.secrets);
      if (reason !== undefined) return `\${${secrets.variable(path, value, reason)}}`;
      return value;
    }
    if (Array.isArray(value)) return value.map((item, index) => replace(item, [...path, index]));
    if (isPlainObject(value)) {
      const result: { [key: string]: Tree } = {};
      for (const key of Object.keys(value).sort()) result[key] = replace(value[key]!, [...path, key]);
      return result;
    }
    return value;
  };
  return replace(settings, []) as { [key: string]: Tree };
}

// ---------------------------------------------------------------------------------------------------------------
// Step 5: what to tell the user about the settings: container paths, the variables the config reads.

function containerPathNotes(settings: JsonObject): string[] {
  // Paths from a container (Docker's /home/node, Fly's /data volume) mean nothing on this machine.
  const containerPath = /^\/(home\/node|data)(\/|$)/;
  const notes: string[] = [];
  const visit = (value: Json, path: Segment[]): void => {
    if (typeof value === "string" && containerPath.test(value)) {
      notes.push(`${displayPath(path)} = ${JSON.stringify(value)} looks like a path inside a Docker container or on a Fly volume: change it to this machine's path in settings.nix.`);
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (isPlainObject(value)) for (const key of Object.keys(value).sort()) visit(value[key]!, [...path, key]);
  };
  visit(settings, []);
  return notes;
}

function variablesOf(source: ReadConfig, dropped: Segment[][]): Map<string, Segment[][]> {
  const variables = new Map<string, Segment[][]>();
  for (const reference of source.envReferences) {
    if (dropped.some((p) => startsWith(reference.path, p))) continue;
    for (const name of reference.names) variables.set(name, [...(variables.get(name) ?? []), reference.path]);
  }
  return variables;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 6: the Nix files.

function settingsFile(tree: { [key: string]: Tree }, source: ReadConfig, layout: Layout, secrets: SecretSink, moved: Segment[][], leftOut: LeftOut[]): string {
  const movedByPath = new Map(secrets.moves.map((m) => [displayPath(m.path), m]));
  const { target } = layout;
  const comment = (path: Segment[]): string[] | undefined => {
    const lines: string[] = [];
    const help = helpAt(path, target);
    if (help && !Array.isArray(valueAt(tree as Json, path.slice(0, -1)))) lines.push(help);
    const move = movedByPath.get(displayPath(path));
    if (move?.form === "env") lines.push(`Moved out (${move.reason}): the value is ${move.variable} in ${move.file}.`);
    return lines.length > 0 ? lines : undefined;
  };
  const included = source.files.slice(1);
  return [
    `# ${layout.prefix}.settings: the gateway's ${target.gateway.configName}, ${MARKER} from`,
    `#   ${source.file}`,
    ...(included.length > 0 ? ["# and the files it includes:", ...included.map((f) => `#   ${f}`)] : []),
    `# and checked against the ${target.name} ${target.version} config schema. Option reference: ${target.gateway.docs}.`,
    ...(secrets.hasEnv
      ? [
          "# No secret is in this file: sensitive values are files (`{ _secret = …; }`), other token-like values are",
          `# \${${envVariablePrefix(target)}…} references to ${secrets.envFile}.`,
        ]
      : secrets.moves.length > 0
        ? ["# No secret is in this file: sensitive values are files (`{ _secret = …; }`) in", `# ${secrets.dir}.`]
        : ["# The config held no inline secret."]),
    ...(moved.length > 0 ? [`# ${moved.map(displayPath).join(", ")}: owned by the service options in default.nix.`] : []),
    ...(leftOut.length > 0
      ? [
          "# LEFT OUT: the gateway accepts (or ignores) these keys, but the module's typed settings refuse them:",
          ...leftOut.flatMap((l) => [`#   ${displayPath(l.path)}: ${oneLine(l.why)}`, `#     Fix: ${oneLine(l.fix)}.`]),
        ]
      : []),
    "{",
    attributes(tree, [], "  ", { comment, width: 100 }).trimEnd(),
    "}",
    "",
  ].join("\n");
}

/** A fix on one line: the module's own message when the evaluation found it alone (it says what to set). */
const fixText = (fix: Fix): string =>
  fix.problem === fix.module ? `${oneLine(fix.problem)} (the module's ${fix.fix === ASSERTION_FIX ? "assertion" : "evaluation"}).` : `${fix.option}: ${oneLine(fix.problem)}. Fix: ${oneLine(fix.fix)}.`;
const ASSERTION_FIX = "the module's message says what to set";

/** A message on one comment line. */
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").replace(/\.$/, "");

function moduleFile(source: ReadConfig, layout: Layout, service: Service, secrets: SecretSink, variables: Map<string, Segment[][]>, fixes: Fix[]): string {
  const module = layout.target.gateway.module;
  const lines: string[] =
    layout.instance === undefined ? [`  ${module} = {`, "    enable = true;"] : [`  ${module}.instances.${nixName(layout.instance)} = {`];
  if (service.port !== undefined) lines.push(`    port = ${service.port};`);
  if (service.bind !== undefined) lines.push(`    bind = ${nixString(service.bind)};`);
  if (service.auth) {
    lines.push(`    auth.mode = ${nixString(service.auth.mode)};`);
    if (service.auth.tokenFile) lines.push(`    auth.tokenFile = ${nixString(service.auth.tokenFile)};`);
    if (service.auth.passwordFile) lines.push(`    auth.passwordFile = ${nixString(service.auth.passwordFile)};`);
  }
  if (service.plugins) lines.push(`    plugins = [ ${service.plugins.map(nixString).join(" ")} ];`);
  if (secrets.hasEnv) lines.push(`    environmentFiles = [ ${nixString(secrets.envFile)} ];`);
  if (variables.size > 0) {
    lines.push("    # The settings read these variables (`${NAME}`): provide them through `environment` (not for", "    # secrets: it is in the store) or a file in `environmentFiles`:");
    for (const [name, paths] of [...variables].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`    #   ${name} (${paths.map(displayPath).join(", ")})`);
  }
  lines.push("    settings = import ./settings.nix;", "  };");
  const fixLines = fixes.flatMap((f) => [
    ...(f.problem === f.module ? [`#   ${oneLine(f.problem)} (the module's assertion).`] : [`#   ${f.option}: ${oneLine(f.problem)}.`, `#     Fix: ${oneLine(f.fix)}.`]),
    ...(f.module !== undefined && f.module !== f.problem ? [`#     The module says: ${oneLine(f.module)}`] : []),
  ]);
  return [
    `# The ${layout.target.displayName} service as the imported config implies it, ${MARKER} from`,
    `#   ${source.file}`,
    "# Add this directory to `imports` next to the flake's module (NixOS, Home Manager or nix-darwin).",
    ...(fixes.length > 0 ? ["# FIX BEFORE USE: the module refuses this as imported:", ...fixLines] : []),
    "{",
    ...lines,
    "}",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Step 7: what may be written. Each folder's record says what the last import wrote there.

interface ImportRecord {
  tool: string;
  /** The output folder this record's folder belongs to. */
  owner: string;
  /** The secrets folder (in the output's record). */
  secretsDir?: string;
  /** File name → hash of the content written. */
  files: Record<string, string>;
}

function readRecord(dir: string): ImportRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(join(dir, RECORD), "utf8")) as ImportRecord;
    return typeof record.owner === "string" && isPlainObject(record.files as unknown) ? record : undefined;
  } catch {
    return undefined;
  }
}

const recordText = (record: ImportRecord): string => JSON.stringify(record, null, 2) + "\n";

/** Regular files of a folder that an import may have left (no temporary files, no record). */
function filesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((name) => name !== RECORD && !/^\..*\.tmp-\d+$/.test(name))
    .map((name) => join(dir, name))
    .filter((path) => lstatSync(path).isFile())
    .sort();
}

function planWrites(layout: Layout, nixFiles: PlannedFile[], secretFiles: PlannedFile[]): { texts: PlannedFile[]; conflicts: Conflict[]; unused: string[]; notes: string[] } {
  const { out, secretsDir } = layout;
  const notes: string[] = [];
  const outRecord = readRecord(out);
  const secretsRecord = readRecord(secretsDir);
  if (secretsRecord && secretsRecord.owner !== out) {
    throw new ImportError(
      `the secrets folder ${secretsDir} belongs to the import into ${secretsRecord.owner}: each output owns its secrets (sharing one folder lets one import overwrite the other's tokens). Choose another --secrets-dir, or leave it out (the default is a folder named after the output)`,
    );
  }
  const conflicts: Conflict[] = [];
  const judge = (file: PlannedFile, record: ImportRecord | undefined): PlannedFile => {
    const existing = existsSync(file.path) ? readFileSync(file.path) : undefined;
    if (existing === undefined || existing.equals(Buffer.from(file.text))) return file;
    const recorded = record?.files[basename(file.path)];
    if (recorded !== undefined && recorded === sha256(existing)) return file;
    conflicts.push({ path: file.path, why: recorded !== undefined ? "changed since the last import" : "no record of an import writing it (hand-written, or from before imports kept records)" });
    return { ...file, backup: true };
  };
  const nix = nixFiles.map((f) => judge(f, outRecord));
  const secrets = secretFiles.map((f) => judge(f, secretsRecord));
  const written = new Set(secrets.map((f) => f.path));
  const unused = filesIn(secretsDir).filter((f) => !written.has(f));
  if (outRecord?.secretsDir && outRecord.secretsDir !== secretsDir) {
    const old = filesIn(outRecord.secretsDir);
    unused.push(...old);
    if (old.length > 0) notes.push(`the last import into ${out} kept its secrets in ${outRecord.secretsDir}; this one uses ${secretsDir}.`);
  }
  const tool = `clawdbot-nix import (${layout.target.name} ${layout.target.version})`;
  const outRecordFile: PlannedFile = {
    path: join(out, RECORD),
    text: recordText({ tool, owner: out, secretsDir, files: Object.fromEntries(nix.map((f) => [basename(f.path), sha256(f.text)])) }),
    mode: 0o644,
  };
  const secretsRecordFile: PlannedFile = {
    path: join(secretsDir, RECORD),
    text: recordText({ tool, owner: out, files: Object.fromEntries(secrets.map((f) => [basename(f.path), sha256(f.text)])) }),
    mode: 0o600,
  };
  return { texts: [...nix, outRecordFile, ...secrets, secretsRecordFile], conflicts, unused, notes };
}

/** The settings as the module renders them: `{ _secret = f; }` stays an object naming the file. */
function renderedForm(tree: Tree): JsonObject {
  const convert = (value: Tree): Json => {
    if (value instanceof NixRaw) {
      const match = /^\{ _secret = "(.*)"; \}$/.exec(value.text);
      return { _secret: JSON.parse(`"${match![1]!}"`) as string };
    }
    if (Array.isArray(value)) return value.map(convert);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    return value;
  };
  return convert(tree) as JsonObject;
}

/** Plan an import: everything decided and every text produced, nothing written. */
export async function planImport(input: string, options: ImportOptions): Promise<Plan> {
  const { source, choice, problems, upstream, converted, migrated } = await checkSource(input, options);
  const layout = layOut(options, choice.target);
  const settings = structuredClone(source.value);
  const leftOut = leaveOut(settings, problems, layout);
  const secrets = new SecretSink(layout.secretsDir, choice.target);
  const service = serviceOptions(settings, layout, secrets, options.avoidPorts ?? []);
  for (const path of service.moved) deleteAt(settings, path);
  const tree = moveSecrets(settings, secrets);
  const dropped = [...service.moved.filter((p) => !secrets.moves.some((m) => samePath(m.path, p))), ...leftOut.map((l) => l.path)];
  const variables = variablesOf(source, dropped);
  const settingsText = settingsFile(tree, source, layout, secrets, service.moved, leftOut);
  // the files as planned, through the modules; their verdict joins the fixes (comments only: the same files)
  const verification = await verifyFiles({ "default.nix": moduleFile(source, layout, service.service, secrets, variables, service.fixes), "settings.nix": settingsText }, layout, options);
  const fixes = withModuleVerdict(service.fixes, verification, layout);
  const nixFiles: PlannedFile[] = [
    { path: join(layout.out, "default.nix"), text: moduleFile(source, layout, service.service, secrets, variables, fixes), mode: 0o644 },
    { path: join(layout.out, "settings.nix"), text: settingsText, mode: 0o644 },
  ];
  const writes = planWrites(layout, nixFiles, secrets.planned());
  const notes = [
    ...layout.notes,
    ...(migrated.length > 0 ? [`converted from ${TARGETS[options.from!].displayName} (${migrated.length} change${migrated.length === 1 ? "" : "s"}): ${migrated.join(" ")}`] : []),
    ...(upstream.ran ? [] : [`the gateway's own validator did not run (${upstream.reason}): the config was checked by the schema layer only.`]),
    ...(converted.length > 0 ? [`converted as ${choice.target.displayName} does whenever it reads the config (its own normalization): ${converted.join(" ")}`] : []),
    ...source.warnings,
    ...service.notes,
    ...containerPathNotes(settings),
    ...writes.notes,
  ];
  const result: ImportResult = {
    source,
    choice,
    out: layout.out,
    secretsDir: layout.secretsDir,
    files: writes.texts.map(({ path, mode }) => ({ path, mode })),
    moves: secrets.moves,
    service: service.service,
    movedToService: service.moved,
    variables,
    // a key left out is reported once, as left out
    warnings: problems.filter((p) => p.warning && !leftOut.some((l) => startsWith(p.path, l.path))),
    fixes,
    leftOut,
    verification,
    notes,
    conflicts: writes.conflicts,
    unusedSecrets: writes.unused,
    backups: [],
    upstream,
    settings: renderedForm(tree),
  };
  return { result, texts: writes.texts };
}

/** Evaluate the planned Nix files through the modules (cli/verify.ts), when it can (or must: --verify). */
async function verifyFiles(files: Record<string, string>, layout: Layout, options: ImportOptions): Promise<Verification> {
  if (options.verify === "off") return { ran: false, reason: "not asked for (--no-verify)" };
  const located = locateEvaluator(options);
  if (!located.evaluator) {
    if (options.verify === "on") throw new ImportError(`--verify: cannot evaluate the import through the modules: ${located.missing}; nothing written`);
    return { ran: false, reason: located.missing };
  }
  return { ran: true, platforms: await evaluateImport(located.evaluator, files, layout.target) };
}

/**
 * The modules' verdict joined to the import's own fixes: a failed assertion that names the option of a fix the
 * import already gives is that fix (its message kept as the module's words); any other failed assertion, and an
 * evaluation error, is a fix of its own, in the module's words.
 */
function withModuleVerdict(fixes: Fix[], verification: Verification, layout: Layout): Fix[] {
  if (!verification.ran) return fixes;
  const out = fixes.map((f) => ({ ...f }));
  const seen = (message: string): boolean => out.some((f) => f.module === message);
  for (const verdict of verification.platforms) {
    for (const message of verdict.failed) {
      const known = out.find((f) => message.includes(f.option));
      if (known) {
        known.module ??= message;
        continue;
      }
      if (seen(message)) continue;
      const option = /\bservices\.[A-Za-z0-9_.<>"-]+/.exec(message)?.[0]?.replace(/\.+$/, "") ?? layout.prefix;
      out.push({ option, problem: message, fix: ASSERTION_FIX, module: message });
    }
    if (verdict.error !== undefined && !seen(verdict.error)) {
      out.push({
        option: verdict.errorOption ?? layout.prefix,
        problem: `the evaluation through the ${PLATFORM_NAMES[verdict.platform]} module stops: ${verdict.error}`,
        fix: "change or remove that definition in default.nix or settings.nix, then evaluate again",
        module: verdict.error,
      });
    }
  }
  return out;
}

/**
 * Is the import blocked: do the modules refuse what was written? Their verdict when the evaluation ran; else
 * any fix the import names (it cannot tell which of them the modules would refuse).
 */
export function isBlocked(result: ImportResult): boolean {
  const v = result.verification;
  return v.ran ? v.platforms.some((p) => p.failed.length > 0 || p.error !== undefined) : result.fixes.length > 0;
}

/** The closing line of the report: does what was written evaluate through the modules? */
export function modulesLine(result: ImportResult): string {
  const module = result.choice.target.gateway.module;
  const v = result.verification;
  const where = v.ran ? v.platforms.map((p) => PLATFORM_NAMES[p.platform]).join(", ") : "";
  const left = result.leftOut.length > 0 ? `; ${result.leftOut.length} key${result.leftOut.length === 1 ? "" : "s"} left out (listed above, and in settings.nix)` : "";
  const n = result.fixes.length;
  if (isBlocked(result)) {
    return `modules: BLOCKED: ${module} does not evaluate as written until ${n === 1 ? "the fix" : `the ${n} fixes`} above ${n === 1 ? "is" : "are"} made (also at the top of default.nix)${v.ran ? ` (evaluated through ${where})` : `; not evaluated: ${v.reason}`}${left}`;
  }
  const advised = n > 0 ? `; ${n === 1 ? "a fix" : `${n} fixes`} above for the gateway to behave as before` : "";
  if (v.ran) return `modules: evaluates through ${module} (${where})${left}${advised}`;
  return `modules: not evaluated (${v.reason}): checked against the generated schema and facts only${left}${advised}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

const stamp = (): string => new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");

/** An errno from the file system as a sentence. */
function fsMessage(error: NodeJS.ErrnoException): string {
  const where = error.path ?? "";
  switch (error.code) {
    case "ENOTDIR":
      return `cannot write ${where}: a part of the path is a file, not a folder`;
    case "EACCES":
    case "EPERM":
      return `cannot write ${where}: permission denied`;
    case "EROFS":
      return `cannot write ${where}: the file system is read-only`;
    case "ENOSPC":
      return `cannot write ${where}: no space left on the device`;
    case "EISDIR":
      return `cannot write ${where}: it is a folder`;
    default:
      return `cannot write ${where}: ${error.message}`;
  }
}

/**
 * Write every file atomically (temporary name, then rename); on failure remove what this run created. Secret
 * folders (files of mode 0600) are made 0700, also when they exist; every file already in them is made 0600.
 * A file marked `backup` is first copied to `<file>.bak-<time>`. Returns the backups made.
 */
export function writeAll(texts: PlannedFile[]): { file: string; backup: string }[] {
  const createdDirs: string[] = [];
  const temps: string[] = [];
  const backups: { file: string; backup: string }[] = [];
  const ensureDir = (dir: string, mode: number): void => {
    const missing: string[] = [];
    for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
    for (const d of missing) {
      mkdirSync(d, { mode });
      chmodSync(d, mode); // mkdir's mode is masked by the umask
      createdDirs.push(d);
    }
  };
  try {
    const secretDirs = new Set(texts.filter((t) => t.mode === 0o600).map((t) => dirname(t.path)));
    for (const dir of secretDirs) {
      ensureDir(dir, 0o700);
      chmodSync(dir, 0o700);
      for (const file of filesIn(dir)) chmodSync(file, 0o600);
    }
    for (const { path, text, mode } of texts) {
      ensureDir(dirname(path), 0o755);
      const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
      const fd = openSync(temp, "w", mode);
      temps.push(temp);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(temp, mode);
    }
    const time = stamp();
    for (const { path, backup } of texts) {
      if (!backup || !existsSync(path)) continue;
      let target = `${path}.bak-${time}`;
      for (let i = 2; existsSync(target); i++) target = `${path}.bak-${time}-${i}`;
      copyFileSync(path, target, constants.COPYFILE_EXCL);
      chmodSync(target, statSync(path).mode & 0o777);
      backups.push({ file: path, backup: target });
    }
    texts.forEach(({ path }, i) => renameSync(temps[i]!, path));
    return backups;
  } catch (error) {
    for (const temp of temps) {
      try {
        unlinkSync(temp);
      } catch {
        // already renamed or never written
      }
    }
    for (const dir of createdDirs.reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty: a file was renamed into it
      }
    }
    const errno = error as NodeJS.ErrnoException;
    if (typeof errno.code === "string") throw new ImportError(`${fsMessage(errno)}; nothing was written`);
    throw error;
  }
}

/** Plan, then write. Throws ConfigReadError / ImportError with nothing written. */
export async function runImport(input: string, options: ImportOptions): Promise<ImportResult> {
  const { result, texts } = await planImport(input, options);
  if (result.conflicts.length > 0 && !options.force) {
    throw new ImportError(
      [
        `nothing written: ${result.conflicts.length === 1 ? "a file" : "files"} the import would replace changed since the last import:`,
        ...result.conflicts.map((c) => `  ${c.path}: ${c.why}`),
        "Keep your changes elsewhere (or choose another --out), or pass --force: each is first copied to <file>.bak-<time>.",
      ].join("\n"),
    );
  }
  result.backups = writeAll(texts);
  return result;
}

/** The printed report: what moved where, what the service needs, what to fix. No secret value is printed. */
export function formatReport(result: ImportResult, dryRun = false): string {
  const lines: string[] = [];
  const wrote = dryRun ? "would write" : "wrote";
  lines.push(`${dryRun ? "dry run: nothing written; " : ""}imported ${result.source.file}${result.source.files.length > 1 ? ` (+ ${result.source.files.length - 1} included)` : ""}`);
  lines.push(targetLine(result.choice));
  for (const file of result.files.filter((f) => f.path.endsWith(".nix"))) lines.push(`${wrote} ${file.path}`);
  for (const backup of result.backups) lines.push(`kept the earlier ${backup.file} as ${backup.backup}`);
  if (dryRun) for (const conflict of result.conflicts) lines.push(`would refuse without --force: ${conflict.path} (${conflict.why})`);
  if (result.moves.length > 0) {
    lines.push(`secrets ${dryRun ? "to move" : "moved"} to ${result.secretsDir} (folder 0700, files 0600):`);
    const width = Math.max(...result.moves.map((m) => displayPath(m.path).length));
    for (const move of result.moves) {
      const where =
        move.form === "service"
          ? `${move.file}  (${move.option})`
          : move.form === "file"
            ? `${move.file}  ({ _secret = …; }, ${move.reason})`
            : `${move.file} as ${move.variable}  (${move.reason})`;
      lines.push(`  ${displayPath(move.path).padEnd(width)}  →  ${where}`);
    }
  } else lines.push("no secrets found in the config");
  if (result.unusedSecrets.length > 0) {
    lines.push("secret files this import does not use (kept; delete them once nothing needs them):");
    for (const file of result.unusedSecrets) lines.push(`  ${file}`);
  }
  if (result.movedToService.length > 0) lines.push(`owned by service options now: ${result.movedToService.map(displayPath).join(", ")}`);
  if (result.variables.size > 0) {
    lines.push("environment variables the config reads (kept as ${NAME}; give them to the service):");
    for (const [name, paths] of result.variables) lines.push(`  ${name}  (${paths.map(displayPath).join(", ")})`);
  }
  for (const warning of result.warnings) lines.push(formatProblem(warning));
  for (const note of result.notes) lines.push(`note: ${note}`);
  for (const item of result.leftOut) lines.push(`left out of settings.nix: ${displayPath(item.path)}: ${oneLine(item.why)}. Fix: ${oneLine(item.fix)}.`);
  for (const fix of result.fixes) {
    lines.push(`fix needed: ${fixText(fix)}`);
    if (fix.module !== undefined && fix.module !== fix.problem) lines.push(`  the module says: ${fix.module}`);
  }
  lines.push(modulesLine(result));
  return lines.join("\n");
}
