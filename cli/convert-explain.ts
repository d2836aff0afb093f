// Why OpenClaw still refuses a key of a converted Clawdbot config, and what to do about it (issue 21.3). Each
// refusal of OpenClaw's validator is matched against what we know: a service option, a key retired without a
// successor, a plugin channel, a `${VAR}` where no string fits, a reference to an agent the config does not define,
// a typo. A refusal none of them explains keeps OpenClaw's own message and counts as unexplained
// (conversionFigure), so a new kind of refusal shows up in the figure instead of hiding behind a generic fix.
import type { JsonObject } from "./read-config.js";
import { valueAt } from "./json-path.js";
import { nearest } from "./suggest.js";
import { knownChannelIds, type Target } from "./targets.js";
import { upstreamPath } from "./check.js";
import type { UpstreamIssue } from "./upstream-validator.js";
import { displayPath, readsEnv, schemaAt, serviceOptionFor, type Segment } from "./validate.js";

export interface Refusal extends UpstreamIssue {
  /** The refused key, as segments (a key holding dots is one segment). */
  segments: Segment[];
  /** The key as Nix writes it: `broadcast."120363…@g.us"[0]`. */
  where: string;
  /** Why OpenClaw refuses it. */
  why: string;
  /** What to do about it, in words. */
  fix: string;
  /** false: only OpenClaw's own message, no explanation of ours. */
  explained: boolean;
}

/** The converted config's gateway as the messages name it: its module and its release. */
const moduleOf = (target: Target): string => target.gateway.module;
const releaseOf = (target: Target): string => `${target.displayName} ${target.version}`;

/**
 * Keys Clawdbot had and OpenClaw dropped without a migration (neither release's migration moves them), with what
 * replaces them. Found by converting every config example in Clawdbot 2026.1.24-3's own documentation
 * (tests/cli/convert.test.ts) and reading OpenClaw's schema and dist for the successor.
 */
const GONE: { path: string[]; fix: (release: string) => string }[] = [
  {
    path: ["browser", "controlUrl"],
    fix: () => `OpenClaw serves browser control itself on the gateway's port + 2 (no setting): remove it. A browser on another machine is reached through its DevTools endpoint, browser.cdpUrl or browser.profiles.<name>.cdpUrl, or through a node host running there`,
  },
  { path: ["browser", "controlToken"], fix: () => `OpenClaw authenticates its own browser control: remove it together with browser.controlUrl` },
  {
    path: ["models", "bedrockDiscovery"],
    fix: (release) => `${release} has no Bedrock model discovery (no setting, no bundled Bedrock plugin): remove it and declare the Bedrock models you use under models.providers.<name> (baseUrl, api, models)`,
  },
  ...["allowedControlUrls", "allowedControlHosts", "allowedControlPorts"].map((key) => ({
    path: ["agents", "defaults", "sandbox", "browser", key],
    fix: (release: string) => `the sandbox browser has no control allowlist in ${release}: remove it; agents.defaults.sandbox.browser.allowHostControl = true lets sandboxed sessions drive the host's browser`,
  })),
];

/** Top-level keys retired before OpenClaw's migrations were written: Clawdbot's own load-time migration moves them. */
const RETIRED: Record<string, string> = {
  agent: "agents.defaults (model → agents.defaults.model.primary, workspace → agents.defaults.workspace, tools → tools.*)",
  routing: "messages, channels.<id> and bindings",
  identity: "agents.entries.<id>.identity",
};

const matches = (pattern: string[], path: Segment[]): boolean =>
  pattern.length === path.length && pattern.every((p, i) => p === "*" || p === path[i]);


/** The keys OpenClaw's schema has at a path (for did-you-mean). */
function keysAt(path: Segment[], target: Target): string[] {
  const node = schemaAt(path, target.schema)?.node;
  return node?.properties ? Object.keys(node.properties) : [];
}

