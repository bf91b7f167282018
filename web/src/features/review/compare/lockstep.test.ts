import { describe, expect, it } from "vitest";
import { inRange, lockedTime } from "./lockstep";

describe("videos locked at a sync point each", () => {
  it("moves the compared video by the same amount from its own sync point", () => {
    expect(lockedTime(2000, 2000, 1000, 6000)).toBe(1000);
    expect(lockedTime(3500, 2000, 1000, 6000)).toBe(2500);
  });

  it("waits at the compared video's start or end when it has no footage there", () => {
    expect(lockedTime(100, 2000, 1000, 6000)).toBe(0);
    expect(inRange(100, 2000, 1000, 6000)).toBe(false);
    expect(lockedTime(9000, 2000, 1000, 6000)).toBe(6000);
    expect(inRange(4000, 2000, 1000, 6000)).toBe(true);
  });
});
