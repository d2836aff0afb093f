// The text frames of the generated files are handlebars templates in generator/templates/.
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";

const directory = new URL("../templates/", import.meta.url);
const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderTemplate(name: string, data: object): string {
  let template = compiled.get(name);
  if (!template) {
    // noEscape: the emitters escape for their own language (Nix strings, Markdown) before filling in.
    // knownHelpersOnly: the templates use only handlebars' own block helpers (if, each), so `{{name}}` is
    // compiled as a plain lookup, not as "a helper or a value" (less code to generate and to run).
    template = Handlebars.compile(readFileSync(new URL(name, directory), "utf8"), { noEscape: true, strict: true, knownHelpersOnly: true });
    compiled.set(name, template);
  }
  return template(data);
}
