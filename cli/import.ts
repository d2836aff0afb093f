// `clawdbot-nix import <path>`: a live clawdbot.json → a Nix module for services.clawdbot (default.nix) and its
// settings (settings.nix), with every secret moved to a 0600 file outside the output directory.
//
// Nothing is written unless the whole import succeeds: every file is first written next to its destination under
// a temporary name, then all are renamed into place; on any failure the temporary files (and directories this run
// created) are removed.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmdirSync, unlinkSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { nixName, nixString } from "../generator/emit/nix-text.js";
import { attributes, NixRaw, secretRef, type Tree } from "./nix-writer.js";
import { envNames, isPlainObject, readConfig, type Json, type JsonObject, type ReadConfig } from "./read-config.js";
import { tokenReason } from "./tokens.js";
import { displayPath, formatProblem, helpAt, isSecretPath, UPSTREAM_VERSION, validateConfig, type Problem, type Segment } from "./validate.js";

export class ImportError extends Error {
  constructor(
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = "ImportError";
  }
}

export interface ImportOptions {
  /** Directory for default.nix and settings.nix. */
  out: string;
  /** Directory for the secret files (created 0700; files 0600). Must not be inside `out`. */
  secretsDir?: string;
  /** Replace a default.nix / settings.nix that an earlier import did not write. */
  force?: boolean;
  /** Write `services.clawdbot.instances.<name>` instead of `services.clawdbot` (a second gateway). */
  instance?: string;
}

/** The first line of every Nix file the import writes: how a later import recognises its own files. */
export const MARKER = "written by `clawdbot-nix import`";

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

export interface ImportResult {
  source: ReadConfig;
  files: { path: string; mode: number }[];
  moves: Move[];
  /** Service options the config implies, as set in default.nix. */
  service: { port?: number; bind?: string; auth?: { mode: string; tokenFile?: string; passwordFile?: string } };
  /** Settings keys moved to service options (removed from settings.nix). */
  movedToService: Segment[][];
  /** `${VAR}` references kept as they are: variable → paths. */
  variables: Map<string, Segment[][]>;
  warnings: Problem[];
  notes: string[];
  /** The settings as written (secrets as references), for comparison with what the module renders. */
  settings: JsonObject;
}

export const ENV_FILE = "clawdbot.env";
export const ENV_PREFIX = "CLAWDBOT_IMPORTED_";

export function defaultSecretsDir(): string {
  const config = process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(config, "clawdbot-nix", "secrets");
}

const isInside = (child: string, parent: string): boolean => {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && rel !== "..");
};

/** A path with its existing prefix resolved through symlinks (so /tmp vs /private/tmp compare equal). */
function canonical(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(existing.slice(dirname(existing).length + 1));
    existing = dirname(existing);
  }
  return join(realpathSync(existing), ...rest);
}

/** The git work tree a path is in, if any. */
function gitWorkTree(path: string): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** A file-name-safe rendering of a path: `channels.telegram.accounts.main.botToken`. */
function secretName(path: Segment[]): string {
  return path.map((s) => String(s).replace(/[^A-Za-z0-9_-]+/g, "_")).join(".");
}

function variableName(path: Segment[]): string {
  const words = path.map((s) =>
    String(s)
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/[^A-Za-z0-9]+/g, "_")
      .toUpperCase(),
  );
  return ENV_PREFIX + words.join("_").replace(/_+/g, "_").replace(/^_|_$/g, "");
}

/** A `NAME=value` line systemd's EnvironmentFile= and a POSIX shell read the same way. */
function envLine(name: string, value: string, path: Segment[]): string {
  if (/^[A-Za-z0-9_@%+=:,./-]*$/.test(value)) return `${name}=${value}\n`;
  if (!value.includes("'") && !/[\n\r]/.test(value)) return `${name}='${value}'\n`;
  throw new ImportError(
    `${displayPath(path)}: the value looks like a secret but contains a quote or a line break, which an environment file cannot carry; move it to a file by hand (or use \${VAR}) and import again`,
  );
}

