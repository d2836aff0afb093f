// The real gateway in the T0 tests: prepared exactly as the Nix package builds it (./gateway/prepare.ts), and
// run with private directories, bounded, probed for health (./gateway/run.ts).
export { GATEWAY_KINDS, type GatewayKind, type GatewayName } from "./gateway-kinds.js";
export * from "./gateway/prepare.js";
export * from "./gateway/run.js";
