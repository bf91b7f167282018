import { describe, expect, it } from "vitest";
import { clock, frameAt, ghostOnto, mapTime, points, type Point } from "./geometry";

describe("frameAt", () => {
  it("finds the nearest analysed frame", () => {
    const times = [0, 33, 67, 100];
    expect(frameAt(times, 0)).toBe(0);
    expect(frameAt(times, 40)).toBe(1);
    expect(frameAt(times, 60)).toBe(2);
    expect(frameAt(times, 5000)).toBe(3);
    expect(frameAt([], 10)).toBe(-1);
  });
});

describe("mapTime", () => {
  const pairs: [number, number][] = [
    [0, 0],
    [1000, 800],
    [2000, 2000],
  ];
  it("interpolates the time map and holds its ends", () => {
    expect(mapTime(pairs, 500)).toBe(400);
    expect(mapTime(pairs, 1500)).toBe(1400);
    expect(mapTime(pairs, -10)).toBe(0);
    expect(mapTime(pairs, 9999)).toBe(2000);
  });
});

function body(hipX: number, hipY: number, torso: number): Point[] {
  const ps = Array.from({ length: 33 }, () => ({ x: hipX, y: hipY, v: 1 }));
  for (const i of [23, 24]) ps[i] = { x: hipX, y: hipY, v: 1 };
  for (const i of [11, 12]) ps[i] = { x: hipX, y: hipY - torso, v: 1 };
  ps[25] = { x: hipX + torso / 2, y: hipY + torso / 2, v: 1 }; // a knee
  return ps;
}

describe("ghostOnto", () => {
  it("puts the reference's hips on the attempt's and scales by the torso", () => {
    const ghost = ghostOnto(body(0.2, 0.5, 0.1), body(0.6, 0.7, 0.2), 1, 1);
    expect(ghost[23].x).toBeCloseTo(0.6);
    expect(ghost[23].y).toBeCloseTo(0.7);
    expect(ghost[11].y).toBeCloseTo(0.5); // the attempt's torso length
    expect(ghost[25].x).toBeCloseTo(0.7); // the knee offset scaled ×2
  });
});

describe("points and clock", () => {
  it("reads flattened landmarks and speaks times", () => {
    expect(points([0.1, 0.2, 0.9, 0.3, 0.4, 1])).toEqual([
      { x: 0.1, y: 0.2, v: 0.9 },
      { x: 0.3, y: 0.4, v: 1 },
    ]);
    expect(clock(4200)).toBe("0:04.2");
    expect(clock(65_100)).toBe("1:05.1");
  });
});
