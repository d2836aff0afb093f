// What counts as a secret: one reviewed rule, applied once here, and published as data (modules/generated/
// facts.json) for the modules and the CLI, which never re-derive it.
//
// A string value is a secret when
//   1. upstream's uiHints mark its key sensitive, or its key NAME says so (SECRET_KEY_PATTERN below:
//      token, password, passphrase, secret, apiKey, privateKey, secretKey, credential(s), serviceAccount, in
//      camelCase, snake_case, kebab-case or UPPER_CASE, as the last word of the key) — unless the name says
//      it is about the secret rather than the secret itself (NOT_A_SECRET_NAME: …File, …Path, …Env, …Url,
//      …Id, …Dir…);
//   2. or it is a value of a map of environment variables or HTTP headers (a map named `env`, `vars` or
//      `headers` whose values may be strings), or upstream's uiHints mark the map's children sensitive
//      (hints keyed `models.providers.*.headers.*`, `gateway.remote.edgeAuth.*`: a record value or a list
//      item carries the hint);
//   3. or it is a value of a free-form object held by a secret key (a service-account JSON object).
// A string form is found through `$ref`s (a plugin's `secretInput` definition) and in type lists
// (`type: ["string", "number", "boolean"]`: MCP servers' headers).
// Separately, a URL that can carry credentials in its userinfo (CREDENTIAL_URL_PLACES) gets a file form
// (`x-secret: "url"`) without being a secret: its literal is refused only when it has a password.
// The fields of a secret reference (OpenClaw's SecretRef `{ source, provider, id }`) are never secrets.
// Only strings: a number or a boolean named like a secret (`maxTokens`, `userTokenReadOnly`) is none.
import { childrenOf, copyAsTree, type JsonSchema } from "./json-schema.js";

const CAMEL_WORDS = ["Token", "Password", "Passphrase", "Secret", "SecretKey", "ApiKey", "PrivateKey", "Credentials?", "ServiceAccount"];
const LOWER_WORDS = [
  "token",
  "password",
  "passphrase",
  "secret",
  "secret([_-]k|K)ey",
  "api([_-]?k|K)ey",
  "private([_-]k|K)ey",
  "credentials?",
  "service([_-]a|A)ccount",
];
const UPPER_WORDS = ["TOKEN", "PASSWORD", "PASSPHRASE", "SECRET", "SECRET_KEY", "API_?KEY", "PRIVATE_KEY", "CREDENTIALS?"];

/**
 * A POSIX extended regular expression matched against a WHOLE key name (Nix `builtins.match` semantics; no
 * lookahead, no `\d`, no flags, so that Nix, JavaScript and grep -E read it alike). It matches a key whose last
 * word is a secret word: `botToken`, `accessToken`, `appPassword`, `webhookSecret`, `apiKey`, `openaiApiKey`,
 * `privateKey`, `token`, `client_secret`, `x-api-key`, `GITHUB_TOKEN`; and not `tokenFile`, `maxTokens`,
 * `apiKeyEnv`, `publicKey`, `sessionKey`, `tokenUrl`.
 */
export const SECRET_KEY_PATTERN =
  `.*[a-z0-9](${CAMEL_WORDS.join("|")})` +
  `|(.*[_-])?(${LOWER_WORDS.join("|")})` +
  `|(.*_)?(${UPPER_WORDS.join("|")})`;

/**
 * Names that are about a secret (where it is, how it is named), never the secret itself. SECRET_KEY_PATTERN
 * matches none of them (it needs a secret word last); this keeps a sensitive hint on such a key from making it
 * a secret.
 */
const NOT_A_SECRET_NAME = /(File|Path|Env|Id|ID|Dir|Name|Mode|Type|Enabled|Header|Field)$/;

/** Names of string maps whose values are secrets by nature: environment variables and HTTP headers. */
export const SECRET_MAP_NAMES = ["env", "vars", "headers"];

const keyRegExp = new RegExp(`^(${SECRET_KEY_PATTERN})$`);

/** Does the key name say it holds a secret? (The same test as Nix's `builtins.match keyPattern key != null`.) */
export function isSecretKey(name: string): boolean {
  return keyRegExp.test(name);
}

const isFreeString = (node: JsonSchema): boolean =>
  (node.type === "string" || (Array.isArray(node.type) && node.type.includes("string"))) && node.const === undefined && node.enum === undefined;

