// Our own conversions, Clawdbot → OpenClaw, for keys neither Clawdbot's load-time migration nor OpenClaw's
// doctor migration moves. Each rule runs on the config as Clawdbot's migration left it (Clawdbot's key names),
// before OpenClaw's migration, and says what it did in words. Each carries a sample that OpenClaw's migration
// alone leaves refused and that the rule makes valid (tests/cli/convert.test.ts checks both, so a rule that
// upstream's code makes unnecessary in a later release fails the test instead of lingering).
import { isPlainObject, type JsonObject } from "./read-config.js";

export interface OwnRule {
  id: string;
  /** Why upstream does not do it, and why this is safe. */
  reason: string;
  /** Apply to the config in place; push a sentence per change. */
  apply(config: JsonObject, changes: string[]): void;
  /** A Clawdbot config this rule exists for. */
  sample: JsonObject;
}

const DEFAULT_GATEWAY_PORT = 18789;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The loopback URL of a port, or undefined when the text is not a URL on a loopback host. */
function loopbackPort(text: string): number | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!LOOPBACK.has(url.hostname) || (url.pathname !== "/" && url.pathname !== "")) return undefined;
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return Number.isInteger(port) ? port : undefined;
}

export const OWN_RULES: OwnRule[] = [
  {
    id: "browser.controlUrl-default",
    // Clawdbot's browser.controlUrl named where its browser control server listens (docs: tools/browser.md,
    // default http://127.0.0.1:<gateway port + 2>). OpenClaw 2026.9.6 has no such key: it derives the control
    // port from the gateway's port (deriveDefaultBrowserControlPort(gatewayPort) = port + 2, dist) and offers no
    // setting for it, and neither migration removes the key (its doctor's normalizeLegacyBrowserConfig handles
    // relayBindHost, extension cdpUrl and ssrfPolicy only). A controlUrl that is exactly that default says
    // nothing OpenClaw does not already do: dropping it changes nothing. Any other controlUrl (a remote browser
    // host, another port) is left for the validator to refuse, and the refusal names the fix.
    reason: "browser.controlUrl equal to the port OpenClaw derives itself (gateway port + 2 on loopback)",
    apply(config, changes) {
      const browser = config.browser;
      if (!isPlainObject(browser) || typeof browser.controlUrl !== "string") return;
      const gateway = isPlainObject(config.gateway) ? config.gateway : {};
      const gatewayPort = typeof gateway.port === "number" ? gateway.port : DEFAULT_GATEWAY_PORT;
      if (loopbackPort(browser.controlUrl) !== gatewayPort + 2 || browser.controlToken !== undefined) return;
      changes.push(
        `Removed browser.controlUrl (${browser.controlUrl}): OpenClaw serves browser control on the gateway's port + 2 (${gatewayPort + 2}) by itself and has no setting for it.`,
      );
      delete browser.controlUrl;
    },
    sample: { browser: { enabled: true, controlUrl: "http://127.0.0.1:18791" } },
  },
];

/** Apply every rule (in place); the sentences of what changed. */
export function applyOwnRules(config: JsonObject): string[] {
  const changes: string[] = [];
  for (const rule of OWN_RULES) rule.apply(config, changes);
  return changes;
}
