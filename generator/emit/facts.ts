// IR → modules/generated/<gateway>/facts.json: the facts derived from upstream's schema that the modules, the image and
// the CLI need at evaluation or run time (secret paths and the secret-key rule, channel and plugin ids, port
// fields). Written once here; nobody re-derives them.
import { walkTypes, type IrModule, type IrType } from "../ir.js";
import { SECRET_KEY_PATTERN } from "../secrets.js";
import type { UpstreamPlugins } from "../upstream.js";

/** The content of modules/generated/<gateway>/facts.json. Paths: "*" = any attribute name, "[]" = any list element. */
export interface Facts {
  $comment: string;
  /** The gateway version the facts are of. */
  version: string;
  secrets: {
    /** Every place of clawdbot.json that holds a secret string (and accepts `{ _secret = "/path"; }`). */
    paths: string[][];
    /**
     * POSIX extended regular expression matched against a whole key name (`builtins.match`): a key it
     * matches holds a secret wherever the schema cannot type the value (the `freeform` places).
     */
    keyPattern: string;
    /** Places whose content the schema leaves untyped (plugin channels, plugin configs): apply keyPattern at any depth below. */
    freeform: string[][];
    /**
     * The secret places that also accept upstream's own reference to an environment variable (OpenClaw's
     * SecretRef `{ source = "env"; provider; id; }`): the modules render `{ _secret = …; }` there as that
     * reference, and as a `${NAME}` string elsewhere. Empty for a gateway without SecretRefs.
     */
    referencePaths: string[][];
    /**
     * URLs that may carry credentials in their userinfo (generator/secrets.ts CREDENTIAL_URL_PLACES): they
     * accept `{ _secret = "/path"; }` too, and the modules refuse a literal with a password in its userinfo.
     */
    urlPaths: string[][];
  };
  /** Channel ids the gateway knows without a plugin the config declares: core channels and bundled plugins' channels. */
  channels: string[];
  /** Keys of `channels` that are not channels (defaults for every channel). */
  channelSettingsKeys: string[];
  /** Ids of the plugins bundled with the gateway (valid `plugins.entries.<id>`, `plugins.allow`…). */
  plugins: string[];
  /** For each bundled plugin that provides channels, its channel ids. */
  channelPlugins: Record<string, string[]>;
  /** Places that hold a TCP port (integers in 1..65535 or 0..65535). */
  ports: string[][];
  /**
   * OpenClaw only: plugins published separately on npm (upstream's official channel catalog), by id, with
   * their package and channel ids. Their channels are typed (upstream's schema declares them) but the
   * gateway refuses them unless the plugin is loaded (nix/openclaw/plugins.nix packages them).
   */
  externalPlugins?: Record<string, { package: string; channels: string[] }>;
}

const key = (path: string[]): string => path.join("\u0000");

function unique(paths: string[][]): string[][] {
  const seen = new Map<string, string[]>();
  for (const path of paths) if (!seen.has(key(path))) seen.set(key(path), path);
  return [...seen.values()];
}

/** Places in the IR where a type node satisfies `test`. */
function placesWhere(module: IrModule, test: (type: IrType) => boolean): string[][] {
  const out: string[][] = [];
  walkTypes(module, (type, path) => {
    if (test(type)) out.push(path);
  });
  return unique(out);
}

/** Every place of a secret string (or secret free-form value) in the option tree. */
export function secretPathsOf(module: IrModule): string[][] {
  return placesWhere(module, (type) => (type.kind === "str" || type.kind === "anything") && type.secret === true);
}

/** A `{ source, provider, id }` object whose source may be "env": upstream's reference to an environment variable. */
function isEnvReference(type: IrType): boolean {
  if (type.kind !== "submodule") return false;
  const names = type.fields.map((f) => f.name).sort();
  const source = type.fields.find((f) => f.name === "source")?.type;
  return names.join(",") === "id,provider,source" && source?.kind === "enum" && source.values.includes("env");
}

/** The secret places that accept an environment-variable reference too. */
export function referencePathsOf(module: IrModule, secretPaths: string[][]): string[][] {
  const references = new Set(placesWhere(module, isEnvReference).map(key));
  return secretPaths.filter((path) => references.has(key(path)));
}

/** Every untyped place (`anything` that is not itself a secret value). */
export function freeformPathsOf(module: IrModule): string[][] {
  return placesWhere(module, (type) => type.kind === "anything" && type.secret !== true);
}

export function emitFacts(input: {
  settings: IrModule;
  secretPaths: string[][];
  plugins: UpstreamPlugins;
  version: string;
  comment: string;
}): { facts: Facts; text: string } {
  const { settings, plugins } = input;
  const declared = settings.root.fields.find((f) => f.name === "channels");
  const declaredChannels =
    declared && declared.type.kind === "submodule" ? declared.type.fields.map((f) => f.name) : [];
  const bundledChannels = plugins.plugins.flatMap((p) => p.channels);
  const channels = [...new Set([...plugins.coreChannels, ...bundledChannels])].sort();
  // A channel the schema types but upstream's registry does not know would be refused by the gateway; a
  // separately published plugin's channel is a channel once its plugin is loaded.
  const externalChannels = (plugins.external ?? []).flatMap((p) => p.channels);
  const notChannels = declaredChannels.filter((name) => !channels.includes(name) && !externalChannels.includes(name));
  const facts: Facts = {
    $comment: input.comment,
    version: input.version,
    secrets: {
      paths: input.secretPaths,
      keyPattern: SECRET_KEY_PATTERN,
      freeform: freeformPathsOf(settings),
      referencePaths: referencePathsOf(settings, input.secretPaths),
      urlPaths: placesWhere(settings, (type) => type.kind === "str" && type.secret === "url"),
    },
    channels,
    channelSettingsKeys: notChannels,
    plugins: plugins.plugins.map((p) => p.id).sort(),
    channelPlugins: Object.fromEntries(plugins.plugins.filter((p) => p.channels.length > 0).map((p) => [p.id, p.channels])),
    ports: placesWhere(settings, (type) => type.kind === "port"),
    ...(plugins.external
      ? { externalPlugins: Object.fromEntries(plugins.external.map((p) => [p.id, { package: p.package, channels: p.channels }])) }
      : {}),
  };
  return { facts, text: formatFacts(facts) };
}

/** JSON with each path on one line (readable diffs), everything else two-space indented. */
function formatFacts(facts: Facts): string {
  const text = JSON.stringify(facts, null, 2);
  // Collapse arrays of plain strings onto one line.
  return text.replace(/\[\n(\s+"[^"\n]*",?\n)+\s+\]/g, (match) => `[ ${match.slice(1, -1).trim().split(/,?\n\s+/).join(", ")} ]`) + "\n";
}
