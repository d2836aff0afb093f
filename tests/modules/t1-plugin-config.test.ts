// T1 (issue 21.2): `services.openclaw.settings.plugins.entries.<id>.config` of every packaged channel plugin
// (nix/openclaw/plugins/catalog.json) is typed from the plugin's own manifest `configSchema`, as upstream's
// runtime schema types it when the plugin is installed (generator/upstream.ts runtimeSnapshot), through the
// real NixOS module and nixpkgs `lib`: a key the plugin's schema does not declare is refused naming the option,
// whatsapp's declared `pluginHooks.messageReceived` is rendered into the config. Before, the snapshot typed
// only the bundled plugins' entries and every other id's `config` was an untyped attribute set.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { announceSkip, REPO, t1Sources } from "../support/nix.js";
import { evalT1, evalT1Error, nixJson } from "./support.js";

const t1 = t1Sources();
announceSkip("plugin config typed from each packaged plugin's schema (T1)", t1.libSkip);

const catalog = JSON.parse(readFileSync(join(REPO, "nix/openclaw/plugins/catalog.json"), "utf8")) as { plugins: { id: string; version: string | null }[] };
const packaged = catalog.plugins.filter((p) => p.version !== null).map((p) => p.id);

const nixos = (openclaw: Record<string, unknown>): string =>
  `(t.nixos { system = "x86_64-linux"; configuration = { services.openclaw = ${nixJson({ enable: true, ...openclaw })}; }; })`;
const rendered = (e: string): string => `builtins.fromJSON (builtins.readFile (builtins.head ${e}.config.systemd.services.openclaw.restartTriggers))`;

describe.skipIf(!t1.nixpkgsLib)("plugins.entries.<id>.config of the packaged channel plugins (T1)", () => {
  it("a key discord's schema does not declare is refused, naming the option path", () => {
    const err = evalT1Error(`${rendered(nixos({ plugins: ["discord"], settings: { plugins: { entries: { discord: { config: { foo: 1 } } } } } }))}`);
    expect(err).toMatch(/The option `services\.openclaw\.settings\.plugins\.entries\.discord\.config\.foo' does not exist/);
  });

  it("whatsapp's pluginHooks (declared by its manifest) is typed and rendered; an undeclared hook is refused naming it", () => {
    const r = evalT1(`let e = ${nixos({ plugins: ["whatsapp"], settings: { plugins: { entries: { whatsapp: { config: { pluginHooks: { messageReceived: true } } } } } } })}; in { inherit (e) failed; config = ${rendered("e")}; }`);
    expect(r.failed).toEqual([]);
    expect(r.config.plugins.entries.whatsapp).toEqual({ enabled: true, config: { pluginHooks: { messageReceived: true } } });
    const wrongType = evalT1Error(`${rendered(nixos({ plugins: ["whatsapp"], settings: { plugins: { entries: { whatsapp: { config: { pluginHooks: { messageReceived: "yes" } } } } } } }))}`);
    expect(wrongType).toMatch(/services\.openclaw\.settings\.plugins\.entries\.whatsapp\.config\.pluginHooks\.messageReceived' is not of type `null or boolean'/);
    const undeclared = evalT1Error(`${rendered(nixos({ plugins: ["whatsapp"], settings: { plugins: { entries: { whatsapp: { config: { pluginHooks: { bogus: true } } } } } } }))}`);
    expect(undeclared).toMatch(/The option `services\.openclaw\.settings\.plugins\.entries\.whatsapp\.config\.pluginHooks\.bogus' does not exist/);
  });

  it(`every packaged plugin (${packaged.length}): its entry is a typed option, config = { } is accepted and an undeclared config key refused`, () => {
    expect(packaged.length).toBeGreaterThan(0);
    // one evaluation: per id, whether the empty config renders and whether an undeclared key evaluates
    const r = evalT1<Record<string, { empty: boolean; undeclared: boolean; declared: boolean }>>(`let
        ids = ${nixJson(packaged)};
        ok = settings: (builtins.tryEval (builtins.deepSeq (${rendered(`(t.nixos { system = "x86_64-linux"; configuration = { services.openclaw = { enable = true; inherit settings; }; }; })`)}) true)).success;
        entries = (t.nixos { system = "x86_64-linux"; configuration = { }; }).options.services.openclaw.settings.type.getSubOptions [ ];
      in builtins.listToAttrs (map (id: { name = id; value = {
        empty = ok { plugins.entries.\${id}.config = { }; };
        undeclared = ok { plugins.entries.\${id}.config.notDeclaredByThePlugin = 1; };
        declared = (entries.plugins.type.getSubOptions [ ]).entries.type.getSubOptions [ ] ? \${id};
      }; }) ids)`);
    const wrong = packaged.filter((id) => !(r[id]?.empty && !r[id]?.undeclared && r[id]?.declared)).map((id) => `${id}: ${JSON.stringify(r[id])}`);
    console.log(`packaged plugins with a typed entry: ${packaged.length - wrong.length}/${packaged.length}`);
    expect(wrong).toEqual([]);
  });
});
