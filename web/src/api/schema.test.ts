import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";

// The typed client is only as true as its types: openapi.json must be the spec the
// service prints, and schema.d.ts what that spec generates. After an API change:
//   ../.venv/bin/practika openapi > openapi.json && npm run api:types
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const committedSpec = () => JSON.parse(readFileSync(here("../../openapi.json"), "utf8"));

describe("API contract", () => {
  it("openapi.json is what `practika openapi` prints", () => {
    const practika = here("../../../.venv/bin/practika");
    expect(existsSync(practika), "the service's venv is missing: run `make setup`").toBe(true);
    // A throwaway data dir: building the app must not leave a key file in the source tree.
    const dataDir = mkdtempSync(join(tmpdir(), "practika-openapi-"));
    const run = spawnSync(practika, ["openapi"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PRACTIKA_DATA_DIR: dataDir },
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(run.status, run.stderr).toBe(0);
    expect(committedSpec(), "web/openapi.json is stale: regenerate it").toEqual(JSON.parse(run.stdout));
  });

  it("schema.d.ts is generated from the committed spec", async () => {
    const generated = astToString(await openapiTS(committedSpec(), { defaultNonNullable: false }));
    const committed = readFileSync(here("./schema.d.ts"), "utf8");
    const body = (text: string) => text.slice(text.indexOf("export"));
    expect(body(committed).trim(), "src/api/schema.d.ts is stale: npm run api:types").toBe(body(generated).trim());
  });
});
