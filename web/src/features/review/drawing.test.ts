import { describe, expect, it } from "vitest";
import type { Shape } from "../../api/client";
import { extend, MAX_SHAPES, meaningful, normalised, pictureBox, withShape } from "./drawing";

const rect = { left: 100, top: 50, width: 400, height: 200 };

describe("drawing on the frame", () => {
  it("stores points as fractions of the frame, clamped to it", () => {
    expect(normalised(300, 150, rect)).toEqual([0.5, 0.5]);
    expect(normalised(0, 999, rect)).toEqual([0, 1]);
  });

  it("fits the picture inside the player like object-fit: contain", () => {
    // A portrait clip (9:16) in a wide box has bars left and right…
    expect(pictureBox(1000, 500, 9 / 16)).toEqual({ left: 359.375, top: 0, width: 281.25, height: 500 });
    // …a wide clip in a tall box has them above and below.
    expect(pictureBox(400, 800, 2)).toEqual({ left: 0, top: 300, width: 400, height: 200 });
    expect(pictureBox(400, 800, null)).toEqual({ left: 0, top: 0, width: 400, height: 800 });
  });

  it("keeps every point of a pen stroke but only the ends of an arrow or circle", () => {
    let pen: Shape = { type: "freehand", points: [[0, 0]] };
    let arrow: Shape = { type: "arrow", points: [[0, 0]] };
    for (const p of [[0.1, 0.1], [0.2, 0.3], [0.4, 0.4]] as [number, number][]) {
      pen = extend(pen, p);
      arrow = extend(arrow, p);
    }
    expect(pen.points).toHaveLength(4);
    expect(arrow.points).toEqual([[0, 0], [0.4, 0.4]]);
  });

  it("ignores a click, and keeps at most the service's number of shapes", () => {
    expect(meaningful({ type: "arrow", points: [[0.5, 0.5], [0.501, 0.5]] })).toBe(false);
    expect(meaningful({ type: "freehand", points: [[0.5, 0.5]] })).toBe(false);
    let drawing = null;
    for (let i = 0; i < MAX_SHAPES + 5; i++) drawing = withShape(drawing, { type: "circle", points: [[0, 0], [i / 100, 0.5]] });
    expect(drawing!.shapes).toHaveLength(MAX_SHAPES);
    expect(drawing!.shapes.at(-1)!.points[1]).toEqual([(MAX_SHAPES + 4) / 100, 0.5]);
  });
});
