// Types of nix/prune.mjs for the TypeScript tests.
export interface PruneOptions {
  platform: string;
  arch: string;
  gpu: boolean;
}
export function keepLlamaBuild(name: string, opts: PruneOptions): boolean;
export function planPrune(nodeModules: string, opts: PruneOptions): string[];
export interface PruneGroup {
  why: string;
  paths: string[];
  except?: string[];
  platforms?: string[];
}
export function readGroups(specFile: string): Record<string, PruneGroup>;
export function planGroups(
  nodeModules: string,
  groups: Record<string, PruneGroup>,
  opts: { platform: string; keep?: string[] },
): { paths: string[]; groups: Record<string, { paths: string[]; unmatched: string[]; kept: boolean }> };
