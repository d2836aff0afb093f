// Every .nix file of the repository parses with the real Nix parser.
import { describe, expect, it } from "vitest";
import { announceSkip, hasNix, nixParse, REPO, repoNixFiles } from "../support/nix.js";

const available = hasNix();
announceSkip("parsing .nix files", available ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)");

describe.skipIf(!available)("nix-instantiate --parse", () => {
  const files = repoNixFiles();
  it("finds the generated option files among the .nix files", () => {
    expect(files).toContain("modules/generated/clawdbot/settings.nix");
    expect(files).toContain("modules/generated/clawdbot/service.nix");
  });
  it.each(files)("%s", (file) => {
    const result = nixParse(`${REPO}/${file}`);
    expect(result.ok, result.stderr).toBe(true);
  });
});
