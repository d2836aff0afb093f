// T1 (issue 19.4 and 19.7): every OpenClaw credential place through the real modules and real nixpkgs `lib`.
// The places (tests/fixtures/secret-paths.json) are derived from upstream's sensitive uiHints — map children
// (`models.providers.*.headers.*`) and plugin config schemas included — plus the URLs that may carry
// credentials and diagnostics.otel.headers. For each: a literal is an evaluation error naming the option;
// `{ _secret = "/run/x"; }` is accepted by the Nix type and rendered as upstream's SecretRef where the field
// takes one, else as a `${OPENCLAW_SECRET_…}` string, the file handed over by LoadCredential. Then what must
// stay plain, URLs with userinfo anywhere, secrets in `environment`, and exec secret providers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { announceSkip, REPO, t1Sources } from "../support/nix.js";
import { evalT1, nixJson } from "./support.js";

const t1 = t1Sources();
announceSkip("OpenClaw credential places with real nixpkgs lib (T1)", t1.libSkip);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Place {
  path: string;
  at: (string | number)[];
  kind: "secret" | "url";
  context?: Json;
  hints: string[];
  why?: string;
}
const fixture = JSON.parse(readFileSync(join(REPO, "tests/fixtures/secret-paths.json"), "utf8")) as {
  paths: Place[];
  notCredentials: Record<string, string>;
};
const facts = JSON.parse(readFileSync(join(REPO, "modules/generated/openclaw/facts.json"), "utf8"));
const hints = JSON.parse(readFileSync(join(REPO, "generator/schema/openclaw/ui-hints.json"), "utf8")) as Record<string, { sensitive?: boolean }>;

const setAt = (at: (string | number)[], value: Json): Json => {
  if (at.length === 0) return value;
  const [head, ...rest] = at;
  return typeof head === "number" ? [setAt(rest, value)] : { [head!]: setAt(rest, value) };
};
const merge = (a: Json | undefined, b: Json): Json => {
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const out: { [key: string]: Json } = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
    return out;
  }
  return b;
};
const getAt = (value: any, at: (string | number)[]): any => at.reduce((v, k) => v?.[k], value);
const matches = (pattern: string[], at: (string | number)[]): boolean =>
  pattern.length === at.length && pattern.every((p, i) => (p === "[]" ? typeof at[i] === "number" : p === "*" ? typeof at[i] === "string" : p === at[i]));
const takesReference = (at: (string | number)[]): boolean => facts.secrets.referencePaths.some((p: string[]) => matches(p, at));

const LITERAL = "literal-secret-0123456789";
const URL_WITH_PASSWORD = "http://agent:hunter2@proxy.example:3128";
const literalOf = (place: Place): string => (place.kind === "url" ? URL_WITH_PASSWORD : LITERAL);
// Assertions about what this test does not set up (a channel's separately published plugin): not about secrets.
const unrelated = (message: string): boolean => message.includes("which this instance does not load");

/** One T1 evaluation of services.openclaw per settings value (one nix process): failed assertions, or null on an evaluation error, and the rendered config. */
function evaluate(cases: { settings: Json; environment?: Record<string, string> }[]): { ok: boolean; failed: string[] | null; config: any; credentials: string[] }[] {
  return evalT1(`map (c: let
      e = t.nixos { system = "x86_64-linux"; configuration = { services.openclaw = { enable = true; settings = c.settings; environment = c.environment or { }; }; }; };
      s = e.config.systemd.services.openclaw;
      r = builtins.tryEval (builtins.deepSeq e.failed {
        inherit (e) failed;
        config = builtins.fromJSON (builtins.readFile (builtins.head s.restartTriggers));
        credentials = s.serviceConfig.LoadCredential or [ ];
      });
    in if r.success then r.value // { ok = true; } else { ok = false; failed = null; config = null; credentials = [ ]; }) ${nixJson(cases)}`);
}
const named = (failed: string[] | null, option: string): boolean => (failed ?? []).some((m) => m.includes(option) && !unrelated(m));
const optionOf = (at: (string | number)[]): string => `services.openclaw.settings.${at.join(".")}`;

