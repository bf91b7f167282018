import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";

// The typed client is only as true as its types: they must be what openapi.json
// generates (and tests/web checks openapi.json against the service's own spec).
describe("API types", () => {
  it("are generated from the committed spec", async () => {
    const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
    const spec = JSON.parse(readFileSync(here("../../openapi.json"), "utf8"));
    const generated = astToString(await openapiTS(spec, { defaultNonNullable: false }));
    const committed = readFileSync(here("./schema.d.ts"), "utf8");
    const body = (text: string) => text.slice(text.indexOf("export"));
    expect(body(committed).trim()).toBe(body(generated).trim());
  });
});
