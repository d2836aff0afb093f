// What counts as a secret: one reviewed rule, applied once here, and published as data (modules/generated/
// facts.json) for the modules and the CLI, which never re-derive it.
//
// A string value is a secret when
//   1. upstream's uiHints mark its key sensitive, or its key NAME says so (SECRET_KEY_PATTERN below:
//      token, password, passphrase, secret, apiKey, privateKey, secretKey, credential(s), serviceAccount, in
//      camelCase, snake_case, kebab-case or UPPER_CASE, as the last word of the key) — unless the name says
//      it is about the secret rather than the secret itself (NOT_A_SECRET_NAME: …File, …Path, …Env, …Url,
//      …Id, …Dir…);
//   2. or it is a value of a map of environment variables or HTTP headers (a string map named `env`,
//      `vars` or `headers`);
//   3. or it is a value of a free-form object held by a secret key (a service-account JSON object).
// The fields of a secret reference (OpenClaw's SecretRef `{ source, provider, id }`) are never secrets.
// Only strings: a number or a boolean named like a secret (`maxTokens`, `userTokenReadOnly`) is none.
import { childrenOf, type JsonSchema } from "./json-schema.js";

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
const NOT_A_SECRET_NAME = /(File|Path|Env|Url|URL|Uri|Id|ID|Dir|Name|Mode|Type|Enabled|Header|Field)$/;

/** Names of string maps whose values are secrets by nature: environment variables and HTTP headers. */
export const SECRET_MAP_NAMES = ["env", "vars", "headers"];

const keyRegExp = new RegExp(`^(${SECRET_KEY_PATTERN})$`);

/** Does the key name say it holds a secret? (The same test as Nix's `builtins.match keyPattern key != null`.) */
export function isSecretKey(name: string): boolean {
  return keyRegExp.test(name);
}

const isFreeString = (node: JsonSchema): boolean =>
  node.type === "string" && node.const === undefined && node.enum === undefined;

/** The string schemas a value may be: the node itself, or the string variants of a union. */
function stringForms(node: JsonSchema): JsonSchema[] {
  if (isFreeString(node)) return [node];
  return [...(node.anyOf ?? []), ...(node.oneOf ?? [])].flatMap(stringForms);
}

/** The free-form objects a value may be (a service account given as JSON): their value schemas. */
function freeObjectValues(node: JsonSchema): JsonSchema[] {
  if (node.type === "object" && !node.properties && typeof node.additionalProperties === "object") {
    const values = node.additionalProperties;
    return values.type === undefined || isFreeString(values) ? [values] : [];
  }
  return [...(node.anyOf ?? []), ...(node.oneOf ?? [])].flatMap(freeObjectValues);
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
 * Rule "Mark every secret string `x-secret`": the three clauses above, at any depth (lists, records, unions,
 * definitions). `x-sensitive` (upstream's hint, attached before) is read, never changed. The mark is on the
 * string schema itself (a record's value schema for map values), which the parser lowers to a secret string
 * (the Nix type then also accepts `{ _secret = "/path"; }`).
 */
export function markSecrets(schema: JsonSchema): JsonSchema {
  const result = structuredClone(schema);
  const mark = (node: JsonSchema): void => {
    node["x-secret"] = true;
  };
  const visit = (node: JsonSchema): void => {
    // A secret reference ({ source, provider, id }: OpenClaw's SecretRef) names where a secret is; its
    // fields are never secrets themselves, whatever upstream's hints say of them.
    if (isSecretReference(node)) return;
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const byName = isSecretKey(name);
      const byHint = child["x-sensitive"] === true && !NOT_A_SECRET_NAME.test(name);
      if (byName || byHint) {
        stringForms(child).forEach(mark);
        freeObjectValues(child).forEach(mark);
      }
      if (SECRET_MAP_NAMES.includes(name) && typeof child.additionalProperties === "object" && isFreeString(child.additionalProperties)) {
        mark(child.additionalProperties);
      }
    }
    for (const { node: child } of childrenOf(node)) visit(child);
  };
  visit(result);
  return result;
}
