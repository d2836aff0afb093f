// What the container tests need to know of each gateway to run the same scenarios against both: the unit
// and its environment prefix, where the tests put the token, how readiness is asked, which client the
// run-time config write speaks, what the wrapper seeds into TMPDIR, and what the gateway does with a run-time
// config write in Nix mode. The scenario scripts read the `env` given here (PREFIX, GATEWAY, READY_URL,
// WS_PROTOCOL); everything else in them is the same for both.
import { basename, dirname } from "node:path";
import type { GatewayName } from "../gateway-kinds.js";
import type { BindSpec, ContainerSpec, FileSpec } from "./container.js";
import { fakePackage, gatewayBinds, systemUsersOf, type PreparedTree } from "./store.js";

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

/** A describe title: Clawdbot's as it always was, OpenClaw's prefixed "openclaw: ". */
export const gatewayTitle = (g: ContainerGateway, title: string): string => (g.name === "clawdbot" ? title : `${g.name}: ${title}`);

/** A container run's name (its output folder): Clawdbot's as it always was, OpenClaw's prefixed "openclaw-". */
export const gatewayRunName = (g: ContainerGateway, name: string): string => (g.name === "clawdbot" ? name : `${g.name}-${name}`);

/**
 * What a NixOS scenario's container needs around gateway G's unit (text UNIT_TEXT): the unit's system user
 * (OpenClaw's `openclaw`, as users.users creates it; none for a DynamicUser unit), the prepared tree's binds,
 * the token LoadCredential reads at `g.nixosTokenFile` (bound under /run/keys), and the scenario's variables.
 */
export function nixosGatewayRun(
  g: ContainerGateway,
  gw: PreparedTree,
  unitText: string,
  opts: { port: number; token: string },
): Required<Pick<ContainerSpec, "systemUsers" | "binds" | "runtimeDirs">> & { env: Record<string, string> } {
  return {
    systemUsers: systemUsersOf(unitText),
    binds: gatewayBinds(gw),
    runtimeDirs: [{ container: dirname(g.nixosTokenFile), files: { [basename(g.nixosTokenFile)]: { content: `${opts.token}\n`, mode: 0o400 } } }],
    env: {
      NODE: gw.node,
      PKG: fakePackage(g.name),
      UNIT: g.unit,
      UNIT_SCOPE: "systemctl",
      PORT: String(opts.port),
      TOKEN_FILE: g.nixosTokenFile,
      ...g.env(opts.port),
    },
  };
}

/** The user baked into the container image (tests/support/systemd/rootfs.sh). */
export const CONTAINER_USER = { name: "alice", uid: 1000, gid: 1000, home: "/home/alice" };

/**
 * What a Home Manager scenario's container needs around gateway G's user unit for the lingering user
 * CONTAINER_USER: the user's token file (`g.hmTokenFile`, 0400 in ~/.secrets 0700), the linger file
 * `loginctl enable-linger` leaves (logind reads it at boot), the prepared tree's binds, and the scenario's
 * variables.
 */
export function homeManagerGatewayRun(
  g: ContainerGateway,
  gw: PreparedTree,
  opts: { port: number; token: string; unit: string },
): { files: FileSpec[]; binds: BindSpec[]; env: Record<string, string> } {
  const user = CONTAINER_USER;
  const owned = { uid: user.uid, gid: user.gid };
  const tokenFile = g.hmTokenFile(user.home);
  return {
    files: [
      { path: dirname(tokenFile), dir: true, mode: 0o700, ...owned },
      { path: tokenFile, content: `${opts.token}\n`, mode: 0o400, ...owned },
      { path: `/var/lib/systemd/linger/${user.name}`, content: "" },
    ],
    binds: gatewayBinds(gw),
    env: {
      NODE: gw.node,
      UNIT: opts.unit,
      USER_NAME: user.name,
      USER_UID: String(user.uid),
      PORT: String(opts.port),
      TOKEN_FILE: tokenFile,
      ...g.env(opts.port),
    },
  };
}
