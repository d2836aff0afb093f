// Small schemas, one per feature of the lowering, each with values the emitted Nix must accept and reject.
// Golden files: tests/generator/golden/<name>.{schema.json,nix}. Rewrite with UPDATE_GOLDEN=1.
import { z } from "zod";

export interface Case {
  name: string;
  schema: z.ZodType;
  /** Settings values the generated type accepts, rendered back to exactly this JSON (nulls stripped). */
  accept: unknown[];
  /** Nix expressions of values it rejects, with a fragment of the expected error. */
  reject: { nix: string; error: string }[];
}

interface TreeNode {
  name: string;
  children?: TreeNode[];
}
const tree: z.ZodType<TreeNode> = z.lazy(() => z.object({ name: z.string(), children: z.array(tree).optional() }).strict());

export const cases: Case[] = [
  {
    name: "scalars-and-bounds",
    schema: z
      .object({
        flag: z.boolean().optional(),
        count: z.number().int().min(0).optional(),
        positive: z.number().int().positive().optional(),
        port: z.number().int().min(1).max(65535).optional(),
        anyPort: z.number().int().min(0).max(65535).optional(),
        ratio: z.number().min(0).max(1).optional(),
        percent: z.number().int().min(0).max(100).optional(),
        color: z.string().regex(/^#?[0-9a-fA-F]{6}$/).optional(),
      })
      .strict(),
    accept: [{ flag: true, count: 0, positive: 3, port: 443, anyPort: 0, ratio: 0.5, percent: 100, color: "#a0b0c0" }],
    reject: [
      { nix: `{ port = 0; }`, error: "value.port' is not of type `null or integer between 1 and 65535" },
      { nix: `{ anyPort = 70000; }`, error: "value.anyPort' is not of type `null or 16 bit unsigned integer" },
      { nix: `{ percent = 101; }`, error: "value.percent'" },
      { nix: `{ count = -1; }`, error: "value.count'" },
      { nix: `{ positive = 0; }`, error: "value.positive'" },
      { nix: `{ ratio = 1.5; }`, error: "value.ratio'" },
      { nix: `{ color = "red"; }`, error: "value.color'" },
      { nix: `{ flag = "yes"; }`, error: "value.flag' is not of type `null or boolean" },
    ],
  },
  {
    name: "enums-and-unions",
    schema: z
      .object({
        mode: z.enum(["local", "remote"]).optional(),
        level: z.union([z.literal("info"), z.literal("debug")]).optional(),
        native: z.union([z.boolean(), z.literal("auto")]).optional(),
        model: z.union([z.string(), z.object({ primary: z.string().optional(), fallbacks: z.array(z.string()).optional() }).strict()]).optional(),
        maybe: z.string().nullable().optional(),
      })
      .strict(),
    accept: [{ mode: "remote", level: "debug", native: "auto", model: { primary: "a", fallbacks: ["b"] } }, { native: false, model: "x" }],
    reject: [
      { nix: `{ mode = "elsewhere"; }`, error: "value.mode' is not of type `null or one of \"local\", \"remote\"" },
      { nix: `{ native = "sometimes"; }`, error: "value.native'" },
      { nix: `{ model = { primary = "a"; extra = 1; }; }`, error: "value.model.extra' does not exist" },
    ],
  },
  {
    name: "closed-and-open-objects",
    schema: z
      .object({
        closed: z.object({ a: z.string().optional() }).strict().optional(),
        open: z.object({ a: z.string().optional() }).passthrough().optional(),
        record: z.record(z.string(), z.number().int()).optional(),
        // Key patterns are checked for scalar values; for submodule values nixpkgs' `addCheck` on `attrsOf`
        // is not applied (lib 2026-06), so the schema check of the rendered file catches those.
        named: z.record(z.string().regex(/^[a-z0-9-]+$/), z.string()).optional(),
        anything: z.unknown().optional(),
        required: z.object({ id: z.string(), note: z.string().optional() }).strict().optional(),
      })
      .strict(),
    accept: [
      { closed: { a: "x" }, open: { a: "x", b: [1, 2], c: { d: true } }, record: { x: 1 }, named: { "my-profile": "#fff" }, anything: [1, "two"], required: { id: "i" } },
    ],
    reject: [
      { nix: `{ closed.b = 1; }`, error: "value.closed.b' does not exist" },
      { nix: `{ record.x = "one"; }`, error: "value.record.x' is not of type `integer between -9007199254740991 and 9007199254740991" },
      { nix: `{ named."Bad Name" = "x"; }`, error: "value.named'" },
      { nix: `{ required.note = "no id"; }`, error: "value.required.id' was accessed but has no value defined" },
      { nix: `{ typo = 1; }`, error: "value.typo' does not exist" },
    ],
  },
  {
    name: "lists-merge",
    schema: z.object({ allow: z.array(z.string()).optional(), items: z.array(z.object({ id: z.string() }).strict()).optional() }).strict(),
    accept: [{ allow: ["a", "b"], items: [{ id: "x" }] }],
    reject: [{ nix: `{ items = [ { id = "x"; other = 1; } ]; }`, error: "other' does not exist" }],
  },
  {
    name: "shared-definitions",
    schema: (() => {
      // three fields: a shape of one or two stays inline (generator/normalize.ts HOIST_FIELDS_MIN)
      const retry = z
        .object({ attempts: z.number().int().min(1).optional(), minDelayMs: z.number().int().min(0).optional(), jitter: z.number().min(0).max(1).optional() })
        .strict();
      return z
        .object({
          telegram: z.object({ retry: retry.optional(), accounts: z.record(z.string(), z.object({ retry: retry.optional() }).strict()).optional() }).strict().optional(),
          discord: z.object({ retry: retry.optional(), enabled: z.boolean().optional() }).strict().optional(),
        })
        .strict();
    })(),
    accept: [{ telegram: { retry: { attempts: 3 }, accounts: { main: { retry: { jitter: 0.5 } } } }, discord: { retry: { attempts: 1 } } }],
    reject: [{ nix: `{ discord.retry.attempts = 0; }`, error: "value.discord.retry.attempts'" }],
  },
  {
    name: "extension",
    schema: (() => {
      const account = z
        .object({ token: z.string().optional(), enabled: z.boolean().optional(), name: z.string().optional(), mode: z.enum(["a", "b"]).optional() })
        .strict();
      return z.object({ channel: account.extend({ accounts: z.record(z.string(), account).optional() }).strict().optional() }).strict();
    })(),
    accept: [{ channel: { token: "t", enabled: true, accounts: { second: { token: "u", name: "Second", mode: "b" } } } }],
    reject: [
      { nix: `{ channel.accounts.second.accounts = { }; }`, error: "value.channel.accounts.second.accounts' does not exist" },
      { nix: `{ channel.nmae = "x"; }`, error: "value.channel.nmae' does not exist" },
      { nix: `{ channel.mode = "c"; }`, error: "value.channel.mode' is not of type" },
    ],
  },
  {
    name: "recursion",
    schema: z.object({ root: tree.optional() }).strict(),
    accept: [{ root: { name: "a", children: [{ name: "b", children: [{ name: "c" }] }] } }],
    reject: [{ nix: `{ root = { name = "a"; children = [ { nom = "b"; } ]; }; }`, error: "nom' does not exist" }],
  },
  {
    name: "secrets",
    schema: z.object({ auth: z.object({ token: z.string().optional(), mode: z.enum(["token", "password"]).optional() }).strict().optional() }).strict(),
    accept: [{ auth: { token: { _secret: "/run/secrets/token" }, mode: "token" } }, { auth: { token: "literal" } }],
    reject: [{ nix: `{ auth.token = { _secret = "relative/path"; }; }`, error: "_secret'" }],
  },
  {
    // One secret of each kind of place; names that only look like secrets stay plain.
    name: "secret-places",
    schema: z
      .object({
        // top level, by name (no hint): a secret; a file path, a count and an env-variable name are none
        hooks: z.object({ token: z.string().optional(), tokenFile: z.string().optional(), maxTokens: z.number().int().optional(), apiKeyEnv: z.string().optional() }).strict().optional(),
        // an account map
        channel: z
          .object({
            botToken: z.string().optional(),
            accounts: z.record(z.string(), z.object({ botToken: z.string().optional(), name: z.string().optional() }).strict()).optional(),
          })
          .strict()
          .optional(),
        // a provider map, with a header map inside
        providers: z.record(z.string(), z.object({ apiKey: z.string().optional(), headers: z.record(z.string(), z.string()).optional() }).strict()).optional(),
        // a list item
        agents: z.object({ list: z.array(z.object({ id: z.string(), remote: z.object({ apiKey: z.string().optional() }).strict().optional() }).strict()).optional() }).strict().optional(),
        // an env map, both as a record and as the free keys of an object
        env: z.object({ vars: z.record(z.string(), z.string()).optional() }).catchall(z.string()).optional(),
        // a string or a free-form object held by a secret key (a service account)
        serviceAccount: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
      })
      .strict(),
    accept: [
      {
        hooks: { token: { _secret: "/run/secrets/hooks" }, tokenFile: "/run/token", maxTokens: 5, apiKeyEnv: "API_KEY" },
        channel: { botToken: { _secret: "/run/secrets/bot" }, accounts: { second: { botToken: { _secret: "/run/secrets/bot2" }, name: "Second" } } },
        providers: { openai: { apiKey: { _secret: "/run/secrets/openai" }, headers: { Authorization: { _secret: "/run/secrets/auth" } } } },
        agents: { list: [{ id: "main", remote: { apiKey: { _secret: "/run/secrets/remote" } } }] },
        env: { vars: { OPENAI_API_KEY: { _secret: "/run/secrets/openai" } }, GITHUB_TOKEN: { _secret: "/run/secrets/gh" } },
        serviceAccount: { _secret: "/run/secrets/sa.json" },
      },
      { hooks: { token: "${HOOKS_TOKEN}" }, env: { vars: { PLAIN: "text" } }, serviceAccount: { type: "service_account" } },
    ],
    reject: [
      { nix: `{ hooks.tokenFile = { _secret = "/run/x"; }; }`, error: "value.hooks.tokenFile' is not of type `null or string" },
      { nix: `{ hooks.maxTokens = { _secret = "/run/x"; }; }`, error: "value.hooks.maxTokens' is not of type" },
      { nix: `{ providers.openai.headers.Authorization = { _secret = "relative"; }; }`, error: "_secret'" },
    ],
  },
  {
    // A union of objects told apart by a constant (OpenClaw's SecretRef, tagged on `source`) that occurs at
    // several places: its objects are hoisted into definitions, so the tag is found through `$ref`s, and the
    // union is one definition, `SecretRef`, dispatched on `source` (`t.oneOf` of submodules took the first).
    name: "tagged-union-refs",
    schema: (() => {
      const provider = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/);
      const ref = z.discriminatedUnion("source", [
        z.object({ source: z.literal("env"), provider, id: z.string().regex(/^[A-Z][A-Z0-9_]{0,127}$/) }).strict(),
        z.object({ source: z.literal("file"), provider, id: z.string() }).strict(),
        z.object({ source: z.literal("exec"), provider, id: z.string() }).strict(),
      ]);
      return z
        .object({
          apiKey: z.union([z.string(), ref]).optional(),
          channel: z.object({ botToken: z.union([z.string(), ref]).optional() }).strict().optional(),
          reference: ref.optional(),
        })
        .strict();
    })(),
    accept: [
      {
        apiKey: { source: "file", provider: "default", id: "/run/key" },
        channel: { botToken: { source: "exec", provider: "vault", id: "telegram/bot" } },
        reference: { source: "env", provider: "default", id: "OPENAI_API_KEY" },
      },
      { apiKey: "literal", channel: { botToken: { _secret: "/run/secrets/bot" } } },
    ],
    reject: [
      { nix: `{ apiKey = { source = "vault"; provider = "default"; id = "x"; }; }`, error: "value.apiKey' is not of type `null or string or (submodule) or attribute set with source = \"env\", \"exec\", \"file\"'" },
      { nix: `{ reference = lib.mkMerge [ { source = "env"; } { source = "file"; } ]; }`, error: "The option `value.reference' has conflicting source values \"env\", \"file\"" },
      { nix: `{ reference = { provider = "default"; id = "X"; }; }`, error: "value.reference' is not of type `null or attribute set with source =" },
      { nix: `{ reference = { source = "env"; provider = "default"; id = "/run/key"; }; }`, error: "value.reference.id' is not of type `string matching the pattern [A-Z]" },
      { nix: `{ reference = { source = "file"; provider = "default"; id = "/k"; path = "/k"; }; }`, error: "value.reference.path' does not exist" },
      { nix: `{ channel.botToken = { source = "exec"; provider = "Bad"; id = "x"; }; }`, error: "value.channel.botToken.provider' is not of type `string matching the pattern" },
    ],
  },
  {
    // A key the object requires, left out, is an error naming it: never an empty list, set or null.
    name: "required-keys",
    schema: z
      .object({
        providers: z
          .record(
            z.string(),
            z
              .object({
                baseUrl: z.string(),
                models: z.array(z.object({ id: z.string() }).strict()),
                headers: z.record(z.string(), z.string()),
                match: z.object({ channel: z.string() }).strict(),
                note: z.string().nullable(),
                apiKey: z.string().optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict(),
    accept: [{ providers: { x: { baseUrl: "https://x", models: [{ id: "m" }], headers: { A: { _secret: "/run/a" } }, match: { channel: "c" }, note: "n" } } }],
    reject: [
      { nix: `{ providers.x = { baseUrl = "u"; headers = { }; match.channel = "c"; note = "n"; }; }`, error: "value.providers.x.models' was accessed but has no value defined" },
      { nix: `{ providers.x = { baseUrl = "u"; models = [ ]; match.channel = "c"; note = "n"; }; }`, error: "value.providers.x.headers' was accessed but has no value defined" },
      { nix: `{ providers.x = { baseUrl = "u"; models = [ ]; headers = { }; note = "n"; }; }`, error: "value.providers.x.match' was accessed but has no value defined" },
      { nix: `{ providers.x = { baseUrl = "u"; models = [ ]; headers = { }; match.channel = "c"; }; }`, error: "value.providers.x.note' was accessed but has no value defined" },
      { nix: `{ providers.x = { models = [ ]; headers = { }; match.channel = "c"; note = "n"; }; }`, error: "value.providers.x.baseUrl' was accessed but has no value defined" },
    ],
  },
  {
    // Conformance with upstream (issue 17.4): every bound and length upstream's schema declares is in the Nix type.
    // zod's `.int()` bounds an integer to ±(2^53 - 1) (a JavaScript safe integer): Nix's integers are 64-bit, so
    // the bound is kept; a length goes with a pattern, and with a secret string's text form; a pattern Nix cannot
    // run is named in the option's description, a secret string's too (its pattern was dropped with its length).
    name: "bounds-lengths-notes",
    schema: (() => {
      const exec = z.object({ command: z.string().regex(/^(?!\s*-)/), args: z.array(z.string()).optional(), cwd: z.string().optional() }).strict();
      return z
        .object({
          timeoutMs: z.number().int().min(0).optional(),
          offset: z.number().int().optional(),
          id: z.string().regex(/^[a-z][a-z0-9-]*$/).min(1).max(8).optional(),
          auth: z.object({ token: z.string().min(1).regex(/^(?!\s*-)/).optional() }).strict().optional(),
          hooks: z.object({ before: exec.optional(), after: exec.optional() }).strict().optional(),
        })
        .strict();
    })(),
    accept: [
      { timeoutMs: 9007199254740991, offset: -9007199254740991, id: "abc-1", auth: { token: "t" }, hooks: { before: { command: "run" }, after: { command: "x", args: ["-v"] } } },
      { auth: { token: { _secret: "/run/secrets/token" } } },
    ],
    reject: [
      { nix: `{ timeoutMs = 9007199254740992; }`, error: "value.timeoutMs' is not of type `null or integer between 0 and 9007199254740991" },
      { nix: `{ offset = -9007199254740992; }`, error: "value.offset' is not of type `null or integer between -9007199254740991 and 9007199254740991" },
      { nix: `{ id = "abcdefghi"; }`, error: "value.id' is not of type" },
      { nix: `{ id = "Abc"; }`, error: "value.id' is not of type" },
      { nix: `{ auth.token = ""; }`, error: "value.auth.token' is not of type" },
    ],
  },
  {
    // Unions of objects without one tag (OpenClaw's channels.twitch, bindings, the exec secret provider): each
    // variant recognised by a key of its own, or by a constant it requires, one variant taking the rest; the value
    // goes to that variant (`t.oneOf` of submodules always took the first, refusing every other variant's keys).
    name: "recognised-unions",
    schema: z
      .object({
        // one account's keys, or `accounts` (twitch)
        channel: z
          .union([
            z.object({ username: z.string(), token: z.string(), enabled: z.boolean().optional() }).strict(),
            z.object({ accounts: z.record(z.string(), z.object({ username: z.string() }).strict()), enabled: z.boolean().optional() }).strict(),
          ])
          .optional(),
        // `type = "acp"` required, or a route whose `type` may be left out (bindings)
        bindings: z
          .array(
            z.union([
              z.object({ type: z.literal("route").optional(), agentId: z.string(), match: z.string() }).strict(),
              z.object({ type: z.literal("acp"), agentId: z.string(), match: z.string(), acp: z.object({ mode: z.string() }).strict().optional() }).strict(),
            ]),
          )
          .optional(),
      })
      .strict(),
    accept: [
      { channel: { accounts: { a: { username: "u" } }, enabled: true }, bindings: [{ type: "acp", agentId: "a", match: "m", acp: { mode: "x" } }, { agentId: "b", match: "n" }] },
      { channel: { username: "u", token: "t" }, bindings: [{ type: "route", agentId: "b", match: "n" }] },
    ],
    reject: [
      { nix: `{ channel = { username = "u"; accounts = { }; }; }`, error: "value.channel.accounts' does not exist" },
      { nix: `{ channel = lib.mkMerge [ { username = "u"; token = "t"; } { accounts = { }; } ]; }`, error: "The option `value.channel' mixes the keys of different kinds" },
      { nix: `{ channel = { accounts.a = { }; }; }`, error: "value.channel.accounts.a.username' was accessed but has no value defined" },
      { nix: `{ bindings = [ { agentId = "b"; match = "n"; acp.mode = "x"; } ]; }`, error: "acp' does not exist" },
      { nix: `{ bindings = [ { type = "acp"; agentId = "b"; } ]; }`, error: "match' was accessed but has no value defined" },
    ],
  },
];

/** uiHints for the cases (the secrets case marks its token sensitive, as upstream does for gateway.auth.token). */
export const caseHints = {
  "auth.token": { label: "Token", help: "The token.", sensitive: true },
  "mode": { label: "Mode", help: "Local or remote." },
};
