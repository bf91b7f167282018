import { describe, expect, it } from "vitest";
import { dragRange, extendRange, frameAt, frameStep, layoutMarks, markIn, markOut, msToPct, pxToMs, shuttle, spriteTile } from "./timeline";

describe("timeline geometry", () => {
  it("maps pixels to milliseconds and back, clamped to the video", () => {
    expect(pxToMs(150, 300, 10_000)).toBe(5000);
    expect(pxToMs(-20, 300, 10_000)).toBe(0);
    expect(pxToMs(900, 300, 10_000)).toBe(10_000);
    expect(pxToMs(10, 0, 10_000)).toBe(0);
    expect(msToPct(2500, 10_000)).toBe(25);
    expect(msToPct(20_000, 10_000)).toBe(100);
  });

  it("turns a drag either way into a range, and a tiny drag into a point", () => {
    expect(dragRange(4000, 1000)).toEqual({ start: 1000, end: 4000 });
    expect(dragRange(1000, 4000)).toEqual({ start: 1000, end: 4000 });
    expect(dragRange(1000, 1050)).toEqual({ start: 1000, end: 1000 });
  });

  it("stacks overlapping marks on separate rows and reuses free rows", () => {
    const laid = layoutMarks([
      { id: "a", start: 0, end: 5000 },
      { id: "b", start: 1000, end: 2000 },
      { id: "c", start: 6000, end: 7000 },
      { id: "d", start: 2500, end: 3000 },
    ]);
    expect(Object.fromEntries(laid.map((m) => [m.id, m.row]))).toEqual({ a: 0, b: 1, d: 1, c: 0 });
  });

  it("finds the sprite tile for a time, clamped to the last tile", () => {
    const index = { interval_ms: 1000, count: 7, columns: 5, rows: 2, tile_width: 160, tile_height: 90 };
    expect(spriteTile(index, 0)).toEqual({ x: 0, y: 0 });
    expect(spriteTile(index, 6500)).toEqual({ x: 160, y: 90 });
    expect(spriteTile(index, 99_000)).toEqual({ x: 160, y: 90 });
  });

  it("steps one frame at the video's rate", () => {
    expect(frameStep(1000, 25, 1)).toBe(1040);
    expect(frameStep(1000, null, -1)).toBeCloseTo(966.67, 1);
    expect(frameStep(10, 30, -1)).toBe(0);
  });
});

describe("review keys", () => {
  it("counts frames", () => {
    expect(frameAt(0, 30)).toBe(0);
    expect(frameAt(1000, 30)).toBe(30);
    expect(frameAt(6033.4, 30)).toBe(181);
    expect(frameAt(500, null)).toBe(15);
    expect(frameAt(6249.99, 12)).toBe(75);
  });
  it("sets in and out points (I, O)", () => {
    expect(markIn(null, 2000)).toEqual({ start: 2000, end: 2000 });
    expect(markIn({ start: 1000, end: 5000 }, 2000)).toEqual({ start: 2000, end: 5000 });
    expect(markIn({ start: 1000, end: 1500 }, 2000)).toEqual({ start: 2000, end: 2000 });
    expect(markOut({ start: 2000, end: 2000 }, 4000)).toEqual({ start: 2000, end: 4000 });
    expect(markOut({ start: 2000, end: 4000 }, 1000)).toEqual({ start: 1000, end: 2000 });
    expect(markOut(null, 3000)).toEqual({ start: 3000, end: 3000 });
  });
  it("extends a range from the playhead like a text selection (Shift+arrows)", () => {
    expect(extendRange(null, 1000, 1033)).toEqual({ start: 1000, end: 1033 });
    expect(extendRange({ start: 1000, end: 1033 }, 1033, 1066)).toEqual({ start: 1000, end: 1066 });
    expect(extendRange({ start: 1000, end: 1066 }, 1066, 1033)).toEqual({ start: 1000, end: 1033 });
    expect(extendRange({ start: 1000, end: 2000 }, 1000, 967)).toEqual({ start: 967, end: 2000 });
  });
  it("shuttles with J and L", () => {
    expect(shuttle(0, "l")).toBe(1);
    expect(shuttle(1, "l")).toBe(2);
    expect(shuttle(2, "l")).toBe(4);
    expect(shuttle(4, "l")).toBe(4);
    expect(shuttle(-2, "l")).toBe(1);
    expect(shuttle(2, "j")).toBe(1);
    expect(shuttle(1, "j")).toBe(0.5);
    expect(shuttle(0.25, "j")).toBe(-1);
    expect(shuttle(0, "j")).toBe(-1);
    expect(shuttle(-1, "j")).toBe(-2);
  });
});
