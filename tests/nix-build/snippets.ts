// Every shell snippet of every derivation the flake builds, extracted the way the build runs them: the
// derivations are evaluated with nixpkgs' real lib and stand-in builders (tests/support/nixpkgs-stubs.ts),
// and each phase / hook / runCommand script / image script is read as the string Nix hands to bash, with
// every Nix interpolation already done.
import { join } from "node:path";
import { nixEval, nixStr, REPO } from "../support/nix.js";
import { stubs } from "../support/nixpkgs-stubs.js";

/** The attributes stdenv (and runCommand, dockerTools) run as shell (a POSIX ERE, for builtins.match). */
export const SHELL_ATTR = "[A-Za-z0-9_]+Phase|(pre|post)[A-Z][A-Za-z0-9_]*|script|buildCommand|fakeRootCommands|startScript";

export interface Snippet {
  /** "<file> <derivation> <attribute>" */
  where: string;
  text: string;
}

/** Every system's snippets (darwin-only tools, Linux-only hooks), each distinct text once. */
export function allSnippets(nixpkgsLib: string, systems: string[]): Snippet[] {
  const seen = new Set<string>();
  const out: Snippet[] = [];
  for (const system of systems) {
    for (const s of derivationSnippets(nixpkgsLib, system)) {
      if (seen.has(s.text)) continue;
      seen.add(s.text);
      out.push({ where: `${s.where} (${system})`, text: s.text });
    }
  }
  return out;
}

export function derivationSnippets(nixpkgsLib: string, system = "x86_64-linux"): Snippet[] {
  const file = (path: string) => nixStr(join(REPO, path));
  const r = nixEval(`
    let
      ${stubs(nixpkgsLib, system)}
      shellOf = drv: lib.filterAttrs (name: value: builtins.isString value && builtins.match ${nixStr(SHELL_ATTR)} name != null) drv;
      gateway = stubPkgs.callPackage ${file("nix/package.nix")} { gateway = "clawdbot"; };
      gatewayGpu = stubPkgs.callPackage ${file("nix/package.nix")} { gateway = "clawdbot"; withGpuEmbeddings = true; };
      tools = stubPkgs.callPackage ${file("nix/tools")} { clawdbot-gateway = gateway; };
      bundle = tools.bundle tools.defaultTools;
      cli = stubPkgs.callPackage ${file("cli/package.nix")} { clawdbot-gateway = gateway; };
      image = stubPkgs.callPackage ${file("nix/image")} { gateway = "clawdbot"; clawdbot = bundle; clawdbotTools = tools; tools = [ "gogcli" ]; };
      flyImage = stubPkgs.callPackage ${file("nix/image")} { gateway = "clawdbot"; clawdbot = bundle; startAsRoot = true; heapMiB = 1536; };
      # the image is the tarball around the stream (nixpkgs' buildLayeredImage): its parts come from its passthru
      imageParts = img: {
        inherit (img.passthru.imageConfig) fakeRootCommands;
        root = img.passthru.root.script;
        startScript = img.passthru.imageConfig.startScript;
      };
    in
      {
        "nix/package.nix clawdbot-gateway" = shellOf gateway;
        "nix/package.nix clawdbot-gateway (withGpuEmbeddings)" = shellOf gatewayGpu;
        "nix/package.nix passthru.tests.smoke" = { inherit (gateway.passthru.tests.smoke) script; };
        "nix/tools bundle" = { inherit (bundle) script; };
        "cli/package.nix clawdbot-nix" = shellOf cli;
        "nix/image image" = imageParts image;
        "nix/image image (startAsRoot)" = imageParts flyImage;
      }
      // lib.listToAttrs (map (name: lib.nameValuePair "nix/tools ${"$"}{name}" (shellOf tools.\${name})) tools.availableFor)
  `);
  if (!r.ok) throw new Error(r.stderr.slice(-3000));
  const out: Snippet[] = [];
  for (const [drv, attrs] of Object.entries(r.value as Record<string, Record<string, string>>)) {
    for (const [attr, text] of Object.entries(attrs)) out.push({ where: `${drv} ${attr}`, text });
  }
  return out;
}
