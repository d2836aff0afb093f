// Types of nix/health-probe.mjs for the TypeScript tests.
export interface ProbeResult {
  ok: boolean;
  stage: string;
  /** The gateway answered the connect request with an error (bad or missing auth). */
  refused?: boolean;
  error?: string;
  health?: unknown;
  hello?: unknown;
}
export function probeHealth(opts: {
  url: string;
  token?: string;
  password?: string;
  timeoutMs?: number;
  WebSocketImpl?: unknown;
}): Promise<ProbeResult>;
