import { describe, expect, it } from "vitest";
import { prescription, resumeAt, step, timeLeft, type RunState } from "./runSteps";

const items = [{ rest_s: 30 }, { rest_s: null }, { rest_s: 60 }];

describe("a playlist run", () => {
  it("works each item, rests where the playlist says, then finishes", () => {
    let s: RunState = { phase: "ready" };
    s = step(items, s, { type: "start", now: 0 });
    expect(s).toEqual({ phase: "work", index: 0, since: 0 });
    s = step(items, s, { type: "next", now: 40_000 });
    expect(s).toEqual({ phase: "rest", index: 1, until: 70_000 });
    s = step(items, s, { type: "restOver", now: 70_000 });
    expect(s).toEqual({ phase: "work", index: 1, since: 70_000 });
    s = step(items, s, { type: "next", now: 90_000 }); // no rest after item 2
    expect(s).toEqual({ phase: "work", index: 2, since: 90_000 });
    s = step(items, s, { type: "next", now: 120_000 }); // the last item's rest is not needed
    expect(s).toEqual({ phase: "finish" });
  });

  it("ignores events that do not fit the phase, and an empty playlist cannot start", () => {
    expect(step([], { phase: "ready" }, { type: "start", now: 0 })).toEqual({ phase: "ready" });
    expect(step(items, { phase: "ready" }, { type: "next", now: 0 })).toEqual({ phase: "ready" });
    const working: RunState = { phase: "work", index: 0, since: 0 };
    expect(step(items, working, { type: "restOver", now: 5 })).toBe(working);
  });

  it("describes an item's prescription", () => {
    expect(prescription({ sets: 3, reps: 10, duration_s: null, rest_s: 60 })).toBe("3 sets · 10 reps · rest 60 s");
    expect(prescription({ sets: null, reps: null, duration_s: 45, rest_s: null })).toBe("45 s");
    expect(prescription({ sets: 1, reps: 1, duration_s: null, rest_s: null })).toBe("1 set · 1 rep");
  });
});

describe("resuming and timed items", () => {
  const items = [
    { id: "a", rest_s: 0, duration_s: null },
    { id: "b", rest_s: 0, duration_s: 30 },
    { id: "c", rest_s: 0, duration_s: null },
  ];
  it("goes on from the first item the abandoned session has not recorded", () => {
    expect(resumeAt(items, [{ playlist_item_id: "a" }])).toBe(1);
    expect(resumeAt(items, [])).toBe(0);
    expect(resumeAt(items, ["a", "b", "c"].map((id) => ({ playlist_item_id: id })))).toBe(3);
    expect(step(items, { phase: "ready" }, { type: "start", now: 5, at: 1 })).toEqual({ phase: "work", index: 1, since: 5 });
    expect(step(items, { phase: "ready" }, { type: "start", now: 5, at: 3 })).toEqual({ phase: "finish" });
  });
  it("counts a timed item down to zero", () => {
    const work = { phase: "work" as const, index: 1, since: 1000 };
    expect(timeLeft(items[1], work, 11_000)).toBe(20);
    expect(timeLeft(items[1], work, 99_000)).toBe(0);
    expect(timeLeft(items[0], { ...work, index: 0 }, 11_000)).toBeNull();
  });
});
