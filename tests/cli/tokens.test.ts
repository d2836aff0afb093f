// The "looks like a token" heuristic (cli/tokens.ts): each rule with examples on both sides.
import { describe, expect, it } from "vitest";
import { TARGET_NAMES, TARGETS } from "../../cli/targets.js";
import { keyWords, tokenReason } from "../../cli/tokens.js";

/** Vendor-shaped examples are assembled from parts, so that secret scanners do not take them for leaked keys. */
const fake = (...parts: string[]): string => parts.join("");

describe("tokenReason", () => {
  it.each([
    ["rule 1: Anthropic key under any key", "note", fake("sk-ant-", "api03-abcdefghijklmnopqrstuvwxyz0123456789")],
    ["rule 1: OpenAI project key", undefined, fake("sk-", "proj-abcdefghijklmnopqrstuvwxyz012345")],
    ["rule 1: OpenRouter key", "value", fake("sk-or-", "v1-0123456789abcdef0123456789abcdef")],
    ["rule 1: Slack bot token", "x", fake("xo", "xb-1234567890-0987654321-AbCdEfGhIjKlMnOp")],
    ["rule 1: Slack app token", "x", fake("xa", "pp-1-A0123456789-0123456789012-abcdef")],
    ["rule 1: GitHub token", "x", fake("gh", "p_abcdefghijklmnopqrstuvwxyz0123456789")],
    ["rule 1: Google API key", "x", fake("AI", "zaSyA1234567890abcdefghijklmnopqrstuv")],
    ["rule 1: Telegram bot token", "x", "7312345678:AAFakeTokenQx7Lw2VbN9sT4uR8mZ1pC6dH0jG5"],
    ["rule 1: Discord token", "x", fake("MTEzNDU2Nzg5MDEyMzQ1Njc4OQ", ".GhFake.", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab")],
    ["rule 1: JWT", "x", fake("eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiIxMjM0NTY3ODkwIn0.", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")],
    ["rule 1: PEM private key", "x", fake("-----BEGIN PRIVATE", " KEY-----\nMIIE...")],
    ["rule 2: key apiKey", "apiKey", "not-random-at-all"],
    ["rule 2: env var name", "OPENAI_API_KEY", "abc123"],
    ["rule 2: key token", "token", "changeme"],
    ["rule 2: key appPassword", "appPassword", "hunter22"],
    ["rule 2: key clientSecret", "clientSecret", "s3cr3t"],
    ["rule 2: an Authorization header", "Authorization", "Bearer abc.def"],
    ["rule 2: an x-api-key header", "x-api-key", "abc123"],
    ["rule 3: 48 hex characters (the wizard's gateway token)", "value", "3f9c2b7e1d4a8f6c0b5e9d2a7c4f1e8b3d6a0c9f2e5b8d1a"],
    ["rule 3: mixed-case random text", "header", "Zk3vQ9wX2mR7tY4uP8sL1nB6cD0fG5hJ3kA9eW2qT7yU"],
  ])("%s → secret", (_what, key, value) => {
    for (const name of TARGET_NAMES) expect(tokenReason(key, value, TARGETS[name].facts.secrets), name).toBeDefined();
  });

  it.each([
    ["an env reference", "apiKey", "${OPENAI_API_KEY}"],
    ["a reference inside text", "token", "Bearer ${TOKEN}"],
    ["an empty string", "token", ""],
    ["a path under a secret-named key", "token", "/run/secrets/token"],
    ["a URL under a secret-named key", "apiKey", "https://vault.example/key"],
    ["a key naming a file", "tokenFile", "telegram-token.txt"],
    ["a key naming an env var", "apiKeyEnv", "OPENAI_API_KEY"],
    ["the auth mode value", "mode", "token"],
    ["a model id", "primary", "anthropic/claude-opus-4-5"],
    ["a UUID", "tenant", "123e4567-e89b-12d3-a456-426614174000"],
    ["a phone number", undefined, "+15551234567"],
    ["a fingerprint", "tlsFingerprint", "sha256:3f9c2b7e1d4a8f6c0b5e9d2a7c4f1e8b3d6a0c9f2e5b8d1a"],
    ["a hash-named key", "configHash", "3f9c2b7e1d4a8f6c0b5e9d2a7c4f1e8b3d6a0c9f2e5b8d1a"],
    ["a long sentence", "systemPrompt", "You are a helpful assistant that answers briefly and politely."],
    ["lower-case words joined", "id", "my-very-long-agent-identifier-for-the-ops-team"],
    ["a plural count key", "maxTokens", "8192"],
    ["a session key", "mainKey", "main"],
    ["a provider's auth kind", "auth", "api-key"],
  ])("%s → not a secret", (_what, key, value) => {
    for (const name of TARGET_NAMES) expect(tokenReason(key, value, TARGETS[name].facts.secrets), name).toBeUndefined();
  });

  it("splits key names into words", () => {
    expect(keyWords("OPENAI_API_KEY")).toEqual(["openai", "api", "key"]);
    expect(keyWords("botTokenFile")).toEqual(["bot", "token", "file"]);
    expect(keyWords("userTokenReadOnly")).toEqual(["user", "token", "read", "only"]);
  });
});