const clone = <T extends Json>(value: T): T => structuredClone(value);

function getAt(root: Json, path: Segment[]): Json | undefined {
  let cursor: Json | undefined = root;
  for (const segment of path) {
    if (Array.isArray(cursor) && typeof segment === "number") cursor = cursor[segment];
    else if (isPlainObject(cursor) && typeof segment === "string") cursor = cursor[segment];
    else return undefined;
  }
  return cursor;
}

/** Delete a key and then every parent object it leaves empty. */
function deleteAt(root: JsonObject, path: Segment[]): void {
  for (let n = path.length; n > 0; n--) {
    const parent = getAt(root, path.slice(0, n - 1));
    const key = path[n - 1]!;
    if (!isPlainObject(parent) || typeof key !== "string") return;
    if (n === path.length) delete parent[key];
    else if (isPlainObject(parent[key]) && Object.keys(parent[key] as JsonObject).length === 0) delete parent[key];
    else return;
  }
}

/** Plan an import: everything decided and every text produced, nothing written. */
export function planImport(input: string, options: ImportOptions): { result: ImportResult; texts: { path: string; text: string; mode: number }[] } {
  const source = readConfig(input);
  const problems = validateConfig(source.value);
  const errors = problems.filter((p) => !p.warning);
  if (errors.length > 0) {
    const legacy = errors.some((p) => p.kind === "legacy");
    throw new ImportError(
      `${source.file} does not validate against the clawdbot ${UPSTREAM_VERSION} config schema (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n` +
        errors.map(formatProblem).join("\n") +
        (legacy ? "\nLegacy keys: move them as the hints say (or run `clawdbot doctor --fix` once with the old install), then import again." : ""),
      errors,
    );
  }

  const instance = options.instance;
  if (instance !== undefined && (!/^[A-Za-z0-9_-]+$/.test(instance) || instance === "default")) {
    throw new ImportError(`--instance ${JSON.stringify(instance)}: use letters, digits, "-" and "_" ("default" is services.clawdbot itself)`);
  }
  const prefix = instance === undefined ? "services.clawdbot" : `services.clawdbot.instances.${instance}`;
  const out = canonical(options.out);
  const secretsDir = canonical(options.secretsDir ?? join(defaultSecretsDir(), ...(instance === undefined ? [] : [instance])));
  if (isInside(secretsDir, out)) {
    throw new ImportError(`the secrets directory ${secretsDir} is inside the output directory ${out}: choose one outside it (--secrets-dir), so no secret sits next to the Nix sources`);
  }
  if (isInside(out, secretsDir)) {
    throw new ImportError(`the output directory ${out} is inside the secrets directory ${secretsDir}: keep them apart`);
  }
  if (secretsDir.startsWith("/nix/store/")) throw new ImportError(`the secrets directory ${secretsDir} is in the Nix store, which is world-readable`);
  const repository = gitWorkTree(secretsDir);
  const gitNote = repository ? `the secrets directory ${secretsDir} is inside the git work tree ${repository}: make sure it is ignored (.gitignore) or move it out.` : undefined;

  const settings = clone(source.value);
  const moves: Move[] = [];
  const notes: string[] = gitNote ? [gitNote] : [];
  const secretTexts: { path: string; text: string; mode: number }[] = [];
  const usedFiles = new Set<string>();
  const usedVariables = new Set<string>();
  const envLines: string[] = [];
  const unique = (base: string, used: Set<string>, separator: string): string => {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}${separator}${i}`;
    used.add(name);
    return name;
  };
  const secretFile = (path: Segment[], value: string): string => {
    const file = join(secretsDir, unique(secretName(path), usedFiles, "-"));
    secretTexts.push({ path: file, text: value, mode: 0o600 });
    return file;
  };

  // 1. Service options the config implies: port, bind, auth (mode and the token / password as files).
  const service: ImportResult["service"] = {};
  const movedToService: Segment[][] = [];
  const gateway = settings.gateway;
  if (isPlainObject(gateway)) {
    if (gateway.mode === "remote") {
      notes.push('gateway.mode is "remote": this config is a client\'s (it talks to a gateway elsewhere); the Nix service runs a local gateway (the module renders gateway.mode = "local").');
    }
    if (typeof gateway.port === "number") {
      service.port = gateway.port;
      movedToService.push(["gateway", "port"]);
    }
    if (typeof gateway.bind === "string") {
      service.bind = gateway.bind;
      movedToService.push(["gateway", "bind"]);
      if (gateway.bind === "custom") notes.push('gateway.bind is "custom", which this gateway version cannot use (gateway.customBindHost is not in its schema): the module refuses it; choose "lan" or "tailnet".');
    }
    const auth = gateway.auth;
    if (isPlainObject(auth)) {
      const token = typeof auth.token === "string" ? auth.token : undefined;
      const password = typeof auth.password === "string" ? auth.password : undefined;
      // upstream resolveGatewayAuth: mode ?? (password ? "password" : token ? "token" : "none")
      const mode = typeof auth.mode === "string" ? auth.mode : password ? "password" : token ? "token" : "none";
      service.auth = { mode };
      if (typeof auth.mode === "string") movedToService.push(["gateway", "auth", "mode"]);
      for (const [key, value, option] of [
        ["token", token, "tokenFile"],
        ["password", password, "passwordFile"],
      ] as const) {
        if (value === undefined || value === "") continue;
        // a `${VAR}` reference stays in the settings (the service provides the variable)
        if (envNames(value).length > 0) continue;
        const path: Segment[] = ["gateway", "auth", key];
        const file = secretFile(path, value);
        service.auth[option] = file;
        movedToService.push(path);
        moves.push({ path, form: "service", file, option: `${prefix}.auth.${option}`, reason: "upstream marks it sensitive" });
      }
      if (mode === "token" && token === undefined) notes.push(`gateway auth mode is token but the config holds no token (the gateway then reads CLAWDBOT_GATEWAY_TOKEN): set ${prefix}.auth.tokenFile.`);
      if (mode === "password" && password === undefined) notes.push(`gateway auth mode is password but the config holds no password: set ${prefix}.auth.passwordFile.`);
    }
  }
  for (const path of movedToService) deleteAt(settings, path);

  // 2. Secrets left in the settings: sensitive keys → `{ _secret = file; }`; other token-like strings → `${VAR}`
  //    with the value in an environment file (their options are plain strings, so the file form does not fit).
  const replace = (value: Json, path: Segment[]): Tree => {
    if (typeof value === "string") {
      const reference = envNames(value).length > 0;
      if (isSecretPath(path) && !reference && value !== "") {
        const file = secretFile(path, value);
        moves.push({ path, form: "file", file, reason: "upstream marks it sensitive" });
        return secretRef(file);
      }
      const last = path.at(-1);
      const reason = tokenReason(typeof last === "string" ? last : undefined, value);
      if (reason !== undefined) {
        const variable = unique(variableName(path), usedVariables, "_");
        envLines.push(envLine(variable, value, path));
        moves.push({ path, form: "env", file: join(secretsDir, ENV_FILE), variable, reason });
        return `\${${variable}}`;
      }
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
  const tree = replace(settings, []) as { [key: string]: Tree };
  if (envLines.length > 0) {
    secretTexts.push({
      path: join(secretsDir, ENV_FILE),
      text: "# Written by clawdbot-nix import: values that looked like secrets, read by the gateway as ${NAME}.\n" + envLines.join(""),
      mode: 0o600,
    });
  }

  // Paths from a container (Docker's /home/node, Fly's /data volume) mean nothing on this machine.
  const containerPath = /^\/(home\/node|data)(\/|$)/;
  const notePaths = (value: Json, path: Segment[]): void => {
    if (typeof value === "string" && containerPath.test(value)) {
      notes.push(`${displayPath(path)} = ${JSON.stringify(value)} looks like a path inside a Docker container or on a Fly volume: change it to this machine's path in settings.nix.`);
    } else if (Array.isArray(value)) value.forEach((item, index) => notePaths(item, [...path, index]));
    else if (isPlainObject(value)) for (const key of Object.keys(value).sort()) notePaths(value[key]!, [...path, key]);
  };
  notePaths(settings, []);

  // 3. Variables the config reads.
  const variables = new Map<string, Segment[][]>();
  for (const reference of source.envReferences) {
    for (const name of reference.names) variables.set(name, [...(variables.get(name) ?? []), reference.path]);
  }

  // 4. The Nix files.
  const movedByPath = new Map(moves.map((m) => [displayPath(m.path), m]));
  const comment = (path: Segment[]): string[] | undefined => {
    const lines: string[] = [];
    const help = helpAt(path);
    if (help && !Array.isArray(getAt(tree as Json, path.slice(0, -1)))) lines.push(help);
    const move = movedByPath.get(displayPath(path));
    if (move?.form === "env") lines.push(`Moved out (${move.reason}): the value is ${move.variable} in ${move.file}.`);
    return lines.length > 0 ? lines : undefined;
  };
  const included = source.files.slice(1);
  const settingsText =
    [
      `# ${prefix}.settings: the gateway's clawdbot.json, written by \`clawdbot-nix import\` from`,
      `#   ${source.file}`,
      ...(included.length > 0 ? ["# and the files it includes:", ...included.map((f) => `#   ${f}`)] : []),
      `# and checked against the clawdbot ${UPSTREAM_VERSION} config schema. Option reference: docs/options.md.`,
      ...(moves.some((m) => m.form === "env")
        ? [
            "# No secret is in this file: sensitive values are files (`{ _secret = …; }`), other token-like values are",
            `# \${${ENV_PREFIX}…} references to ${join(secretsDir, ENV_FILE)}.`,
          ]
        : moves.length > 0
          ? ["# No secret is in this file: sensitive values are files (`{ _secret = …; }`) in", `# ${secretsDir}.`]
          : ["# The config held no inline secret."]),
      ...(movedToService.length > 0 ? [`# ${movedToService.map(displayPath).join(", ")}: set as service options in default.nix.`] : []),
      "{",
      attributes(tree, [], "  ", { comment, width: 100 }).trimEnd(),
      "}",
      "",
    ].join("\n");

  const serviceLines: string[] =
    instance === undefined
      ? ["  services.clawdbot = {", "    enable = true;"]
      : [`  services.clawdbot.instances.${nixName(instance)} = {`];
  if (service.port !== undefined) serviceLines.push(`    port = ${service.port};`);
  if (service.bind !== undefined) serviceLines.push(`    bind = ${nixString(service.bind)};`);
  if (service.auth && (service.auth.mode !== "none" || service.auth.tokenFile || service.auth.passwordFile)) {
    serviceLines.push(`    auth.mode = ${nixString(service.auth.mode)};`);
    if (service.auth.tokenFile) serviceLines.push(`    auth.tokenFile = ${nixString(service.auth.tokenFile)};`);
    if (service.auth.passwordFile) serviceLines.push(`    auth.passwordFile = ${nixString(service.auth.passwordFile)};`);
  }
  if (envLines.length > 0) serviceLines.push(`    environmentFiles = [ ${nixString(join(secretsDir, ENV_FILE))} ];`);
  if (variables.size > 0) {
    serviceLines.push("    # The settings read these variables (`${NAME}`): provide them through `environment` (not for", "    # secrets: it is in the store) or a file in `environmentFiles`:");
    for (const [name, paths] of [...variables].sort(([a], [b]) => (a < b ? -1 : 1))) {
      serviceLines.push(`    #   ${name} (${paths.map(displayPath).join(", ")})`);
    }
  }
  serviceLines.push("    settings = import ./settings.nix;", "  };");
  const moduleText = [
    "# The Clawdbot service as the imported config implies it, written by `clawdbot-nix import` from",
    `#   ${source.file}`,
    "# Add this directory to `imports` next to the flake's module (NixOS, Home Manager or nix-darwin).",
    "{",
    ...serviceLines,
    "}",
    "",
  ].join("\n");

  const nixTexts = [
    { path: join(out, "default.nix"), text: moduleText, mode: 0o644 },
    { path: join(out, "settings.nix"), text: settingsText, mode: 0o644 },
  ];
  for (const { path } of nixTexts) {
    const firstLine = existsSync(path) ? readFileSync(path, "utf8").split("\n", 1)[0]! : undefined;
    if (firstLine !== undefined && !firstLine.includes(MARKER) && !options.force) {
      throw new ImportError(`${path} exists and was not written by clawdbot-nix import: choose another --out, or pass --force to replace it`);
    }
  }
  const texts = [
    { path: join(out, "default.nix"), text: moduleText, mode: 0o644 },
    { path: join(out, "settings.nix"), text: settingsText, mode: 0o644 },
    ...secretTexts,
  ];
  const result: ImportResult = {
    source,
    files: texts.map(({ path, mode }) => ({ path, mode })),
    moves,
    service,
    movedToService,
    variables,
    warnings: problems.filter((p) => p.warning),
    notes,
    settings: renderedForm(tree),
  };
  return { result, texts };
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

