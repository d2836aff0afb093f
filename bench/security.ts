// `npm run bench` part (also runnable alone: `npx tsx bench/security.ts`): the systemd-analyze security
// exposure of the NixOS unit the module renders — offline on the host (`--offline=true` on the unit file,
// Debian's systemd 252 can) and, as root with systemd-nspawn, inside a container where systemd has
// loaded the unit. Lower is better; the issue's goal is ≤ 2.5 (nixpkgs' n8n unit: 5.8, the older
// community flake's NixOS unit: 9.2). Prints numbers; never fails on them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { containerSkipReason, parseExposure, runContainer } from "../tests/support/systemd/container.js";
import { renderNixosUnit, type RenderedUnit } from "../tests/support/systemd/render.js";
import { nixosUnit } from "../tests/support/systemd/store.js";

const GOAL = 2.5;
const UNIT = "clawdbot.service";

function rendered(): { unit: RenderedUnit; source: string } {
  // the golden NixOS unit of the container test (tests/golden/units/): what the module renders
  return { unit: renderNixosUnit({ port: 18789, tokenFile: "/run/keys/clawdbot-gateway-token", settings: { logging: { level: "info" } } }), source: "the NixOS module (golden unit)" };
}

/** Offline analysis of the unit file on the host. */
export function offlineExposure(unitText: string): { exposure?: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "clawdbot-security-"));
  try {
    const file = join(dir, UNIT);
    writeFileSync(file, unitText);
    const result = spawnSync("systemd-analyze", ["security", "--offline=true", "--no-pager", file], { encoding: "utf8" });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`;
    return { exposure: parseExposure(output), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figure systemd itself gives for the loaded unit, inside a container (not started: analysis only). */
export async function containerExposure(unit: RenderedUnit): Promise<{ exposure?: number; skipped?: string; seconds?: number }> {
  const skip = containerSkipReason();
  if (skip) return { skipped: `needs root and systemd-nspawn (${skip})` };
  const installed = nixosUnit(UNIT, unit.unit);
  const result = await runContainer({
    name: "bench-security",
    timeoutSec: 60,
    // The unit file and its store files, but no WantedBy link: systemd loads it, nothing starts it.
    files: [
      ...unit.storeFiles,
      ...installed.files.filter((f) => !f.path.includes(".wants/")),
    ],
    scenario: `systemd-analyze security ${UNIT} --no-pager > "$O/security.txt" 2>&1\n`,
  });
  return { exposure: parseExposure(result.read("security.txt")), seconds: result.seconds };
}

export async function main(): Promise<void> {
  const { unit, source } = rendered();
  console.log(`unit: ${source}`);
  const offline = offlineExposure(unit.unit);
  if (offline.exposure === undefined) console.log(`offline (host systemd-analyze --offline=true): not measured:\n${offline.output.slice(-600)}`);
  else console.log(`offline (host systemd-analyze security --offline=true): exposure ${offline.exposure} (goal ≤ ${GOAL})`);
  const inside = await containerExposure(unit);
  if (inside.skipped) console.log(`in-container: SKIP: ${inside.skipped}`);
  else
    console.log(
      `in-container (systemd 252 as PID 1, unit loaded): exposure ${inside.exposure ?? "not measured"} (goal ≤ ${GOAL}; ` +
        `container run ${inside.seconds?.toFixed(1)} s)`,
    );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
