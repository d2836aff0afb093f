// The gateways the tests prepare and run: what the generator's description says (generator/gateways.ts: where
// its Nix inputs are, the Node it runs on, its wrapper, environment prefix and config file, how its health is
// asked), and what only the tests need (the cache folder of its prepared trees, the files that decide them).
import { GATEWAYS, type GatewayDescription, type GatewayName } from "../../generator/gateways.js";

export type { GatewayName };

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
  envPrefix: string;
  /** Config file name in the state dir. */
  configName: string;
  /** Folder under the test cache holding its prepared trees. */
  cacheFolder: string;
  /** Files whose content decides the prepared tree (Clawdbot's list lives in gateway.ts, unchanged). */
  inputs: string[];
  /** Health: the WebSocket health request (Clawdbot) or the unauthenticated HTTP `/readyz` (OpenClaw). */
  health: "ws" | "http";
}

/** The description's part (generator/gateways.ts), as the tests name it. */
const described = (g: GatewayDescription) => ({
  name: g.name,
  packageName: g.packageName,
  dir: g.lockDir,
  nodeMajor: g.nodeMajor,
  bin: g.package.bin,
  share: g.name,
  envPrefix: g.envPrefix,
  configName: g.configName,
  health: g.health === "websocket" ? ("ws" as const) : ("http" as const),
});

export const GATEWAY_KINDS: Record<GatewayName, GatewayKind> = {
  clawdbot: {
    ...described(GATEWAYS.clawdbot),
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
  },
  openclaw: {
    ...described(GATEWAYS.openclaw),
    cacheFolder: "openclaw",
    inputs: [
      "nix/openclaw/package.json",
      "nix/openclaw/package-lock.json",
      "nix/openclaw/build.json",
      "nix/prune.mjs",
      "nix/openclaw/compile-cache-seed.mjs",
      "nix/openclaw/build-compile-cache.mjs",
      "nix/openclaw/health-probe.mjs",
    ],
  },
};