/** Write every file atomically (temporary name, then rename); on failure remove what this run created. */
export function writeAll(texts: { path: string; text: string; mode: number }[]): void {
  const createdDirs: string[] = [];
  const temps: string[] = [];
  const ensureDir = (dir: string, mode: number): void => {
    const missing: string[] = [];
    for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
    for (const d of missing) {
      mkdirSync(d, { mode });
      createdDirs.push(d);
    }
  };
  try {
    for (const { path, text, mode } of texts) {
      ensureDir(dirname(path), mode === 0o600 ? 0o700 : 0o755);
      const temp = join(dirname(path), `.${path.slice(dirname(path).length + 1)}.tmp-${process.pid}`);
      const fd = openSync(temp, "w", mode);
      temps.push(temp);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    texts.forEach(({ path }, i) => renameSync(temps[i]!, path));
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
    throw error;
  }
}

/** Plan, then write. Throws ConfigReadError / ImportError with nothing written. */
export function runImport(input: string, options: ImportOptions): ImportResult {
  const { result, texts } = planImport(input, options);
  writeAll(texts);
  return result;
}

/** The printed report: what moved where, what the service needs. No secret value is printed. */
export function formatReport(result: ImportResult, dryRun = false): string {
  const lines: string[] = [];
  const [moduleFile, settingsFile] = result.files;
  const wrote = dryRun ? "would write" : "wrote";
  lines.push(`${dryRun ? "dry run: nothing written; " : ""}imported ${result.source.file}${result.source.files.length > 1 ? ` (+ ${result.source.files.length - 1} included)` : ""}`);
  lines.push(`${wrote} ${moduleFile!.path}`, `${wrote} ${settingsFile!.path}`);
  if (result.moves.length > 0) {
    lines.push(`secrets ${dryRun ? "to move" : "moved"} out of the Nix files (files mode 0600):`);
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
  if (result.movedToService.length > 0) lines.push(`service options set from the config: ${result.movedToService.map(displayPath).join(", ")}`);
  if (result.variables.size > 0) {
    lines.push("environment variables the config reads (kept as ${NAME}; give them to the service):");
    for (const [name, paths] of result.variables) lines.push(`  ${name}  (${paths.map(displayPath).join(", ")})`);
  }
  for (const warning of result.warnings) lines.push(formatProblem(warning));
  for (const note of result.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}
