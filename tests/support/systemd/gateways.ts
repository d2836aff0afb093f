// What the container tests need to know of each gateway to run the same scenarios against both: the unit
// and its environment prefix, where the tests put the token, how readiness is asked, which client the
// run-time config write speaks, what the wrapper seeds into TMPDIR, and what the gateway does with a run-time
// config write in Nix mode. The scenario scripts read the `env` given here (PREFIX, GATEWAY, READY_URL,
// WS_PROTOCOL); everything else in them is the same for both.
import type { GatewayName } from "../gateway-kinds.js";

export interface ContainerGateway {
  name: GatewayName;
  /** The default instance's unit. */
  unit: string;
  /** Its environment variables' prefix. */
  prefix: "CLAWDBOT" | "OPENCLAW";
  /** Where the NixOS tests keep the token file LoadCredential= reads. */
  nixosTokenFile: string;
  /** Where the Home Manager tests keep the user's token file. */
  hmTokenFile(home: string): string;
  /** What the package's wrapper seeds into TMPDIR at the first start (a name in `ls $TMPDIR`). */
  seed: string;
  /**
   * A run-time config.set / config.patch over WS (as the Control UI does): Clawdbot accepts it and replaces
   * the config symlink with a file of its own (the launcher puts the link back at the next start);
   * OpenClaw refuses it in Nix mode (NixModeConfigMutationError) and writes nothing.
   */
  runtimeWrite: "replaces-link" | "refused";
  /** Variables for the scenario scripts. */
  env(port: number): Record<string, string>;
}

export const CONTAINER_GATEWAYS: Record<GatewayName, ContainerGateway> = {
  clawdbot: {
    name: "clawdbot",
    unit: "clawdbot.service",
    prefix: "CLAWDBOT",
    nixosTokenFile: "/run/keys/clawdbot-gateway-token",
    hmTokenFile: (home) => `${home}/.secrets/clawdbot-gateway-token`,
    seed: "jiti",
    runtimeWrite: "replaces-link",
    // no HTTP health (every GET is the Control UI): WS health only; ws-config-set's probe client at protocol 3
    env: () => ({ PREFIX: "CLAWDBOT", GATEWAY: "clawdbot", WS_PROTOCOL: "3" }),
  },
  openclaw: {
    name: "openclaw",
    unit: "openclaw.service",
    prefix: "OPENCLAW",
    nixosTokenFile: "/run/keys/openclaw-gateway-token",
    hmTokenFile: (home) => `${home}/.secrets/openclaw-gateway-token`,
    seed: "node-compile-cache",
    runtimeWrite: "refused",
    // unauthenticated /readyz, and WS (protocol 4 for a client with scopes; the health probe's protocol-3
    // probe client is admitted too)
    env: (port) => ({ PREFIX: "OPENCLAW", GATEWAY: "openclaw", WS_PROTOCOL: "4", READY_URL: `http://127.0.0.1:${port}/readyz` }),
  },
};

/** Both gateways, Clawdbot first. */
export const CONTAINER_GATEWAY_LIST: ContainerGateway[] = [CONTAINER_GATEWAYS.clawdbot, CONTAINER_GATEWAYS.openclaw];
