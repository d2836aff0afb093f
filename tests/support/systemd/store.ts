// Put a rendered unit and what it names into a container, the way NixOS and Home Manager lay them out:
// the unit and config files at /nix/store paths, symlinked from /etc/systemd/system or
// ~/.config/systemd/user, and the package (the prepared gateway tree) and its Node bind-mounted at the fake
// store paths the unit was rendered with.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { GatewayName } from "../gateway-kinds.js";
import type { BindSpec, FileSpec } from "./container.js";

/** The package path a gateway's golden units are rendered with (tests/support/nix/golden.nix: the package
 * attribute, <gateway>-gateway); the prepared tree is bound there. */
export const fakePackage = (gateway: GatewayName = "clawdbot"): string => `/nix/store/00000000000000000000000000000000-${gateway}-gateway`;
/** Clawdbot's. */
export const FAKE_PKG = fakePackage("clawdbot");
/** Node 22's path, when a rendering needs it separately. */
export const FAKE_NODE = "/nix/store/11111111111111111111111111111111-nodejs-22";

const NIX_BASE32 = "0123456789abcdfghijklmnpqrsvwxyz";

/** A store path for NAME with a hash derived from CONTENT (stable, distinct per content). */
export function fakeStorePath(name: string, content: string): string {
  const digest = createHash("sha256").update(name).update("\0").update(content).digest();
  let hash = "";
  for (let i = 0; i < 32; i++) hash += NIX_BASE32[digest[i]! % 32];
  return `/nix/store/${hash}-${name}`;
}

export interface PreparedTree {
  /** The gateway's Node binary on the host (…/bin/node: 22 for Clawdbot, 24 for OpenClaw). */
  node: string;
  /** The package tree on the host (layout of $out). */
  root: string;
  /** Which gateway (Clawdbot when absent). */
  kind?: { name: GatewayName };
}

/**
 * Bind mounts for the gateway: the tree at its fake package path (what the unit names) AND at its own host
 * path, its Node at FAKE_NODE and at its host path. The tree's bin/clawdbot wrapper names the host paths, as a Nix wrapper
 * names its own $out — and the build-time jiti cache is keyed by those absolute paths, so this keeps the
 * first start warm, as in production.
 */
export function gatewayBinds(gw: PreparedTree): BindSpec[] {
  const nodeDir = dirname(dirname(gw.node));
  return [
    { host: gw.root, container: fakePackage(gw.kind?.name) },
    { host: gw.root, container: gw.root },
    { host: nodeDir, container: FAKE_NODE },
    { host: nodeDir, container: nodeDir },
  ];
}

/** The static users a unit runs as (its `User=` lines), which NixOS' users.users.<name> creates: OpenClaw's
 * `openclaw`; none for a DynamicUser= unit (Clawdbot's default). For runContainer's `systemUsers`. */
export function systemUsersOf(unitText: string): string[] {
  return [...unitText.matchAll(/^User=(.+)$/gm)].map((m) => m[1]!.trim());
}

/** The WantedBy= targets of a unit's [Install] section. */
export function wantedBy(unitText: string): string[] {
  const install = unitText.split(/^\[Install\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
  return [...install.matchAll(/^WantedBy=(.*)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/)).filter(Boolean);
}

/**
 * A system unit as NixOS installs it: the text in the store (…-unit-NAME/NAME), /etc/systemd/system/NAME a
 * symlink to it, and a symlink in <target>.wants for every WantedBy target. Returns the files and the
 * unit's store path.
 */
export function nixosUnit(name: string, text: string): { files: FileSpec[]; storePath: string } {
  const storePath = `${fakeStorePath(`unit-${name}`, text)}/${name}`;
  const files: FileSpec[] = [
    { path: storePath, content: text, mode: 0o444 },
    { path: `/etc/systemd/system/${name}`, symlink: storePath },
    ...wantedBy(text).map((target) => ({ path: `/etc/systemd/system/${target}.wants/${name}`, symlink: storePath })),
  ];
  return { files, storePath };
}

/**
 * A user unit as Home Manager installs it for USER (uid): ~/.config/systemd/user/NAME a symlink to the store
 * file, and ~/.config/systemd/user/<target>.wants/NAME for every WantedBy target (what HM's activation
 * creates). Folders are owned by the user.
 */
export function homeManagerUnit(
  name: string,
  text: string,
  user: { home: string; uid: number; gid: number },
): { files: FileSpec[]; storePath: string } {
  const storePath = `${fakeStorePath(`home-manager-files`, text)}/.config/systemd/user/${name}`;
  const userDir = `${user.home}/.config/systemd/user`;
  const owned = { uid: user.uid, gid: user.gid };
  const files: FileSpec[] = [
    { path: storePath, content: text, mode: 0o444 },
    { path: `${user.home}/.config`, ...owned, mode: 0o755, dir: true },
    { path: `${user.home}/.config/systemd`, ...owned, mode: 0o755, dir: true },
    { path: userDir, ...owned, mode: 0o755, dir: true },
    { path: `${userDir}/${name}`, symlink: storePath, ...owned },
    ...wantedBy(text).flatMap((target): FileSpec[] => [
      { path: `${userDir}/${target}.wants`, ...owned, mode: 0o755, dir: true },
      { path: `${userDir}/${target}.wants/${name}`, symlink: storePath, ...owned },
    ]),
  ];
  return { files, storePath };
}
