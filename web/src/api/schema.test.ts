import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";

// The typed client is only as true as its types: openapi.json must be the spec the
// service prints (checked by pytest, tests/web/test_openapi_drift.py, which runs the
// Python CLI), and schema.d.ts what that spec generates (checked here). After an API change:
//   ../.venv/bin/practika openapi > openapi.json && npm run api:types
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const committedSpec = () => JSON.parse(readFileSync(here("../../openapi.json"), "utf8"));

describe("API contract", () => {
  it("schema.d.ts is generated from the committed spec", async () => {
    const generated = astToString(await openapiTS(committedSpec(), { defaultNonNullable: false }));
    const committed = readFileSync(here("./schema.d.ts"), "utf8");
    const body = (text: string) => text.slice(text.indexOf("export"));
    expect(body(committed).trim(), "src/api/schema.d.ts is stale: npm run api:types").toBe(body(generated).trim());
  }, 120_000); // generating types from the whole spec takes seconds on a busy machine
});
