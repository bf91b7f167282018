import { describe, expect, it } from "vitest";
import { drawingChanges, shapesAt, stateAt, type ReviewEvent } from "./timeline";

const line = { type: "line" as const, points: [[0.1, 0.1], [0.9, 0.9]] as [number, number][] };
const EVENTS: ReviewEvent[] = [
  { at_ms: 0, action: "pause", position_ms: 500 },
  { at_ms: 1000, action: "draw", position_ms: 500, shape: line },
  { at_ms: 2000, action: "clear", position_ms: 500 },
  { at_ms: 2000, action: "play", position_ms: 500 },
  { at_ms: 2500, action: "rate", position_ms: 1000, rate: 0.5 },
  { at_ms: 3500, action: "seek", position_ms: 2800 },
];

describe("a voice-over's replay", () => {
  it("holds a paused frame, plays at the recorded speed and jumps where the coach seeked", () => {
    expect(stateAt(EVENTS, 900, 3000)).toEqual({ position: 500, playing: false, rate: 1 });
    expect(stateAt(EVENTS, 2250, 3000).position).toBe(750);
    expect(stateAt(EVENTS, 3000, 3000).position).toBe(1250); // half speed
    expect(stateAt(EVENTS, 3600, 3000)).toEqual({ position: 2850, playing: true, rate: 0.5 });
    expect(stateAt(EVENTS, 9000, 3000)).toEqual({ position: 3000, playing: false, rate: 0.5 }); // the end holds
  });

  it("shows a drawing from when it was drawn until it was cleared", () => {
    expect(shapesAt(EVENTS, 999)).toEqual([]);
    expect(shapesAt(EVENTS, 1000)).toEqual([line]);
    expect(shapesAt(EVENTS, 2000)).toEqual([]);
  });

  it("turns a change of the on-screen drawing into draw and clear actions", () => {
    const other = { ...line, color: "#ffffff" };
    expect(drawingChanges([], [line])).toEqual({ clear: false, drawn: [line] });
    expect(drawingChanges([line], [line, other])).toEqual({ clear: false, drawn: [other] });
    expect(drawingChanges([line], [])).toEqual({ clear: true, drawn: [] });
    expect(drawingChanges([line], [other])).toEqual({ clear: true, drawn: [other] });
  });
});