describe("the credential places (tests/fixtures/secret-paths.json)", () => {
  it("cover every sensitive hint of upstream's: each is one entry's or a documented non-credential", () => {
    const sensitive = Object.entries(hints).filter(([, h]) => h?.sensitive).map(([k]) => k);
    const covered = new Set([...fixture.paths.flatMap((p) => p.hints), ...Object.keys(fixture.notCredentials)]);
    expect(sensitive.filter((k) => !covered.has(k))).toEqual([]);
    expect([...covered].filter((k) => !hints[k]?.sensitive)).toEqual([]);
    // the places the issue names beyond the hints
    const paths = fixture.paths.map((p) => p.path);
    for (const p of ["models.providers.*.headers.*", "mcp.servers.*.headers.*", "gateway.remote.edgeAuth.*", "proxy.proxyUrl", "models.providers.*.request.proxy.url", "mcp.servers.*.url", "browser.cdpUrl", "mcp.servers.*.env.*", "plugins.entries.webhooks.config.routes.*.secret", "diagnostics.otel.headers.*"]) {
      expect(paths).toContain(p);
    }
  });
});

describe.skipIf(!t1.nixpkgsLib)("OpenClaw credential places through the real modules (T1)", () => {
  it("a literal is refused naming the option; { _secret = \"/run/x\"; } is accepted and rendered (SecretRef where upstream takes one, else ${VAR})", () => {
    const places = fixture.paths;
    const literal = evaluate(places.map((p) => ({ settings: merge(p.context, setAt(p.at, literalOf(p))) })));
    const file = evaluate(places.map((p) => ({ settings: merge(p.context, setAt(p.at, { _secret: "/run/x" })) })));
    const refusedBad: string[] = [];
    const fileBad: string[] = [];
    places.forEach((place, i) => {
      const option = optionOf(place.at);
      const l = literal[i]!;
      if (!(l.ok && named(l.failed, option))) refusedBad.push(`${place.path}: ${l.ok ? JSON.stringify((l.failed ?? []).filter((m) => !unrelated(m))) : "evaluation error"}`);
      const f = file[i]!;
      const value = f.ok ? getAt(f.config, place.at) : undefined;
      const name = f.credentials.find((c) => c.endsWith(":/run/x"))?.split(":")[0];
      const expected = !name ? undefined : takesReference(place.at) ? { source: "env", provider: "default", id: name } : `\${${name}}`;
      const clean = f.ok && (f.failed ?? []).every(unrelated);
      if (!(clean && name?.startsWith("OPENCLAW_SECRET_") && isDeepStrictEqual(value, expected))) {
        fileBad.push(`${place.path}: ${f.ok ? `rendered ${JSON.stringify(value)}, credentials ${JSON.stringify(f.credentials)}, failed ${JSON.stringify(f.failed)}` : "evaluation error (the Nix type refuses it)"}`);
      }
    });
    const n = places.length;
    console.log(`literal refused ${n - refusedBad.length}/${n}, file form ${n - fileBad.length}/${n}`);
    expect(refusedBad).toEqual([]);
    expect(fileBad).toEqual([]);
  });

  it("stays plain: numbers and enums named like secrets, names of files and variables, URLs without credentials", () => {
    const plain: Json[] = [
      { models: { providers: { x: { maxTokens: 4096 } } } },
      { memory: { search: { store: { fts: { tokenizer: "trigram" } } } } },
      { agents: { defaults: { compaction: { keepRecentTokens: 2000 } } } },
      { gateway: { auth: { mode: "token" } } },
      { channels: { line: { secretFile: "/run/secrets/line-secret" } } },
      { mcp: { servers: { x: { url: "https://mcp.example/sse", headers: { Authorization: "Bearer ${MCP_TOKEN}" } } } } },
      { models: { providers: { x: { request: { proxy: { mode: "explicit-proxy", url: "http://proxy.example:3128" } } } } } },
      { proxy: { proxyUrl: "${OPENCLAW_PROXY_URL}" } },
      { browser: { cdpUrl: "http://user:${CDP_PASSWORD}@127.0.0.1:9222" } },
      { models: { providers: { x: { baseUrl: "https://${GATEWAY_TOKEN}@llm.example/v1" } } } },
    ];
    const r = evaluate(plain.map((settings) => ({ settings })));
    r.forEach((x, i) => {
      expect(x.ok, JSON.stringify(plain[i])).toBe(true);
      expect((x.failed ?? []).filter((m) => !unrelated(m)), JSON.stringify(plain[i])).toEqual([]);
      expect(merge(x.config, plain[i]!)).toEqual(x.config);
    });
  });

  it("HTTP header values are secrets wherever upstream hints them sensitive: a literal Content-Type is refused too (upstream redacts every value)", () => {
    const [r] = evaluate([{ settings: { tools: { web: { fetch: { headers: { "Content-Type": "application/json" } } } } } }]);
    expect(named(r!.failed, "services.openclaw.settings.tools.web.fetch.headers.Content-Type")).toBe(true);
  });

  it("a URL with a password in its userinfo is refused wherever it is, naming the option and the fix", () => {
    const [r] = evaluate([{ settings: { models: { providers: { x: { baseUrl: "https://user:pw@llm.example/v1" } } } } }]);
    const message = r!.failed!.find((m) => m.includes("services.openclaw.settings.models.providers.x.baseUrl"));
    expect(message).toContain("{ _secret = ");
    expect(message).toContain("${PROXY_PASSWORD}");
  });

  it("secrets in services.openclaw.environment are refused, pointing at environmentFiles; other variables are not", () => {
    const r = evaluate([
      { settings: {}, environment: { OPENAI_API_KEY: "sk-123", OPENCLAW_GATEWAY_TOKEN: "abc", DISCORD_BOT_TOKEN: "t", WEBHOOK_SECRET: "s", DB_PASSWORD: "p" } },
      { settings: {}, environment: { LOG_LEVEL: "debug", MAX_TOKENS: "4096", TOKENIZER: "x", OPENAI_API_KEY: "" } },
    ]);
    const message = r[0]!.failed!.find((m) => m.includes("environmentFiles"));
    for (const name of ["OPENAI_API_KEY", "OPENCLAW_GATEWAY_TOKEN", "DISCORD_BOT_TOKEN", "WEBHOOK_SECRET", "DB_PASSWORD"]) {
      expect(message).toContain(`services.openclaw.environment.${name}`);
    }
    expect(r[1]!.failed).toEqual([]);
  });

  // The exec variants are a union nested in the providers' union (by command, by plugin integration): the
  // generator dispatches on `source` through it (json-schema.ts discriminatorOf).
  it("an exec secret provider can be written (its env map takes { _secret })", () => {
    const providers = { vault: { source: "exec", command: "/run/current-system/sw/bin/vault-get", args: ["--json"], env: { VAULT_TOKEN: { _secret: "/run/x" } } } };
    const [r] = evaluate([{ settings: { secrets: { providers } } }]);
    expect(r!.ok).toBe(true);
    expect(r!.failed).toEqual([]);
    expect(r!.config.secrets.providers.vault).toMatchObject({ source: "exec", command: "/run/current-system/sw/bin/vault-get", args: ["--json"] });
    expect(r!.config.secrets.providers.vault.env.VAULT_TOKEN).toMatch(/^\$\{OPENCLAW_SECRET_[A-Z0-9_]+\}$/);
  });

  it("diagnostics.otel.headers (issue 19.7): upstream's schema takes no SecretRef there, so { _secret } is a ${VAR} string, and the option says so", () => {
    const otel = JSON.parse(readFileSync(join(REPO, "generator/schema/openclaw/openclaw.schema.json"), "utf8")).properties.diagnostics.properties.otel.properties.headers;
    expect(otel.additionalProperties).toEqual({ type: "string" });
    const [r] = evaluate([{ settings: { diagnostics: { otel: { headers: { Authorization: { _secret: "/run/x" } } } } } }]);
    expect(r!.config.diagnostics.otel.headers.Authorization).toBe("${OPENCLAW_SECRET_DIAGNOSTICS_OTEL_HEADERS_AUTHORIZATION}");
    const settings = readFileSync(join(REPO, "modules/generated/openclaw/settings.nix"), "utf8");
    const at = settings.indexOf('description = "**OpenTelemetry Headers**');
    expect(at).toBeGreaterThan(-1);
    expect(settings.slice(at, settings.indexOf("\n", at))).toContain("Upstream's schema takes no SecretRef here");
  });
});
