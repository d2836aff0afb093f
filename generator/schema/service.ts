// The service options of one gateway instance — the single source of truth for the NixOS, Home Manager and
// nix-darwin modules' options, the service options' JSON schema and their part of the options reference.
//
// Every field has `.describe()`. Metadata the lowering needs goes in `.meta()`, which zod 4 copies into the
// JSON schema as `x-` keys: `x-port`, `x-path`, `x-sensitive` (a file that holds a secret), `x-platforms`
// (where the option exists), `x-computed-default` (the module computes the default; the text documents it).
//
// The options are the same for every gateway; their text names the gateway's own files, variables and
// commands (`ServiceNames`, from generator/gateways.ts), and `customBind` follows what its config schema
// accepts.
import { z } from "zod";
import { GATEWAYS } from "../gateways.js";

/** What the options' text says of one gateway. */
export interface ServiceNames {
  /** services.<name>, the command, the state folder. */
  name: string;
  displayName: string;
  envPrefix: string;
  configName: string;
  /** The gateway's own default workspace and log file (when the module sets none). */
  defaultWorkspace: string;
  defaultLog: string;
  /** Whether its config schema accepts `gateway.customBindHost` (bind = "custom"). */
  customBind: boolean;
  /** The memory figures users need (measured; bench/). */
  memoryAdvice: string;
  /** How the owner's command gives the Control UI's URL with the token. */
  dashboard: string;
  /** Ids of the separately published plugins this flake packages (the `plugins` option; none: no option). */
  packagedPlugins: string[];
  pluginsAttr: string;
  /** It cannot run under DynamicUser= (generator/gateways.ts openat2): NixOS runs it as a system user of its name. */
  openat2: boolean;
  /** Its CLI has `backup create --verify` (the default of `backup.enable`). */
  backupCommand: boolean;
  /** It has the watchdog options (`watchdog.*`): the units run its health probe (nix/openclaw/health-probe.mjs). */
  watchdog: boolean;
}

type Platform = "nixos" | "home-manager" | "darwin";

const path = (description: string) => z.string().describe(description).meta({ "x-path": true });
const secretFile = (description: string) =>
  z.string().describe(description).meta({ "x-path": true, "x-sensitive": true }).nullable().default(null);
const computed = (text: string) => ({ "x-computed-default": text });
const only = (...platforms: Platform[]) => ({ "x-platforms": platforms });

