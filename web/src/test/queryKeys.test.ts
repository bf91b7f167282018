// The data layer's rule (bulletproof-react's query-option factories): every query key is
// written once, in a feature's api.ts; screens and hooks use the factories, and mutations
// invalidate through the factory's key. A key literal anywhere else fails here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !full.includes(`${path.sep}test${path.sep}`) ? [full] : [];
  });
}

/** `queryKey:` followed by a literal (an array or a string), outside the api.ts files. */
export function inlineKeys(file: string, text: string): string[] {
  if (path.basename(file) === "api.ts") return [];
  return text
    .split("\n")
    .map((line, i) => ({ line, at: i + 1 }))
    .filter(({ line }) => /queryKey:\s*[[\"'`]/.test(line))
    .map(({ line, at }) => `${path.relative(src, file)}:${at}: ${line.trim()}`);
}

describe("query keys", () => {
  it("are written only in the features' api.ts files", () => {
    const found = sources(src).flatMap((file) => inlineKeys(file, readFileSync(file, "utf8")));
    expect(found).toEqual([]);
  });

  it("the check sees an inline key (so it can fail)", () => {
    expect(inlineKeys("/x/Screen.tsx", 'useQuery({ queryKey: ["thread", id], queryFn })')).toHaveLength(1);
    expect(inlineKeys("/x/Screen.tsx", "invalidateQueries({ queryKey: threadKeys.all })")).toEqual([]);
    expect(inlineKeys("/x/api.ts", 'queryOptions({ queryKey: ["thread", id] })')).toEqual([]);
  });
});
