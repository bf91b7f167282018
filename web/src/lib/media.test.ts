import { describe, expect, it } from "vitest";
import { renewIn } from "./media";

describe("playback URL renewal", () => {
  it("renews at four fifths of the lifetime left, never sooner than 5 s", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(renewIn("2026-01-01T12:15:00Z", now)).toBe(12 * 60_000);
    expect(renewIn("2026-01-01T12:00:20Z", now)).toBe(16_000);
    expect(renewIn("2026-01-01T12:00:01Z", now)).toBe(5_000);
    expect(renewIn(undefined, now)).toBe(false);
  });
});