export function serviceOptionsFor(g: ServiceNames) {
  const cmd = g.name;
  // prettier-ignore
  return z
  .object({
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(18789)
      .describe(
        "Port of the gateway's HTTP and WebSocket listener. The gateway also uses the next ports: " +
          "browser control on port + 2 and + 3 (loopback only) and the canvas host on port + 4.",
      )
      .meta({ "x-port": true }),
    bind: z
      .enum(["loopback", "lan", "tailnet", "auto", "custom"])
      .default("loopback")
      .describe(
        "Where the gateway listens. `loopback` (127.0.0.1, the default) reaches only this machine; `lan` (all interfaces), " +
          "`tailnet` and `auto` reach the network and need token or password authentication (`auth.mode`). " +
          (g.customBind
            ? "`custom` listens on `settings.gateway.customBindHost` (an IPv4 address) and needs authentication too."
            : "`custom` is refused: at this gateway version its `gateway.customBindHost` is rejected by the config schema."),
      ),
    auth: z
      .object({
        mode: z
          .enum(["none", "token", "password"])
          .default("token")
          .describe(
            "How the gateway's clients authenticate. `token` (the default): with `auth.tokenFile` unset, a token is " +
              "generated at the first start into `<stateDir>/gateway-token` (owner-only, never in the Nix store) " +
              `and reused; the module's \`${cmd}\` command reads it, ${g.dashboard}. ` +
              "`password` reads `auth.passwordFile`. `none` lets ANY local process and any web page " +
              "open on this machine connect from loopback, be paired automatically and act as the gateway's " +
              "administrator (read the config with its resolved secrets, run the agent's tools): choose it only " +
              "on a machine where you are the only user and browse nothing; it is refused with a non-loopback " +
              "`bind`, Tailscale serve/funnel or `settings.gateway.trustedProxies`.",
          ),
        tokenFile: secretFile(
          `File holding the gateway token (\`${g.envPrefix}_GATEWAY_TOKEN\`), e.g. from agenix or sops-nix. Read at ` +
            "service start (systemd `LoadCredential` on NixOS), never copied into the Nix store. Unset with " +
            "`auth.mode = \"token\"`: the token is generated at the first start into `<stateDir>/gateway-token`.",
        ),
        passwordFile: secretFile(
          `File holding the gateway password (\`${g.envPrefix}_GATEWAY_PASSWORD\`). Read at service start, never ` +
            "copied into the Nix store.",
        ),
      })
      .default({ mode: "token", tokenFile: null, passwordFile: null })
      .describe("Authentication of the gateway's clients."),
    stateDir: path(
      `The gateway's state directory (\`${g.envPrefix}_STATE_DIR\`): sessions, credentials, device identity. ` +
        "Kept across restarts, upgrades and rollbacks.",
    )
      .optional()
      .meta(computed(`\`/var/lib/${g.name}\` on NixOS, \`~/.${g.name}\` under Home Manager and nix-darwin; instances add \`-<name>\``)),
    configPath: path(
      `Where the gateway reads its config (\`${g.envPrefix}_CONFIG_PATH\`). The service keeps a symlink there to the ` +
        `rendered \`${g.configName}\` in the Nix store and re-creates it at every start, so a change made at run ` +
        "time (Control UI, `config.set`) never outlives a restart.",
    )
      .optional()
      .meta(computed(`\`<stateDir>/${g.configName}\``)),
    workspace: path(`The agents' workspace directory; rendered as \`agents.defaults.workspace\`. \`null\` keeps the gateway's default (\`${g.defaultWorkspace}\`).`)
      .nullable()
      .default(null),
    logFile: path(
      "The gateway's log file; rendered as `logging.file` unless `settings.logging.file` is set. " +
        `\`null\` leaves the gateway's default (\`${g.defaultLog}\`); the service's output ` +
        "also goes to the journal (or the launchd log files).",
    )
      .nullable()
      .optional()
      .meta(computed("`<stateDir>/logs/gateway.log`")),
    environment: z
      .record(z.string(), z.string())
      .default({})
      .describe("Extra environment variables of the gateway process. Not for secrets: these land in the Nix store."),
    environmentFiles: z
      .array(z.string().regex(/^-?[/].*/))
      .default([])
      .describe(
        "Files of `NAME=value` lines read at service start (systemd `EnvironmentFile` format); the way to pass " +
          "provider API keys referenced as `\${NAME}` in the settings. Absolute paths outside the Nix store; a " +
          "leading `-` (`\"-/run/secrets/gateway.env\"`) makes a file optional, as in systemd. A `\${NAME}` " +
          "the config references but no file sets stops the start with a message naming it.",
      ),
    extraArgs: z.array(z.string()).default([]).describe(`Extra arguments appended to \`${cmd} gateway\`.`),
    tools: z
      .array(z.string())
      .default([])
      .describe(
        "Baked tool binaries put on the gateway's PATH (names from `clawdbotTools`, e.g. `gogcli`, `goplaces`). " +
          "A tool without a release for this system is an evaluation error.",
      ),
    memory: z
      .object({
        profile: z
          .string()
          .regex(/^[1-9][0-9]*[KMGT]?$/)
          .nullable()
          .default(null)
          .describe(
            "The memory the service may use, as systemd writes a size (`\"2G\"`, `\"1536M\"`), and everything that " +
              "follows from it: `MemoryMax` (the hard limit of the whole service, the commands its agents run " +
              "included), `MemoryHigh` at 90 % (the kernel reclaims and throttles there before the hard limit), Node's " +
              "heap limit at 75 % (`--max-old-space-size` in `NODE_OPTIONS`, in MiB) and `OOMScoreAdjust = 500` (when " +
              "the whole machine runs out of memory, the gateway and its agents' commands go before the system's own " +
              "services). `memory.max` and `memory.heapMiB`, when set, win over their share. On macOS (launchd has no " +
              "memory limit) only the heap limit applies. `null`: no limit, Node's own heap limit. " +
              `${g.displayName}: \`"2G"\` is the recommended figure (see \`memory.max\`).`,
          )
          .meta({ examples: ["2G"] }),
        max: z
          .string()
          .nullable()
          .default(null)
          .describe(
            "Hard memory limit of the whole service, the commands its agents run included (systemd `MemoryMax`); " +
              `Linux only. ${g.memoryAdvice}`,
          ),
        heapMiB: z
          .number()
          .int()
          .positive()
          .nullable()
          .default(null)
          .describe("V8 heap limit in MiB (`node --max-old-space-size`); `null` keeps Node's default."),
      })
      .default({ profile: null, max: null, heapMiB: null })
      .describe("Memory limits of the gateway process."),
    backup: z
      .object({
        enable: z
          .boolean()
          .default(g.backupCommand)
          .describe(
            "Take a backup of the gateway's state before a new package first runs on it. At each start the service " +
              "compares the package it runs with the one recorded in `<stateDir>/.nix-package`; when they differ " +
              "(an upgrade, a rollback, another build) it first runs the gateway's own `backup create --verify` " +
              "into `backup.directory` (the state folder, config, credentials, sessions and workspaces, verified " +
              "after writing), keeps the `backup.keep` newest archives, then records the package. A backup that " +
              "fails stops the start, with the reason in the journal. Restore: docs/backups.md." +
              (g.backupCommand
                ? ""
                : ` The pinned ${g.displayName} release has no backup command: \`true\` is refused (back up \`stateDir\` yourself, or move to \`services.openclaw\`: docs/migrating.md).`),
          ),
        keep: z
          .number()
          .int()
          .positive()
          .default(5)
          .describe("How many backups `backup.directory` keeps (the newest; older ones are removed after a new one is verified)."),
        directory: path(
          `Where the backups go: \`null\` is \`<stateDir>-backups\` (\`/var/lib/${g.name}-backups\` on NixOS, ` +
            `\`~/.${g.name}-backups\` under Home Manager and nix-darwin). Outside \`stateDir\`: the gateway's ` +
            "backup command refuses to write inside what it backs up.",
        )
          .nullable()
          .default(null),
      })
      .default({ enable: g.backupCommand, keep: 5, directory: null })
      .describe("The backup of the gateway's state before an upgrade."),
    bonjour: z
      .boolean()
      .default(false)
      .describe(`Advertise the gateway over mDNS/Bonjour. Off by default for a server (\`${g.envPrefix}_DISABLE_BONJOUR=1\`).`),
    allowInlineSecrets: z
      .boolean()
      .default(false)
      .describe(
        "Allow literal values at sensitive settings paths (e.g. `gateway.auth.token`). They end up in the " +
          "world-readable Nix store; use `{ _secret = \"/path\"; }` instead.",
      ),
    openFirewall: z
      .boolean()
      .default(false)
      .describe("Open `port` in the firewall. Only meaningful with a non-loopback `bind`.")
      .meta(only("nixos")),
    user: z
      .string()
      .nullable()
      .default(g.openat2 ? g.name : null)
      .describe(
        g.openat2
          ? `System user the service runs as. The default \`"${g.name}"\` is created by the module (the state ` +
              `directory is its own). \`null\` (a transient \`DynamicUser\`) is refused: ${g.displayName} opens ` +
              "files with openat2(), which systemd refuses under DynamicUser= (it implies RestrictSUIDSGID=)."
          : `System user the service runs as. \`null\` runs it as a transient \`DynamicUser\`; a user named \`"${g.name}"\` is created by the module.`,
      )
      .meta(only("nixos")),
    group: z
      .string()
      .nullable()
      .default(null)
      .describe("System group of the service. `null` follows `user` (or the dynamic user).")
      .meta(only("nixos")),
    ...(g.watchdog
      ? {
          watchdog: z
            .object({
              enable: z
                .boolean()
                .default(false)
                .describe(
                  "Probe the gateway every `watchdog.interval` with the health probe (ready, and every configured " +
                    "channel's plugin registered and its channel running or retrying) and restart the service when " +
                    "it fails `watchdog.failures` times in a row.",
                ),
              interval: z
                .string()
                .default("1min")
                .describe("How often the watchdog probes the gateway, as a systemd time span (`\"30s\"`, `\"1min\"`, `\"5min\"`)."),
              failures: z
                .number()
                .int()
                .positive()
                .default(3)
                .describe("How many failed probes in a row make the watchdog restart the service."),
            })
            .default({ enable: false, interval: "1min", failures: 3 })
            .describe("Restarting a gateway that stopped being healthy."),
        }
      : {}),
    ...(g.packagedPlugins.length > 0
      ? {
          plugins: z
            .array(z.enum(g.packagedPlugins as [string, ...string[]]))
            .default([])
            .describe(
              `Separately published ${g.displayName} plugins to load besides those of the configured channels, ` +
                `packaged from npm at the gateway's version (\`${g.pluginsAttr}\`): a channel configured in ` +
                "`settings.channels` (and not `enabled = false`) loads its plugin by itself, as home-assistant " +
                "derives its components from its config; list here the plugins no channel pulls in. The module adds " +
                "each one's store folder to `settings.plugins.load.paths` and enables it. A configured channel whose " +
                "plugin this flake does not package is an evaluation error, unless `settings.plugins.load.paths` " +
                "names a folder of your own.",
            ),
        }
      : {}),
  })
  .strict()
  .describe(`Options of one ${g.displayName} gateway service instance.`);
}

/** The service options' text for a gateway of generator/gateways.ts. */
export function serviceNamesOf(name: keyof typeof GATEWAYS, customBind: boolean): ServiceNames {
  const g = GATEWAYS[name];
  return {
    name: g.name,
    displayName: g.displayName,
    envPrefix: g.envPrefix,
    configName: g.configName,
    defaultWorkspace: g.defaultWorkspace,
    defaultLog: g.defaultLog,
    customBind,
    memoryAdvice: g.memoryAdvice,
    dashboard: g.dashboard,
    packagedPlugins: g.packagedPlugins,
    pluginsAttr: g.pluginsAttr ?? "",
    openat2: g.openat2,
    backupCommand: g.backupCommand,
    // the health probe the watchdog runs is OpenClaw's (Clawdbot's nix/health-probe.mjs checks no channel)
    watchdog: name === "openclaw",
  };
}

