// T0 for the NixOS VM tests (tests/vm/default.nix), which need KVM and cannot run here: default.nix parses,
// every Python test script it reads exists and compiles (python3 py_compile; a syntax check: the driver's
// globals such as `machine` and `start_all` stay undefined), every name a script uses without defining it is
// either one of the constants default.nix puts in that script's preamble or a global of the NixOS test
// driver, and the script passes pyflakes the way the driver lints it before any VM starts (nixpkgs
// nixos/lib/testing/driver.nix: `PYFLAKES_BUILTINS=<machine names>,<driver symbols> pyflakes test-script`;
// an import the script does not use fails the build of the check).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { announceSkip, hasNix, nixEval, nixParse, nixStr, REPO, t1Sources } from "../support/nix.js";

const VM = join(REPO, "tests/vm");
const DRIVER_GLOBALS = ["machine", "start_all"];

const python = spawnSync("python3", ["--version"], { encoding: "utf8" }).status === 0 ? undefined : "python3 is not installed";
announceSkip("VM test script checks", python);
const pyflakes = spawnSync("pyflakes3", ["--version"], { encoding: "utf8" }).status === 0 ? undefined : "pyflakes3 is not installed (apt-get install pyflakes3; scripts/setup-debian.sh)";
announceSkip("pyflakes on the VM test scripts (the NixOS test driver's lint)", pyflakes);

// What the driver gives pyflakes as builtins: the machine names (one machine: also `machine`) and the
// symbols its `generate-driver-symbols` writes (Driver.test_symbols() of nixos/lib/test-driver).
const DRIVER_SYMBOLS = [
  "start_all", "test_script", "machines", "machines_qemu", "machines_nspawn", "vlans", "driver", "log", "os", "create_machine",
  "subtest", "run_tests", "join_all", "retry", "serial_stdout_off", "serial_stdout_on", "polling_condition",
  "Machine", "BaseMachine", "QemuMachine", "NspawnMachine", "t",
];

/** pyflakes on a complete test script, as the driver runs it; returns its report (empty when clean). */
function driverLint(file: string): { status: number | null; report: string } {
  const r = spawnSync("pyflakes3", [file], {
    encoding: "utf8",
    env: { ...process.env, PYFLAKES_BUILTINS: ["machine", ...DRIVER_SYMBOLS].join(",") },
  });
  return { status: r.status, report: `${r.stdout}${r.stderr}`.trim() };
}

/** The preamble default.nix prepends, with stand-in values (T1 below uses the real ones). */
const standInPreamble = (names: string[]) => names.map((n) => `${n} = ${JSON.stringify(`stand-in-${n}`)}\n`).join("");
announceSkip("VM test default.nix parse", hasNix() ? undefined : "nix-instantiate is not installed");

/** `script ./X.py { A = …; B = …; }` blocks of default.nix → script file → constant names. */
function scriptConstants(): Map<string, string[]> {
  const text = readFileSync(join(VM, "default.nix"), "utf8");
  const out = new Map<string, string[]>();
  for (const m of text.matchAll(/script \.\/([\w-]+\.py) \{([\s\S]*?)\n\s*\};/g)) {
    out.set(m[1]!, [...m[2]!.matchAll(/^\s*([A-Z][A-Z0-9_]*) =/gm)].map((x) => x[1]!));
  }
  return out;
}