/** One unknown key: why and the fix. */
function unknownKey(path: Segment[], stage1: boolean, target: Target): { why: string; fix: string } {
  const key = path.at(-1) as string;
  const where = displayPath(path);
  const module = moduleOf(target);
  const release = releaseOf(target);
  const option = serviceOptionFor(path, target) ?? (matches(["gateway", "token"], path) ? `${module}.auth.tokenFile` : undefined);
  if (option) return { why: `${where} is the service's to set, not a key of OpenClaw's config`, fix: `set the service option ${option} instead (a file holding the value for a secret)` };
  const gone = GONE.find((g) => matches(g.path, path));
  if (gone) return { why: `${release} has no ${where}, and neither Clawdbot's nor OpenClaw's migration moves it`, fix: gone.fix(release) };
  if (path.length === 1 && RETIRED[key]) {
    return {
      why: `${key} was retired before OpenClaw's migrations were written; Clawdbot's own load-time migration moves it${stage1 ? "" : ", and it did not run (no Clawdbot package found)"}`,
      fix: `move its settings to ${RETIRED[key]}, or convert with Clawdbot's package available (CLAWDBOT_NIX_GATEWAY)`,
    };
  }
  const near = nearest(key, keysAt(path.slice(0, -1), target).filter((k) => k !== key));
  if (near) return { why: `${release} has no ${where}`, fix: `did you mean ${displayPath([...path.slice(0, -1), near])}? Rename it` };
  return {
    why: `${release} has no ${where}, and neither Clawdbot's nor OpenClaw's migration moves it`,
    fix: `remove it (${target.gateway.docs} lists every setting ${release} has)`,
  };
}

/** The external plugin that provides a channel, if OpenClaw knows one. */
const pluginOfChannel = (channel: string, target: Target): string | undefined =>
  Object.entries(target.facts.externalPlugins ?? {}).find(([, p]) => p.channels.includes(channel))?.[0];

/**
 * Explain OpenClaw's refusals of a converted config. `stage1`: Clawdbot's own migration ran first. `target`: the
 * gateway the config was converted for (its module, release, schema, plugins: named by the caller, never assumed).
 * Unrecognized keys are split, one refusal per key.
 */
