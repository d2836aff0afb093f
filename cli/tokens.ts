// "Looks like a token": the heuristic that moves a string out of the Nix files even where upstream does not mark
// the key sensitive (models.providers.*.apiKey, env.vars.*, hooks.token, channels.*.accounts.*.botToken, …).
//
// A string is taken for a secret when it is not an environment reference and ONE of these holds:
//  1. it has the shape of a known credential (a vendor prefix such as `sk-ant-`, `xoxb-`, `ghp_`, `AIza`, a
//     Telegram `<digits>:<35 chars>` bot token, a Discord token, a JWT, a PEM private key);
//  2. its key names a secret: the generator's keyPattern says so (modules/generated/<gateway>/facts.json: token, password,
//     passphrase, secret, apiKey, privateKey, secretKey, credential(s), serviceAccount as the last word), or its
//     last word is one only this heuristic knows (passwd, cookie, bearer, authorization; "key" after
//     access/auth/signing/client/encryption/bot/app), unless the key names a reference to one (`tokenFile`,
//     `apiKeyEnv`, `tokenUrl`, …) or the value is a path or a URL;
//  3. it is long random text: ≥ 32 characters without spaces or "/", not a UUID, and either all hex or mixed
//     upper case, lower case and digits with ≥ 4 bits of entropy per character — unless the key names a public
//     identifier (…Id, fingerprint, hash, sha, digest, checksum, version).
// tests/cli/tokens.test.ts pins each rule with examples on both sides.
//
// The key-name rule is the gateway's (its facts' keyPattern): each function takes the facts it applies.
import { envNames } from "./json.js";
import type { GatewayFacts } from "./targets.js";

/**
 * The generator's secret facts (modules/generated/<gateway>/facts.json, written by generator/secrets.ts): the
 * schema paths whose value is a secret (the module's file form `{ _secret = …; }`), the key-name pattern, and
 * the free-form objects below which a key is a secret by its name. The CLI reads them; it never re-derives them.
 */
export type SecretFacts = GatewayFacts["secrets"];

const secretKeys = new Map<string, RegExp>();

/** Does the key name say it holds a secret (the generator's keyPattern, a POSIX ERE matched against the whole key)? */
export function isSecretKeyName(key: string, secrets: Pick<SecretFacts, "keyPattern">): boolean {
  let regex = secretKeys.get(secrets.keyPattern);
  if (!regex) secretKeys.set(secrets.keyPattern, (regex = new RegExp(`^(${secrets.keyPattern})$`)));
  return regex.test(key);
}

const KNOWN: [RegExp, string][] = [
  [/^sk-ant-[A-Za-z0-9_-]{20,}$/, "an Anthropic key"],
  [/^sk-or-v1-[A-Za-z0-9]{20,}$/, "an OpenRouter key"],
  [/^sk-(proj-|svcacct-)?[A-Za-z0-9_-]{20,}$/, "an OpenAI-style key"],
  [/^xox[abposr]-[A-Za-z0-9-]{10,}$/, "a Slack token"],
  [/^xapp-\d-[A-Za-z0-9-]{10,}$/, "a Slack app token"],
  [/^(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})$/, "a GitHub token"],
  [/^glpat-[A-Za-z0-9_-]{20,}$/, "a GitLab token"],
  [/^AIza[0-9A-Za-z_-]{35}$/, "a Google API key"],
  [/^(AKIA|ASIA)[0-9A-Z]{16}$/, "an AWS access key id"],
  [/^\d{5,12}:[A-Za-z0-9_-]{30,}$/, "a Telegram bot token"],
  [/^[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}$/, "a Discord bot token"],
  [/^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/, "a JWT"],
  [/^(pplx|tvly|fc|gsk|xai|hf|r8|csk|nvapi|sk_live|sk_test|rk_live)[-_][A-Za-z0-9_-]{16,}$/, "a vendor API key"],
  [/^-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
];

/** Words the generator's keyPattern does not cover (it covers token, password, passphrase, secret, apiKey, …). */
const SECRET_WORDS = new Set(["passwd", "cookie", "bearer", "authorization"]);
const KEY_QUALIFIERS = new Set(["access", "auth", "signing", "client", "encryption", "bot", "app"]);
/** Keys that hold a reference to a secret, not the secret. */
const REFERENCE_WORDS = new Set(["file", "files", "path", "dir", "env", "url", "uri", "id", "name", "mode", "policy", "type", "command", "cmd", "length", "ttl", "header", "field", "source", "var"]);
/** Keys that hold public identifiers, exempt from the randomness rule. */
const PUBLIC_WORDS = new Set(["id", "ids", "fingerprint", "hash", "sha", "sha256", "digest", "checksum", "version", "uuid", "integrity"]);

/** camelCase, snake_case, kebab-case and ENV_NAMES → lower-case words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_\-.]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
}

export function keyNamesSecret(key: string, secrets: Pick<SecretFacts, "keyPattern">): boolean {
  // the generator's rule first (facts.json keyPattern): what the modules take as a secret
  if (isSecretKeyName(key, secrets)) return true;
  // then the words only this heuristic knows (HTTP credentials, `passwd`, "<qualifier> key"): such values are moved
  // to the environment file, never given the file form
  const words = keyWords(key);
  const last = words.at(-1);
  if (last === undefined || REFERENCE_WORDS.has(last)) return false;
  if (SECRET_WORDS.has(last)) return true;
  return last === "key" && words.length > 1 && KEY_QUALIFIERS.has(words.at(-2)!);
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function looksRandom(value: string): boolean {
  if (value.length < 32 || /[\s/]/.test(value) || UUID.test(value)) return false;
  if (!/^[A-Za-z0-9+=_\-.:~]+$/.test(value)) return false;
  if (/^[0-9a-f]{32,}$/i.test(value)) return true;
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value) && entropy(value) >= 4;
}

/**
 * Why this string (under this key) is taken for a secret, or undefined when it is not. `key` is the last
 * attribute name on the value's path (undefined for a list item); `secrets` the gateway's facts (its keyPattern).
 */
export function tokenReason(key: string | undefined, value: string, secrets: Pick<SecretFacts, "keyPattern">): string | undefined {
  if (value === "" || envNames(value).length > 0) return undefined;
  for (const [pattern, what] of KNOWN) if (pattern.test(value)) return `looks like ${what}`;
  const isPathOrUrl = /^([/~]|\.\.?\/|[a-z][a-z0-9+.-]*:\/\/)/i.test(value);
  if (key !== undefined && keyNamesSecret(key, secrets) && !isPathOrUrl) return `the key "${key}" names a secret`;
  const publicKey = key !== undefined && keyWords(key).some((w) => PUBLIC_WORDS.has(w));
  if (!publicKey && looksRandom(value)) return "looks like random key material";
  return undefined;
}