interface OtherUserFail {
  line: number;
  command: string;
  absolute: boolean;
  stderrKept: boolean;
  assignedTo: string | null;
  asserted: boolean;
}
/** Every machine.fail(…) that runs a command as another user (su, runuser, setpriv, sudo): how it is checked. */
const OTHER_USER_FAILS = String.raw`
import ast, json, re, sys
src = open(sys.argv[1]).read()
tree = ast.parse(src, sys.argv[1])
parent = {}
for node in ast.walk(tree):
    for child in ast.iter_child_nodes(node):
        parent[child] = node
asserted = set()
for node in ast.walk(tree):
    if isinstance(node, ast.Assert):
        for sub in ast.walk(node.test):
            if isinstance(sub, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in sub.ops):
                for name in ast.walk(sub):
                    if isinstance(name, ast.Name):
                        asserted.add(name.id)
out = []
for node in ast.walk(tree):
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fail" and node.args):
        continue
    command = ast.get_source_segment(src, node.args[0])
    if not re.search(r"(?<![\w-])(su|runuser|setpriv|sudo)\s", command):
        continue
    inner = re.search(r"-c\s+[\x27\x22]((?:\w+=\S*\s+)*)(\S+)", command)
    word = inner.group(2) if inner else ""
    holder = parent.get(node)
    target = holder.targets[0].id if isinstance(holder, ast.Assign) and isinstance(holder.targets[0], ast.Name) else None
    out.append({
        "line": node.lineno,
        "command": command,
        "absolute": word.startswith("/") or re.fullmatch(r"\{[A-Z][A-Z0-9_]*_PATH\}", word) is not None,
        "stderrKept": "2>&1" in command,
        "assignedTo": target,
        "asserted": target is not None and target in asserted,
    })
print(json.dumps(out))
`;

const FREE_NAMES = `
import ast, builtins, json, sys
tree = ast.parse(open(sys.argv[1]).read(), sys.argv[1])
defined, used = set(dir(builtins)), set()
for node in ast.walk(tree):
    if isinstance(node, ast.Name):
        (used if isinstance(node.ctx, ast.Load) else defined).add(node.id)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        defined.add(node.name)
    elif isinstance(node, ast.arg):
        defined.add(node.arg)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        defined.update((a.asname or a.name).split(".")[0] for a in node.names)
    elif isinstance(node, ast.ExceptHandler) and node.name:
        defined.add(node.name)
print(json.dumps(sorted(used - defined)))
`;

