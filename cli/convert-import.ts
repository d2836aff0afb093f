// `clawdbot-nix import --from clawdbot --target openclaw <clawdbot config>`: the Clawdbot config converted for
// OpenClaw (cli/migrate.ts: Clawdbot's load-time migration, our rules, OpenClaw's doctor migration), then imported
// as any openclaw.json is (services.openclaw). A config OpenClaw would still refuse stops the import with nothing
// written, each refused key named with why and the fix.
import { conversionFigure, formatMigration, migrateToOpenclaw } from "./migrate.js";
import { collectEnvReferences, type ReadConfig } from "./read-config.js";
import { TARGETS, type TargetChoice } from "./targets.js";
import { locateUpstream, type UpstreamValidator } from "./upstream-validator.js";

/** The conversion cannot be made or OpenClaw refuses its result (import.ts reports it as an ImportError). */
export class ConversionError extends Error {
  override name = "ConversionError";
}

/** The gateways a config can be converted from (--from). */
export const FROM_NAMES = ["clawdbot"] as const;
export type FromName = (typeof FROM_NAMES)[number];

export interface ConvertOptions {
  upstream?: "auto" | "off" | UpstreamValidator;
  gateway?: string;
  progress?: (line: string) => void;
}

/** The source converted for OpenClaw, and what moved (for the report). Throws ConversionError when OpenClaw refuses it. */
export async function convertSource(source: ReadConfig, choice: TargetChoice, from: FromName, options: ConvertOptions): Promise<{ source: ReadConfig; moved: string[] }> {
  const { openclaw } = TARGETS;
  if (choice.target.name !== openclaw.name) {
    throw new ConversionError(`--from ${from} converts a ${TARGETS[from].displayName} config for ${openclaw.displayName}: give --target ${openclaw.name} (the target is ${choice.target.name})`);
  }
  if (options.upstream === "off") {
    throw new ConversionError(`--from ${from} converts with ${openclaw.displayName}'s own migration code, which --schema-only leaves out: drop --schema-only`);
  }
  const validator =
    typeof options.upstream === "object" ? options.upstream : locateUpstream({ target: openclaw, ...(options.gateway ? { gateway: options.gateway } : {}) });
  const located = "packageRoot" in validator ? { validator } : validator;
  if (!located.validator) throw new ConversionError(`--from ${from}: the conversion runs ${openclaw.displayName}'s own migration, and ${located.missing}`);
  options.progress?.(`converting ${source.file} from ${TARGETS[from].displayName} ${TARGETS[from].version} with its load-time migration and ${openclaw.displayName} ${openclaw.version}'s doctor migration…`);
  const [migration] = await migrateToOpenclaw(located.validator, [source.value]);
  if (!migration!.ok) {
    throw new ConversionError(
      [`nothing written: ${openclaw.displayName} ${openclaw.version} still refuses the converted config:`, ...formatMigration(source.file, migration!), conversionFigure([migration!])].join("\n"),
    );
  }
  // upstream's warnings and ours (a cron store left behind) are said like the reader's own warnings: as notes
  const warnings = [...source.warnings, ...migration!.warnings];
  return { source: { ...source, value: migration!.config, envReferences: collectEnvReferences(migration!.config), warnings }, moved: migration!.changes };
}
