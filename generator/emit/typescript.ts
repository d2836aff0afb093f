// IR → TypeScript declarations of clawdbot.json and of the service options, built as ts-morph structures and
// writers (a syntax tree, not string pasting) and printed by ts-morph: for editors and for the import/check tools' own typing.
import { printStructure, StructureKind, type TypeAliasDeclarationStructure, type WriterFunction, Writers } from "ts-morph";
import { assertNever, type IrField, type IrModule, type IrType } from "../ir.js";
import { describe } from "../describe.js";

function typeWriter(type: IrType, prefix: string): string | WriterFunction {
  switch (type.kind) {
    case "bool":
      return "boolean";
    case "int":
    case "port":
    case "float":
      return "number";
    case "str":
    case "path":
      return "string";
    case "enum":
      return type.values.map((v) => JSON.stringify(v)).join(" | ");
    case "list": {
      const item = typeWriter(type.item, prefix);
      return typeof item === "string" ? `Array<${item}>` : (w) => { w.write("Array<"); item(w); w.write(">"); };
    }
    case "attrs": {
      const value = typeWriter(type.value, prefix);
      return typeof value === "string" ? `Record<string, ${value}>` : (w) => { w.write("Record<string, "); value(w); w.write(">"); };
    }
    case "submodule":
      return objectWriter(type, prefix);
    case "nullable": {
      const inner = typeWriter(type.inner, prefix);
      return typeof inner === "string" ? `${inner} | null` : Writers.unionType(inner, "null");
    }
    case "union": {
      const variants = type.variants.map((v) => typeWriter(v, prefix));
      return variants.length === 1 ? variants[0]! : Writers.unionType(variants[0]!, variants[1]!, ...variants.slice(2));
    }
    case "ref":
      return prefix + type.name;
    case "anything":
      return "unknown";
    default:
      return assertNever(type, "IR kind");
  }
}

function objectWriter(type: Extract<IrType, { kind: "submodule" }>, prefix: string): WriterFunction {
  return Writers.objectType({
    properties: type.fields.map((field) => ({
      name: JSON.stringify(field.name),
      hasQuestionToken: field.optional || field.default !== undefined || field.computedDefault !== undefined,
      type: typeWriter(field.type, prefix),
      docs: docsOf(field),
    })),
    ...(type.freeform ? { indexSignatures: [{ keyName: "key", keyType: "string", returnType: "unknown" }] } : {}),
  });
}

const docsOf = (field: IrField): string[] => {
  const text = describe(field).replace(/\*\//g, "*\\/");
  return text ? [text] : [];
};

export function emitTypeScript(input: {
  settings: IrModule;
  /** The service options; absent for a gateway whose module documents them itself. */
  service?: IrModule;
  header: string;
  names?: { configName: string; module: string; typePrefix: string };
}): string {
  const names = input.names ?? { configName: "clawdbot.json", module: "services.clawdbot", typePrefix: "Clawdbot" };
  const prefix = names.typePrefix;
  // The file is ts-morph structures printed by ts-morph's structure printer (`printStructure`): the same text
  // `addTypeAliases` on a source file gave, without parsing it back into a TypeScript AST that nothing reads
  // (that parse was half of this emitter's time: issue 20.5).
  const aliases: TypeAliasDeclarationStructure[] = [...input.settings.definitions.values()].map((definition) => ({
    kind: StructureKind.TypeAlias,
    name: `${prefix}${definition.name}`,
    isExported: true,
    type: typeWriter(definition.type, prefix),
    docs: [`Used at ${definition.usedAt.join(", ")}.`],
  }));
  aliases.push({
    kind: StructureKind.TypeAlias,
    name: `${prefix}Config`,
    isExported: true,
    type: typeWriter(input.settings.root, prefix),
    docs: [`The contents of ${names.configName}.`],
  });
  if (input.service) {
    aliases.push({
      kind: StructureKind.TypeAlias,
      name: `${prefix}ServiceOptions`,
      isExported: true,
      type: typeWriter(input.service.root, `${prefix}Service`),
      docs: [`The options of one gateway instance (\`${names.module}\` / \`${names.module}.instances.<name>\`).`],
    });
  }
  return printStructure({ kind: StructureKind.SourceFile, statements: [input.header, ...aliases] }, { indentNumberOfSpaces: 2 });
}