describe("NixOS VM tests: parse and script checks (T0)", () => {
  const pyc = mkdtempSync(join(tmpdir(), "clawdbot-vm-pyc-"));
  afterAll(() => rmSync(pyc, { recursive: true, force: true }));
  const constants = scriptConstants();
  const scripts = readdirSync(VM).filter((f) => f.endsWith(".py"));

  it.skipIf(!hasNix())("tests/vm/default.nix parses", () => {
    const r = nixParse(join(VM, "default.nix"));
    expect(r.ok, r.stderr).toBe(true);
  });

  it("the VM tests exist, each reading its script, and every script is read", () => {
    const text = readFileSync(join(VM, "default.nix"), "utf8");
    for (const name of ["vm-home-manager-linger", "vm-rollback"]) expect(text).toMatch(new RegExp(`^  ${name} = pkgs\\.testers\\.runNixOSTest \\{`, "m"));
    // the system service of each gateway, from one definition
    expect(text).toMatch(/^  vm-system-service = systemService "clawdbot" \{ \};$/m);
    expect(text).toMatch(/^  vm-openclaw-system-service = systemService "openclaw" /m);
    expect([...constants.keys()].sort()).toEqual(["home-manager-linger.py", "rollback.py", "system-service.py"]);
    expect(scripts.sort()).toEqual([...constants.keys()].sort());
  });

  describe.skipIf(python).each(["home-manager-linger.py", "rollback.py", "system-service.py"])("%s", (script) => {
    it("compiles (python3 py_compile)", () => {
      const r = spawnSync(
        "python3",
        ["-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)", join(VM, script), join(pyc, `${script}c`)],
        { encoding: "utf8" },
      );
      expect(r.status, r.stderr).toBe(0);
    });

    it("uses only its preamble's constants and the driver's globals without defining them", () => {
      const r = spawnSync("python3", ["-c", FREE_NAMES, join(VM, script)], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const free = JSON.parse(r.stdout) as string[];
      const allowed = new Set([...(constants.get(script) ?? []), ...DRIVER_GLOBALS]);
      expect(free.filter((n) => !allowed.has(n))).toEqual([]);
      // and every constant the preamble gives is used
      for (const c of constants.get(script) ?? []) expect(free, c).toContain(c);
    });

    it.skipIf(pyflakes)("passes pyflakes as the driver assembles and lints it (preamble of constants + the file)", () => {
      const file = join(pyc, `lint-${script}`);
      writeFileSync(file, standInPreamble(constants.get(script) ?? []) + readFileSync(join(VM, script), "utf8"));
      const r = driverLint(file);
      expect(r.report, script).toBe("");
      expect(r.status, script).toBe(0);
    });

    it("a refusal as another user is asserted by its text: absolute command, stderr kept, the output checked", () => {
      const r = spawnSync("python3", ["-c", OTHER_USER_FAILS, join(VM, script)], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const fails = JSON.parse(r.stdout) as OtherUserFail[];
      // system-service.py has one (nobody's command refused): the check is not vacuous
      if (script === "system-service.py") expect(fails.map((f) => f.line).length).toBe(1);
      for (const f of fails) {
        const where = `${script}:${f.line} ${f.command}`;
        // `command not found` fails too: the command must be named by path (a literal /… or a *_PATH constant)
        expect(f.absolute, `${where}: name the command by absolute path`).toBe(true);
        // machine.fail returns stdout only (nixos/lib/test-driver machine: execute pipes stdout; `fail` returns it)
        expect(f.stderrKept, `${where}: add 2>&1, the refusal is on stderr`).toBe(true);
        expect(f.assignedTo, `${where}: keep machine.fail's output`).not.toBeNull();
        expect(f.asserted, `${where}: assert the refusal's text in ${f.assignedTo}`).toBe(true);
      }
    });

    it("names, above its steps, the tests that prove them here", () => {
      const text = readFileSync(join(VM, script), "utf8");
      expect(text).toMatch(/container(-rollback|-nixos|-hm)?|tests\/modules\/container-/);
      expect(text).toMatch(/T0|container/);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// T1: default.nix itself, called with stand-in pkgs (`testers.runNixOSTest` returns its arguments): each
// test's machine configuration evaluates through the flake's modules with the real lib (NixOS options
// outside the module declared loosely, as in tests/templates/eval.test.ts), the module's assertions hold,
// and the COMPLETE test script (preamble with the real constants + the .py file) compiles.

const t1 = t1Sources();
announceSkip("VM tests through the modules (T1)", t1.libSkip);

interface VmTest {
  name: string;
  script: string;
  failed: string[];
  failed2: string[] | null;
  port: number;
  port2: number | null;
  hmMaxConcurrent2: number | null;
  tokenFile: string | null;
}

describe.skipIf(!t1.nixpkgsLib || !!python)("NixOS VM tests: machine configurations and full scripts (T1)", () => {
  const dir = mkdtempSync(join(tmpdir(), "clawdbot-vm-t1-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const expr = `
    let
      lib = import ${nixStr(`${t1.nixpkgsLib}/lib`)};
      drv = name: { type = "derivation"; outPath = "/nix/store/00000000000000000000000000000000-\${name}"; inherit name; passthru = { }; };
      pkgs = {
        inherit lib;
        testers.runNixOSTest = args: args;
        nodejs_22 = drv "nodejs-22";
        stdenv.hostPlatform = lib.systems.elaborate "x86_64-linux";
        runtimeShell = "/bin/sh";
        writeText = name: text: "/nix/store/00000000000000000000000000000000-\${name}";
        writeTextFile = args: "/nix/store/00000000000000000000000000000000-\${args.name}";
        coreutils = drv "coreutils";
        clawdbot-gateway = drv "clawdbot-gateway-2026.1.24-3";
        openclaw-gateway = drv "openclaw-gateway-2026.9.6";
        # OpenClaw's separately published plugins (nix/openclaw/plugins.nix), none packaged: the VM tests load none
        openclawPlugins = { ids = [ ]; settingsFor = _: { plugins = { }; }; };
        clawdbotTools = { };
      };
      anything = lib.types.attrsOf lib.types.anything;
      loose = {
        options.assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
        options.warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
        options.meta = lib.mkOption { type = anything; default = { }; };
        options.systemd.services = lib.mkOption { type = anything; default = { }; };
        options.systemd.tmpfiles.rules = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
        options.networking.firewall.allowedTCPPorts = lib.mkOption { type = lib.types.listOf lib.types.port; default = [ ]; };
        options.users.users = lib.mkOption { type = anything; default = { }; };
        options.users.groups = lib.mkOption { type = anything; default = { }; };
        options.environment.etc = lib.mkOption { type = anything; default = { }; };
        # the owner's clawdbot command (modules/common.nix)
        options.environment.systemPackages = lib.mkOption { type = lib.types.listOf lib.types.anything; default = [ ]; };
        options.virtualisation = lib.mkOption { type = anything; default = { }; };
        # as NixOS declares it: the configuration is a module (priorities such as mkForce kept)
        options.specialisation = lib.mkOption {
          type = lib.types.attrsOf (lib.types.submodule { options.configuration = lib.mkOption { type = lib.types.deferredModule; default = { }; }; });
          default = { };
        };
        options.home-manager = lib.mkOption { type = anything; default = { }; };
        options.system.build.toplevel = lib.mkOption { default = "/nix/store/00000000000000000000000000000000-nixos-system-machine"; };
        config._module.args = { inherit pkgs; };
      };
      home-manager.nixosModules.home-manager = { };
      tests = import ${nixStr(join(VM, "default.nix"))} {
        inherit pkgs home-manager;
        nixosModule = ${nixStr(`${REPO}/modules/nixos.nix`)};
        homeManagerModule = ${nixStr(`${REPO}/modules/home-manager.nix`)};
      };
      evalNode = modules: (lib.evalModules { modules = [ loose ] ++ modules; }).config;
      failedOf = c: map (a: a.message) (builtins.filter (a: !a.assertion) c.assertions);
      show = name: test:
        let
          machine = evalNode [ test.nodes.machine ];
          gen2 = if machine.specialisation ? gen2 then machine.specialisation.gen2.configuration else null;
          machine2 = if gen2 == null then null else evalNode [ test.nodes.machine { specialisation = lib.mkForce { }; } gen2 ];
          hmUser = machine.home-manager.users.alice or null;
          # the machine's gateway: services.openclaw where it is enabled, else services.clawdbot
          service = if machine.services.openclaw.enable or false then machine.services.openclaw else machine.services.clawdbot or { };
          # Home Manager is not evaluated here (tests/templates/eval.test.ts does that): its package and the
          # home-manager command's stand in.
          nodes.machine = machine // { home-manager = (machine.home-manager or { }) // { users.alice = (if hmUser == null then { } else hmUser) // { services.clawdbot.package = drv "clawdbot-gateway-2026.1.24-3"; programs.home-manager.package = drv "home-manager"; }; }; };
        in {
          inherit name;
          script = test.testScript { inherit nodes; };
          failed = failedOf machine;
          failed2 = if machine2 == null then null else failedOf machine2;
          port = service.port or hmUser.services.clawdbot.port;
          # the Home Manager machine has no system service: its generation 2 is the user's (checked below)
          port2 = if machine2 == null then null else machine2.services.clawdbot.port or null;
          hmMaxConcurrent2 = if machine2 == null then null else machine2.home-manager.users.alice.services.clawdbot.settings.agents.defaults.maxConcurrent or null;
          tokenFile = service.auth.tokenFile or null;
        };
    in lib.mapAttrsToList show tests`;

  let tests: VmTest[];
  const load = (): VmTest[] => {
    if (tests) return tests;
    const r = nixEval(expr);
    if (!r.ok) throw new Error(r.stderr.slice(-3000));
    tests = r.value as VmTest[];
    return tests;
  };

  it("default.nix gives the four tests, each with a node `machine` and a script", () => {
    expect(load().map((t) => t.name).sort()).toEqual(["vm-home-manager-linger", "vm-openclaw-system-service", "vm-rollback", "vm-system-service"]);
  });

  it("the machines' gateway configurations pass the module's assertions (both generations of vm-rollback)", () => {
    for (const t of load()) {
      expect(t.failed, t.name).toEqual([]);
      if (t.failed2 !== null) expect(t.failed2, `${t.name} generation 2`).toEqual([]);
    }
    const rollback = load().find((t) => t.name === "vm-rollback")!;
    expect(rollback.port2).toBe(rollback.port + 10);
    // vm-home-manager-linger's specialisation is Home Manager generation 2: the user's changed setting
    expect(load().find((t) => t.name === "vm-home-manager-linger")!.hmMaxConcurrent2).toBe(2);
    // the token file of the tests is not a store path (the module refuses those)
    for (const t of load()) if (t.tokenFile) expect(t.tokenFile.startsWith("/nix/store")).toBe(false);
  });

  it("the complete scripts (preamble with the real constants + the .py file) compile", () => {
    for (const t of load()) {
      const file = join(dir, `${t.name}.py`);
      writeFileSync(file, t.script);
      const r = spawnSync("python3", ["-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[1] + 'c', doraise=True)", file], {
        encoding: "utf8",
      });
      expect(r.status, `${t.name}: ${r.stderr}`).toBe(0);
      expect(t.script, t.name).toContain(`PORT`);
      if (!pyflakes) {
        const lint = driverLint(file);
        expect(lint.report, t.name).toBe("");
        expect(lint.status, t.name).toBe(0);
      }
    }
    // each script imports what it uses itself: json where it parses JSON, nothing in the preamble
    const byName = Object.fromEntries(load().map((t) => [t.name, t.script]));
    expect(byName["vm-system-service"]).toMatch(/^import json\nimport shlex$/m);
    expect(byName["vm-rollback"]).toMatch(/^import json$/m);
    expect(byName["vm-home-manager-linger"]).not.toMatch(/^import /m);
    const service = load().find((t) => t.name === "vm-system-service")!;
    expect(service.script).toContain('UNIT = "clawdbot.service"');
    expect(service.script).toContain('-nodejs-22/bin/node /nix/store/00000000000000000000000000000000-clawdbot-gateway-2026.1.24-3/share/clawdbot/health-probe.mjs"');
    expect(service.script).toContain('GATEWAY_CLI = "/nix/store/00000000000000000000000000000000-clawdbot-gateway-2026.1.24-3/bin/clawdbot"');
    expect(service.script).toContain('PREFIX = "CLAWDBOT"');
    const openclaw = load().find((t) => t.name === "vm-openclaw-system-service")!;
    expect(openclaw.script).toContain('UNIT = "openclaw.service"');
    expect(openclaw.script).toContain('PREFIX = "OPENCLAW"');
    expect(openclaw.script).toContain('COMMAND = "openclaw"');
    // the command another user's shell is refused, by absolute path
    expect(service.script).toContain('COMMAND_PATH = "/run/current-system/sw/bin/clawdbot"');
    expect(openclaw.script).toContain('COMMAND_PATH = "/run/current-system/sw/bin/openclaw"');
    // OpenClaw's own probe (the package's, nix/health-probe.nix), with the service's config for its channels
    expect(openclaw.script).toMatch(/^PROBE = "\/nix\/store\/[^" ]*\/bin\/node \/nix\/store\/[^"]*-openclaw-gateway-2026\.9\.6\/share\/openclaw\/health-probe\.mjs"$/m);
    expect(openclaw.script).toContain('HEALTH = f"{PREFIX}_CONFIG_PATH={config_path} {PROBE} --url {URL} --token-file {TOKEN_FILE}"');
    expect(openclaw.tokenFile).toBe("/etc/clawdbot-test/gateway-token");
  });
});

// T1 with Home Manager: the Home Manager user of vm-home-manager-linger, through Home Manager's own modules
// and the flake's Home Manager module, with the machine's NixOS config as `osConfig`: the user unit exists
// and every assertion holds — and without `linger = true` the module's lingering assertion fails.
announceSkip("vm-home-manager-linger's Home Manager user (T1)", t1.nixpkgsLib ? t1.hmSkip : t1.libSkip);

describe.skipIf(!t1.nixpkgsLib || !t1.homeManager)("vm-home-manager-linger: the user's Home Manager configuration (T1)", () => {
  const evalUser = (linger: boolean, gen2 = false) => {
    const r = nixEval(`
      let
        hm = ${nixStr(t1.homeManager!)};
        lib = import "\${hm}/modules/lib/stdlib-extended.nix" (import ${nixStr(`${t1.nixpkgsLib}/lib`)});
        drv = name: { type = "derivation"; outPath = "/nix/store/00000000000000000000000000000000-\${name}"; inherit name; };
        pkgs = {
          inherit lib;
          testers.runNixOSTest = args: args;
          nodejs_22 = drv "nodejs-22";
          stdenv.hostPlatform = lib.systems.elaborate "x86_64-linux";
          runtimeShell = "/bin/sh";
          writeText = name: text: "/nix/store/00000000000000000000000000000000-\${name}";
        writeTextFile = args: "/nix/store/00000000000000000000000000000000-\${args.name}";
          coreutils = drv "coreutils";
          nix = drv "nix";
          clawdbot-gateway = drv "clawdbot-gateway-2026.1.24-3";
          clawdbotTools = { };
        };
        tests = import ${nixStr(join(VM, "default.nix"))} {
          inherit pkgs;
          home-manager.nixosModules.home-manager = { };
          nixosModule = { };
          homeManagerModule = ${nixStr(`${REPO}/modules/home-manager.nix`)};
        };
        node = tests.vm-home-manager-linger.nodes.machine;
        user = node.home-manager.users.alice;
        osConfig.users.users.alice = node.users.users.alice // { linger = ${linger}; };
        ev = lib.evalModules {
          modules = [
            "\${hm}/modules/home-environment.nix"
            "\${hm}/modules/misc/version.nix"
            "\${hm}/modules/misc/lib.nix"
            "\${hm}/modules/misc/submodule-support.nix"
            "\${hm}/modules/systemd.nix"
            ({ lib, ... }: {
              options.assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
              options.warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
              options.meta = lib.mkOption { type = lib.types.attrsOf lib.types.unspecified; default = { }; };
              options.nix.package = lib.mkOption { default = null; };
              options.nix.useXdg = lib.mkOption { default = false; };
            })
            # what Home Manager's NixOS module sets for each user
            { home.username = "alice"; home.homeDirectory = "/home/alice"; submoduleSupport.enable = true; }
            { config._module.args = { inherit pkgs; }; config._module.check = false; config.lib = lib.hm; }
            user
          ] ++ (if ${gen2} then [ node.specialisation.gen2.configuration.home-manager.users.alice ] else [ ]);
          specialArgs = { inherit osConfig; modulesPath = "\${hm}/modules"; };
        };
      in {
        failed = map (a: a.message) (builtins.filter (a: !a.assertion) ev.config.assertions);
        unit = ev.config.systemd.user.services ? clawdbot;
        wantedBy = ev.config.systemd.user.services.clawdbot.Install.WantedBy or [ ];
        tokenFile = ev.config.services.clawdbot.auth.tokenFile;
        maxConcurrent = ev.config.services.clawdbot.settings.agents.defaults.maxConcurrent;
        execStart = ev.config.systemd.user.services.clawdbot.Service.ExecStart;
      }`);
    if (!r.ok) throw new Error(r.stderr.slice(-3000));
    return r.value as { failed: string[]; unit: boolean; wantedBy: string[]; tokenFile: string; maxConcurrent: number; execStart: string };
  };

  it("with the VM's linger = true: the user unit (WantedBy default.target), every assertion holds", () => {
    const r = evalUser(true);
    expect(r.failed).toEqual([]);
    expect(r.unit).toBe(true);
    expect(r.wantedBy).toEqual(["default.target"]);
    expect(r.tokenFile).toBe("/home/alice/.gateway-token");
  });

  it("Home Manager generation 2 (the specialisation): every assertion holds, the changed setting, another unit", () => {
    const gen1 = evalUser(true);
    const gen2 = evalUser(true, true);
    expect(gen2.failed).toEqual([]);
    expect(gen1.maxConcurrent).toBe(1);
    expect(gen2.maxConcurrent).toBe(2);
    // another config file, so another user unit: the switch restarts it (sd-switch), and so does the rollback
    expect(gen2.execStart).not.toBe(gen1.execStart);
  });

  it("without lingering the module refuses, naming users.users.alice.linger", () => {
    const r = evalUser(false);
    expect(r.failed.join("\n")).toContain("users.users.alice.linger = true");
  });
});
