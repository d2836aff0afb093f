// Hand-written units that follow the contract (notes/contract.md), for developing the container harness
// before modules/lib renders the real ones. The container tests use the module's rendering; these are used
// only when CLAWDBOT_CONTAINER_FIXTURE_UNITS=1 (and say so loudly).
import { fakeStorePath, FAKE_PKG } from "./store.js";
import type { FileSpec } from "./container.js";

export interface RenderedUnit {
  /** The unit's name (clawdbot.service for the default instance). */
  unitName?: string;
  /** The unit file text. */
  unit: string;
  /** Store files the unit names that the rendering produced (config, launcher), to place in the root. */
  storeFiles: FileSpec[];
  /** The rendered clawdbot.json text and its store path. */
  config: { path: string; text: string };
}

export function fixtureNixosUnit(opts: { port: number; tokenFile: string; settings?: Record<string, unknown> }): RenderedUnit {
  const configText =
    JSON.stringify(
      {
        gateway: { mode: "local", port: opts.port, bind: "loopback", auth: { mode: "token" } },
        ...opts.settings,
      },
      null,
      2,
    ) + "\n";
  const configPath = fakeStorePath("clawdbot.json", configText);
  const launcherText = `#!/bin/sh
# the token from LoadCredential into the environment, then the gateway
set -eu
CLAWDBOT_GATEWAY_TOKEN=$(cat "$CREDENTIALS_DIRECTORY/gateway-token"); export CLAWDBOT_GATEWAY_TOKEN
exec "$@"
`;
  const launcher = fakeStorePath("clawdbot-launcher", launcherText);
  const unit = `[Unit]
Description=Clawdbot gateway (fixture)
After=network.target
X-Restart-Triggers=${configPath}

[Service]
Type=simple
Environment="CLAWDBOT_NIX_MODE=1" "CLAWDBOT_STATE_DIR=/var/lib/clawdbot" "CLAWDBOT_CONFIG_PATH=/var/lib/clawdbot/clawdbot.json" "HOME=/var/lib/clawdbot" "TMPDIR=/var/cache/clawdbot" "CLAWDBOT_NO_RESPAWN=1" "CLAWDBOT_DISABLE_BONJOUR=1" "CLAWDBOT_SKIP_CHANNELS=1"
ExecStartPre=/bin/ln -sfn ${configPath} /var/lib/clawdbot/clawdbot.json
ExecStart=${launcher} ${FAKE_PKG}/bin/clawdbot gateway --port ${opts.port}
LoadCredential=gateway-token:${opts.tokenFile}
DynamicUser=yes
StateDirectory=clawdbot
CacheDirectory=clawdbot
Restart=on-failure
RestartSec=2
TimeoutStartSec=180
CapabilityBoundingSet=
DevicePolicy=closed
LockPersonality=yes
MemoryDenyWriteExecute=no
NoNewPrivileges=yes
PrivateDevices=yes
PrivateTmp=yes
PrivateUsers=yes
ProcSubset=pid
ProtectClock=yes
ProtectControlGroups=yes
ProtectHome=yes
ProtectHostname=yes
ProtectKernelLogs=yes
ProtectKernelModules=yes
ProtectKernelTunables=yes
ProtectProc=invisible
ProtectSystem=strict
RemoveIPC=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
UMask=0077

[Install]
WantedBy=multi-user.target
`;
  return {
    unit,
    config: { path: configPath, text: configText },
    storeFiles: [
      { path: configPath, content: configText, mode: 0o444 },
      { path: launcher, content: launcherText, mode: 0o555 },
    ],
  };
}

export function fixtureHomeManagerUnit(opts: {
  port: number;
  home: string;
  tokenFile: string;
  settings?: Record<string, unknown>;
}): RenderedUnit {
  const configText =
    JSON.stringify({ gateway: { mode: "local", port: opts.port, bind: "loopback", auth: { mode: "token" } }, ...opts.settings }, null, 2) +
    "\n";
  const configPath = fakeStorePath("clawdbot.json", configText);
  const stateDir = `${opts.home}/.clawdbot`;
  const launcherText = `#!/bin/sh
# the token file into the environment, the config symlink into the state dir, then the gateway
set -eu
mkdir -p ${stateDir} ${opts.home}/.cache/clawdbot
ln -sfn ${configPath} ${stateDir}/clawdbot.json
CLAWDBOT_GATEWAY_TOKEN=$(cat ${opts.tokenFile}); export CLAWDBOT_GATEWAY_TOKEN
exec "$@"
`;
  const launcher = fakeStorePath("clawdbot-launcher", launcherText);
  // The section order and quoting of Home Manager's systemd.user.services rendering.
  const unit = `[Install]
WantedBy=default.target

[Service]
Environment=CLAWDBOT_CONFIG_PATH=${stateDir}/clawdbot.json
Environment=CLAWDBOT_DISABLE_BONJOUR=1
Environment=CLAWDBOT_NIX_MODE=1
Environment=CLAWDBOT_NO_RESPAWN=1
Environment=CLAWDBOT_SKIP_CHANNELS=1
Environment=CLAWDBOT_STATE_DIR=${stateDir}
Environment=HOME=${opts.home}
Environment=TMPDIR=${opts.home}/.cache/clawdbot
ExecStart=${launcher} ${FAKE_PKG}/bin/clawdbot gateway --port ${opts.port}
Restart=on-failure
RestartSec=2
TimeoutStartSec=180

[Unit]
Description=Clawdbot gateway (fixture)
X-Restart-Triggers=${configPath}
`;
  return {
    unit,
    config: { path: configPath, text: configText },
    storeFiles: [
      { path: configPath, content: configText, mode: 0o444 },
      { path: launcher, content: launcherText, mode: 0o555 },
    ],
  };
}
