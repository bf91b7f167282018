import { describe, expect, it } from "vitest";
import type { Shape } from "../../api/client";
import { drawingsAt, extend, MAX_SHAPES, meaningful, merged, normalised, pictureBox, withShape } from "./drawing";

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
    expect(drawing!.shapes!.at(-1)!.points[1]).toEqual([(MAX_SHAPES + 4) / 100, 0.5]);
  });
});

describe("drawings follow the playhead", () => {
  const shape: Shape = { type: "arrow", points: [[0.1, 0.1], [0.5, 0.5]], color: "#ff3b30", width: 0.006 };
  const c = (id: string, start: number, end: number, drawn = true) => ({
    id,
    t_start_ms: start,
    t_end_ms: end,
    drawing: drawn ? { shapes: [shape], frame_ms: start } : null,
    deleted_at: null,
  });
  const comments = [c("range", 2000, 4000), c("moment", 5000, 5000), c("plain", 0, 9000, false)];

  it("shows a drawing while the playhead is inside its comment's range, not outside", () => {
    expect(drawingsAt(comments, 1900, 30).map((x) => x.id)).toEqual([]);
    expect(drawingsAt(comments, 2000, 30).map((x) => x.id)).toEqual(["range"]);
    expect(drawingsAt(comments, 3999, 30).map((x) => x.id)).toEqual(["range"]);
    expect(drawingsAt(comments, 4000, 30).map((x) => x.id)).toEqual([]);
  });
  it("shows a moment's drawing on its frame only", () => {
    expect(drawingsAt(comments, 5000, 30).map((x) => x.id)).toEqual(["moment"]);
    expect(drawingsAt(comments, 5020, 30).map((x) => x.id)).toEqual(["moment"]);
    expect(drawingsAt(comments, 5034, 30).map((x) => x.id)).toEqual([]);
    expect(drawingsAt(comments, 4967, 30).map((x) => x.id)).toEqual([]);
  });
  it("paints overlapping drawings together", () => {
    expect(merged([c("a", 0, 1), c("b", 0, 1)])?.shapes).toHaveLength(2);
    expect(merged([])).toBeNull();
  });
});