/** A `#/$defs/…` reference resolved against the root (after "Move the definitions … to the root"). */
type Resolve = (node: JsonSchema) => JsonSchema;
const resolverOf =
  (root: JsonSchema): Resolve =>
  (node) => {
    let current = node;
    for (let i = 0; current.$ref && i < 16; i++) current = root.$defs?.[current.$ref.replace(/^#\/\$defs\//, "")] ?? current;
    return current;
  };

/** The string schemas a value may be: the node itself, or the string variants of a union (through `$ref`s). */
function stringForms(node: JsonSchema, resolve: Resolve = (n) => n): JsonSchema[] {
  const target = resolve(node);
  if (isFreeString(target)) return [target];
  return [...(target.anyOf ?? []), ...(target.oneOf ?? [])].flatMap((v) => stringForms(v, resolve));
}

/** The free-form objects a value may be (a service account given as JSON): their value schemas. */
function freeObjectValues(node: JsonSchema, resolve: Resolve = (n) => n): JsonSchema[] {
  const target = resolve(node);
  if (target.type === "object" && !target.properties && typeof target.additionalProperties === "object") {
    const values = target.additionalProperties;
    return values.type === undefined || isFreeString(values) ? [values] : [];
  }
  return [...(target.anyOf ?? []), ...(target.oneOf ?? [])].flatMap((v) => freeObjectValues(v, resolve));
}

/** OpenClaw's SecretRef object: `{ source: <const>, provider, id }`, nothing else (`const`, or after normalisation a one-value `enum`). */
export function isSecretReference(node: JsonSchema): boolean {
  const props = node.properties as Record<string, JsonSchema> | undefined;
  if (node.type !== "object" || !props) return false;
  const keys = Object.keys(props).sort();
  const source = props.source;
  return keys.join(",") === "id,provider,source" && (source?.const !== undefined || source?.enum?.length === 1);
}

/**
 * URLs that may carry credentials in their userinfo (`http://user:pass@proxy:3128`) and that upstream does not
 * mark sensitive: they accept `{ _secret = "/path"; }` (the whole URL from a file), and a literal is refused
 * only when its userinfo holds a password (modules/lib/render.nix). Path patterns as in facts.json, matched
 * against the schema path ("*" any key, "[]" any list item; a "**" prefix: at any depth).
 */
export const CREDENTIAL_URL_PLACES: string[][] = [
  ["**", "request", "proxy", "url"],
  ["**", "mcp", "servers", "*", "url"],
  ["browser", "cdpUrl"],
  ["browser", "profiles", "*", "cdpUrl"],
];

const placeMatches = (pattern: string[], path: string[]): boolean => {
  if (pattern[0] === "**") {
    const rest = pattern.slice(1);
    return path.length >= rest.length && placeMatches(rest, path.slice(path.length - rest.length));
  }
  return pattern.length === path.length && pattern.every((p, i) => p === path[i] || (p === "*" && path[i] === "*") || (p === "[]" && path[i] === "[]"));
};

/**
 * Rule "Mark every secret string `x-secret`": the three clauses above, at any depth (lists, records, unions,
 * definitions). `x-sensitive` (upstream's hint, attached before) is read, never changed. The mark is on the
 * string schema itself (a record's value schema for map values), which the parser lowers to a secret string
 * (the Nix type then also accepts `{ _secret = "/path"; }`).
 */
export function markSecrets(schema: JsonSchema): JsonSchema {
  // (its input is a tree already, the copy attachHints and inheritOverriddenText made: copyAsTree is the same
  // copy as structuredClone there, at a third of its cost)
  const result = copyAsTree(schema) as JsonSchema;
  const resolve = resolverOf(result);
  const mark = (node: JsonSchema): void => {
    node["x-secret"] = true;
  };
  const markAll = (node: JsonSchema): void => {
    stringForms(node, resolve).forEach(mark);
    freeObjectValues(node, resolve).forEach(mark);
  };
  const visit = (node: JsonSchema, path: string[]): void => {
    // A secret reference ({ source, provider, id }: OpenClaw's SecretRef) names where a secret is; its
    // fields are never secrets themselves, whatever upstream's hints say of them.
    if (isSecretReference(node)) return;
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const byName = isSecretKey(name);
      const byHint = child["x-sensitive"] === true && !NOT_A_SECRET_NAME.test(name);
      if (byName || byHint) markAll(child);
      const values = resolve(child).additionalProperties;
      if (SECRET_MAP_NAMES.includes(name) && typeof values === "object") stringForms(values, resolve).forEach(mark);
      // (a pattern's last segment is the key itself: only those are tried)
      if (CREDENTIAL_URL_PLACES.some((pattern) => pattern.at(-1) === name && placeMatches(pattern, [...path, name]))) {
        for (const form of stringForms(child, resolve)) if (form["x-secret"] !== true) form["x-secret"] = "url";
      }
    }
    // A hint on a map's children or a list's items (`models.providers.*.headers.*`): its values are secrets.
    for (const child of [node.additionalProperties, node.items]) {
      if (typeof child === "object" && child["x-sensitive"] === true) markAll(child);
    }
    for (const { node: child, step } of childrenOf(node)) visit(child, step === null ? path : [...path, step]);
  };
  visit(result, []);
  for (const definition of Object.values(result.$defs ?? {})) visit(definition, ["**"]);
  return result;
}
