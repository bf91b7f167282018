import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { angleDeg, hasContent, labels, withMeasure, type Measure } from "./geometry";

// The cases the service's twin (src/practika/domain/measures.py) is held to as well.
const shared = JSON.parse(readFileSync(path.resolve(process.cwd(), "../tests/fixtures/measures.json"), "utf8")) as {
  cases: { name: string; aspect: number; fps: number | null; measures: Measure[]; labels: string[] }[];
};

describe("measure labels", () => {
  it.each(shared.cases.map((c) => [c.name, c] as const))("%s: reads as the service reads it", (_, c) => {
    expect(labels(c.measures, c.aspect, c.fps)).toEqual(c.labels);
  });

  it("measures an angle in the picture's pixels, not in the unit square", () => {
    const square = angleDeg([0.2, 0.2], [0.5, 0.5], [0.8, 0.2], 1);
    expect(square).toBeCloseTo(90, 6);
    expect(angleDeg([0.2, 0.2], [0.5, 0.5], [0.8, 0.2], 16 / 9)).toBeGreaterThan(120);
  });
});

describe("a drawing's content", () => {
  it("counts measures and a compare view as content, an empty drawing not", () => {
    expect(hasContent(null)).toBe(false);
    expect(hasContent({ shapes: [], measures: [] })).toBe(false);
    const withAngle = withMeasure(null, { type: "angle", points: [[0, 0], [0.5, 0.5], [1, 0]] });
    expect(hasContent(withAngle)).toBe(true);
    expect(withAngle.shapes).toEqual([]);
  });

  it("keeps at most the service's number of measures", () => {
    let d = withMeasure(null, { type: "line", points: [[0, 0], [0, 0.01]] });
    for (let i = 0; i < 25; i++) d = withMeasure(d, { type: "line", points: [[0, 0], [i / 100, 0.5]] });
    expect(d.measures).toHaveLength(20);
  });
});
