// The gateways the tests prepare and run, each described once: where its Nix inputs are (nix/gateway,
// nix/openclaw: package.json, package-lock.json, build.json), the Node it runs on, the names of its wrapper,
// its share folder, its environment prefix and config file, and how its health is asked.
export type GatewayName = "clawdbot" | "openclaw";

export interface GatewayKind {
  name: GatewayName;
  /** The npm package (nix/<dir>/package.json pins it). */
  packageName: string;
  /** Folder of package.json, package-lock.json and build.json. */
  dir: string;
  /** Node major it runs on (from npm: node-linux-<arch>@<major>; nixpkgs: nodejs_<major>). */
  nodeMajor: number;
  /** Wrapper name (bin/<bin>) and share folder (share/<share>). */
  bin: string;
  share: string;
  /** Prefix of its environment variables: <PREFIX>_STATE_DIR, _CONFIG_PATH, _GATEWAY_TOKEN … */
  envPrefix: "CLAWDBOT" | "OPENCLAW";
  /** Config file name in the state dir. */
  configName: string;
  /** Folder under the test cache holding its prepared trees. */
  cacheFolder: string;
  /** Files whose content decides the prepared tree (Clawdbot's list lives in gateway.ts, unchanged). */
  inputs: string[];
  /** Health: the WebSocket health request (Clawdbot) or the unauthenticated HTTP `/readyz` (OpenClaw). */
  health: "ws" | "http";
}

export const GATEWAY_KINDS: Record<GatewayName, GatewayKind> = {
  clawdbot: {
    name: "clawdbot",
    packageName: "clawdbot",
    dir: "nix/gateway",
    nodeMajor: 22,
    bin: "clawdbot",
    share: "clawdbot",
    envPrefix: "CLAWDBOT",
    configName: "clawdbot.json",
    cacheFolder: "gateway",
    inputs: [
      "nix/gateway/package.json",
      "nix/gateway/package-lock.json",
      "nix/gateway/build.json",
      "nix/prune.mjs",
      "nix/jiti-seed.mjs",
      "nix/build-jiti-cache.mjs",
      "nix/health-probe.mjs",
    ],
    health: "ws",
  },
  openclaw: {
    name: "openclaw",
    packageName: "openclaw",
    dir: "nix/openclaw",
    nodeMajor: 24,
    bin: "openclaw",
    share: "openclaw",
    envPrefix: "OPENCLAW",
    configName: "openclaw.json",
    cacheFolder: "openclaw",
    inputs: [
      "nix/openclaw/package.json",
      "nix/openclaw/package-lock.json",
      "nix/openclaw/build.json",
      "nix/prune.mjs",
      "nix/openclaw/compile-cache-seed.mjs",
      "nix/openclaw/build-compile-cache.mjs",
      "nix/health-probe.mjs",
    ],
    health: "http",
  },
};
