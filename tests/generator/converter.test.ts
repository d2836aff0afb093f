// Why the generator converts zod with zod 4's own `z.toJSONSchema` and not zod-to-json-schema: upstream's
// schema is zod 4, the project uses one zod major (4), and zod-to-json-schema (declared unmaintained by its
// README since November 2025, written for zod 3) silently produces an empty schema for zod 4 types.
// This test keeps that decision honest: if a release of zod-to-json-schema starts handling zod 4, it fails.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";
import { serviceJsonSchema } from "../../generator/pipeline.js";

const probe = z
  .object({ port: z.number().int().min(1).max(65535).optional(), mode: z.enum(["local", "remote"]) })
  .strict();

describe("zod 4 → JSON schema converters", () => {
  it("zod-to-json-schema loses every property of a zod 4 schema", () => {
    const converted = zodToJsonSchema(probe as never) as Record<string, unknown>;
    expect(converted.properties).toBeUndefined();
    expect(converted.type).toBeUndefined();
  });
  it("z.toJSONSchema keeps properties, bounds, enums, required keys and closedness", () => {
    expect(z.toJSONSchema(probe, { io: "input" })).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: {
        port: { type: "integer", minimum: 1, maximum: 65535 },
        mode: { type: "string", enum: ["local", "remote"] },
      },
      required: ["mode"],
      additionalProperties: false,
    });
  });
  it("z.toJSONSchema carries .describe() and .meta() of the service schema into the JSON schema", () => {
    const schema = serviceJsonSchema("clawdbot");
    const port = schema.properties!.port!;
    expect(port["x-port"]).toBe(true);
    expect(port.description).toMatch(/^Port of the gateway/);
    expect(port.default).toBe(18789);
    expect(schema.properties!.openFirewall!["x-platforms"]).toEqual(["nixos"]);
  });
});