export function explainRefusals(issues: UpstreamIssue[], config: JsonObject, stage1: boolean, target: Target): Refusal[] {
  const module = moduleOf(target);
  const release = releaseOf(target);
  const out: Refusal[] = [];
  const push = (issue: UpstreamIssue, segments: Segment[], why: string, fix: string, explained = true): void => {
    out.push({ ...issue, segments, where: displayPath(segments), why, fix, explained });
  };
  for (const issue of issues) {
    const segments = upstreamPath(issue.path, config);
    const where = displayPath(segments);
    const message = issue.message.split("\n")[0]!;
    const value = valueAt(config, segments);
    let m: RegExpExecArray | null;
    if ((m = /^Unrecognized keys?: (.+)$/.exec(message))) {
      for (const [, key] of m[1]!.matchAll(/"([^"]+)"/g)) {
        const path = [...segments, key!];
        const { why, fix } = unknownKey(path, stage1, target);
        push({ ...issue, message: `unknown key ${JSON.stringify(key)}` }, path, why, fix);
      }
    } else if ((m = /^unknown channel id: (\S+)/.exec(message))) {
      const channel = m[1]!;
      const plugin = pluginOfChannel(channel, target);
      const near = nearest(channel, knownChannelIds(target));
      if (plugin) push(issue, segments, `the ${channel} channel is a separately published plugin in ${release}`, `${module}.plugins = [ ${JSON.stringify(plugin)} ];`);
      else if (near) push(issue, segments, `${release} has no channel ${JSON.stringify(channel)}`, `did you mean ${displayPath(["channels", near])}? Rename it`);
      else push(issue, segments, `${release} has no ${channel} channel: neither built in nor a published plugin it knows`, `remove ${where}, or load a plugin that provides it (plugins.load.paths)`);
    } else if ((m = /^Unknown agent id "([^"]+)" \(not in agents\.entries\)/.exec(message))) {
      const id = m[1]!;
      push(issue, segments, `it names the agent ${JSON.stringify(id)}, which the config does not define (Clawdbot did not check; OpenClaw does)`, `define it as agents.entries.${displayPath([id])}, or remove the reference`);
    } else if (/expected (number|boolean|object|array), received string/.test(message) && readsEnv(config, segments)) {
      const fix = segments.join(".") === "gateway.port" ? `leave it out and set ${module}.port, or write the number` : "write the value itself";
      push(issue, segments, `${where} reads an environment variable, and a substituted value is always a string, which this field never accepts`, fix);
    } else if ((m = /^Invalid input \(allowed: (.+)\)$/.exec(message))) {
      const allowed = [...m[1]!.matchAll(/"([^"]*)"/g)].map((a) => a[1]!);
      const service = ({ "gateway.bind": `${module}.bind`, "gateway.auth.mode": `${module}.auth.mode` } as Record<string, string>)[segments.join(".")];
      if (typeof value === "string" && readsEnv(config, segments)) {
        push(issue, segments, `${where} reads an environment variable (${value}); OpenClaw's validator sees the reference, not its value`, `write one of ${m[1]} ${service ? `(the service option ${service})` : ""}`.trim());
      } else {
        const near = typeof value === "string" ? nearest(value, allowed) : undefined;
        push(issue, segments, `${where} is ${JSON.stringify(value)}, which ${release} does not accept (allowed: ${m[1]})`, near ? `did you mean ${JSON.stringify(near)}?` : `choose one of ${m[1]}${service ? ` (the service option ${service})` : ""}`);
      }
    } else if (/must resolve to loopback when gateway\.tailscale\.mode=serve/.test(message)) {
      push(issue, segments, `Tailscale Serve proxies to the gateway on loopback, so ${release} requires a loopback bind with it`, `${module}.bind = "loopback"; (Serve still publishes it on the tailnet)`);
    } else if ((m = /^Sandbox security: bind mount "([^"]+)" uses a non-absolute source path "([^"]+)"/.exec(message))) {
      push(issue, segments, `${release} takes only absolute host paths in sandbox binds (no ~ expansion)`, `write ${JSON.stringify(m[2])} as an absolute path (e.g. /home/<user>/${m[2]!.replace(/^~\/?/, "")})`);
    } else if (/^Duplicate agentDir detected/.test(message)) {
      push(issue, segments, "two agents share one agentDir: their sessions and auth would collide", "give each agent its own agentDir, or leave agentDir out (each agent then gets its own)");
    } else if (/^identity\.avatar must be/.test(message)) {
      push(issue, segments, message, "use a path inside the agent's workspace, an http(s) URL or a data: URI");
    } else if ((m = /^unknown heartbeat target: (.+)$/.exec(message))) {
      const near = nearest(m[1]!, ["last", "none", ...knownChannelIds(target)]);
      push(issue, segments, `${release} has no channel ${JSON.stringify(m[1])} to send heartbeats to`, near ? `did you mean ${JSON.stringify(near)}?` : `use "last", "none" or a configured channel id`);
    } else if ((m = /^web_search provider is not available: (\S+)/.exec(message))) {
      push(issue, segments, `the ${m[1]} web-search provider is a plugin ${release} does not enable for this config (no API key configured for it)`, `set plugins.entries.${m[1]}.config.webSearch.apiKey (a file or \${VAR} reference), or choose another tools.web.search.provider`);
    } else if ((m = /^invalid config: must not have additional properties: (.+)$/.exec(message)) && segments[0] === "channels" && segments.length === 2) {
      const keys = [...m[1]!.matchAll(/"([^"]+)"/g)].map((k) => k[1]!);
      const channel = segments[1] as string;
      const signal = channel === "signal" && keys.some((k) => ["httpUrl", "httpHost", "httpPort", "autoStart", "cliPath"].includes(k));
      for (const key of keys) {
        push(
          { ...issue, message: `unknown key ${JSON.stringify(key)}` },
          [...segments, key],
          `the ${channel} plugin's settings in ${release} have no ${key}`,
          signal
            ? `Signal's transport is one setting now: channels.signal.transport = { kind = "external-native"; url = "<the signal-cli HTTP URL>"; } for a daemon you run (kind = "managed-native" lets OpenClaw start signal-cli); the Signal plugin's own doctor migration does this only against a reachable daemon`
            : "remove it",
        );
      }
    } else {
      push(issue, segments, message, `change it as OpenClaw's message says`, false);
    }
  }
  return out;
}

/** Print one refusal (two lines). */
export function formatRefusal(r: Refusal): string {
  return `  refused: ${r.where}: ${r.why}\n    fix: ${r.fix}`;
}

