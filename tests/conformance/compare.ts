// Agreement of the two verdicts (./verdicts.ts) on the samples (./samples.ts), per leaf and per union variant,
// and the disagreements sorted into buckets by cause.
import type { Sample, SampleSet } from "./samples.js";
import type { NixVerdict, UpstreamVerdict } from "./verdicts.js";

export interface Disagreement {
  sample: Sample;
  nix: NixVerdict | undefined;
  upstream: UpstreamVerdict | undefined;
  bucket: string;
  /** Nix's message, filled in for the first few of each bucket. */
  nixMessage?: string;
}

export interface Comparison {
  /** agreed: every sample agrees; explained: every sample agrees or differs in a tolerated bucket. */
  leaves: { agreed: number; explained: number; total: number };
  variants: { agreed: number; explained: number; total: number };
  /** Samples per expectation: agreed / total. */
  valid: { agreed: number; total: number };
  invalid: { agreed: number; total: number };
  disagreements: Disagreement[];
  buckets: Map<string, Disagreement[]>;
}

const isSecretRef = (v: unknown): boolean =>
  !!v && typeof v === "object" && !Array.isArray(v) && "source" in v && "id" in v;

const containsSecretRef = (v: unknown): boolean =>
  isSecretRef(v) || (!!v && typeof v === "object" && Object.values(v as object).some(containsSecretRef));

/**
 * The generator's deliberate departures, each documented: the normaliser's port rule (CONTRIBUTING: integers
 * named `port`/`…Port` bounded to 1..65535), and a JavaScript pattern Nix cannot run, which the option's
 * description leaves to the build-time validator (generator/regex.ts). `settingsText`: the generated file.
 */
export function deliberate(sample: Sample, settingsText: string): string | undefined {
  const last = sample.path.split(".").pop() ?? "";
  if (sample.expect === "valid" && /^(port|.*Port)$/.test(last) && typeof sample.value === "number" && (sample.value < 1 || sample.value > 65535))
    return "deliberate: the port rule bounds a port to 1..65535 (CONTRIBUTING, normaliser rules)";
  const pattern = /^not matching the pattern (.*)$/.exec(sample.what)?.[1];
  const documented = "`" + (pattern ?? "").replace(/\\/g, "\\\\") + "`, which Nix's `builtins.match` cannot run";
  if (sample.expect === "invalid" && pattern !== undefined && settingsText.includes(documented))
    return "deliberate: a pattern Nix cannot run, left to the build-time validator (the option's description says so)";
  return undefined;
}

/** Why Nix and upstream differ on a sample, as a bucket name. */
export function bucketOf(sample: Sample, nix: NixVerdict | undefined, upstream: UpstreamVerdict | undefined, settingsText = ""): string {
  if (!nix) return "no Nix verdict (the evaluation stopped too often in its chunk)";
  if (!upstream) return "no upstream verdict";
  if (nix.ok !== upstream.ok && !nix.crash) {
    const why = deliberate(sample, settingsText);
    if (why) return why;
  }
  if (nix.crash) {
    if (/invalid regular expression/.test(nix.crash)) return "Nix stops: a JavaScript regex Nix's builtins.match cannot run (strMatching)";
    return `Nix stops with an error tryEval cannot catch: ${nix.crash.replace(/'[^']*'/g, "'…'").slice(0, 120)}`;
  }
  if (sample.expect === "valid") {
    if (!nix.ok && upstream.ok) {
      if (containsSecretRef(sample.value)) return "Nix refuses a valid value: a tagged union (SecretRef { source, provider, id })";
      return `Nix refuses a valid value: ${sample.kind === "variant" ? "union variant" : "leaf"} ${sample.what.replace(/^variant \d+: /, "")}`;
    }
    if (nix.ok && !upstream.ok) return `upstream refuses what its JSON schema allows: ${upstream.issues[0]?.message.replace(/"[^"]*"/g, '"…"').slice(0, 100) ?? "?"}`;
    if (nix.ok && upstream.ok && !nix.same) return "Nix accepts but changes the value";
  } else {
    if (nix.ok && !upstream.ok) return `Nix accepts an invalid value: ${sample.what.replace(/\(.*$/, "").trim()}`;
    if (!nix.ok && upstream.ok) return `Nix refuses, upstream accepts what its JSON schema refuses: ${sample.what.replace(/\(.*$/, "").trim()}`;
  }
  return "agree";
}

/** Nix and upstream agree on a sample: the same verdict, and an accepted value kept as it is. */
export const agrees = (sample: Sample, nix: NixVerdict | undefined, upstream: UpstreamVerdict | undefined): boolean =>
  bucketOf(sample, nix, upstream) === "agree";

export function compare(
  set: SampleSet,
  nix: Map<number, NixVerdict>,
  upstream: Map<number, UpstreamVerdict>,
  settingsText = "",
  tolerated: (bucket: string) => boolean = () => false,
): Comparison {
  const disagreements: Disagreement[] = [];
  const badKeys = new Set<string>();
  const unexplained = new Set<string>();
  const counts = { valid: { agreed: 0, total: 0 }, invalid: { agreed: 0, total: 0 } };
  for (const sample of set.samples) {
    const n = nix.get(sample.id);
    const u = upstream.get(sample.id);
    const bucket = bucketOf(sample, n, u, settingsText);
    counts[sample.expect].total++;
    if (bucket === "agree") {
      counts[sample.expect].agreed++;
      continue;
    }
    disagreements.push({ sample, nix: n, upstream: u, bucket });
    badKeys.add(`${sample.kind}:${sample.key}`);
    if (!tolerated(bucket)) unexplained.add(`${sample.kind}:${sample.key}`);
  }
  // a leaf or variant with no sample (the sampler could not make one the schema accepts) does not count as agreed
  const unsampled = [...set.unsampled.map((u) => u.key), ...set.rejectedBySchema.filter((r) => r.expect === "valid").map((r) => r.key)];
  for (const key of unsampled) for (const s of [badKeys, unexplained]) s.add(`${key.includes("#") ? "variant" : "leaf"}:${key}`);
  const buckets = new Map<string, Disagreement[]>();
  for (const d of disagreements) buckets.set(d.bucket, [...(buckets.get(d.bucket) ?? []), d]);
  return {
    leaves: { agreed: set.leaves.filter((k) => !badKeys.has(`leaf:${k}`)).length, explained: set.leaves.filter((k) => !unexplained.has(`leaf:${k}`)).length, total: set.leaves.length },
    variants: { agreed: set.variants.filter((k) => !badKeys.has(`variant:${k}`)).length, explained: set.variants.filter((k) => !unexplained.has(`variant:${k}`)).length, total: set.variants.length },
    ...counts,
    disagreements,
    buckets,
  };
}
