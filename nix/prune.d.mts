// Types of nix/prune.mjs for the TypeScript tests.
export interface PruneOptions {
  platform: string;
  arch: string;
  gpu: boolean;
}
export function keepLlamaBuild(name: string, opts: PruneOptions): boolean;
export function planPrune(nodeModules: string, opts: PruneOptions): string[];
