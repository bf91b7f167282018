import { describe, expect, it } from "vitest";
import { clampView, contentPoint, IDENTITY, MAX_SCALE, panBy, zoomAt } from "./zoom";

describe("zoom and pan", () => {
  it("keeps the point under the pointer fixed while zooming", () => {
    const v = zoomAt(IDENTITY, 2, 300, 100, 640, 360);
    expect(v.scale).toBe(2);
    expect(contentPoint(v, 300, 100)).toEqual([300, 100]);
    const w = zoomAt(v, 1.5, 50, 300, 640, 360);
    const [cx, cy] = contentPoint(v, 50, 300);
    const [dx, dy] = contentPoint(w, 50, 300);
    expect(dx).toBeCloseTo(cx, 9);
    expect(dy).toBeCloseTo(cy, 9);
  });

  it("never zooms out past the whole picture nor beyond the limit", () => {
    expect(zoomAt(IDENTITY, 0.5, 10, 10, 640, 360)).toEqual(IDENTITY);
    expect(zoomAt(IDENTITY, 100, 10, 10, 640, 360).scale).toBe(MAX_SCALE);
  });

  it("pans only as far as the picture reaches", () => {
    const v = zoomAt(IDENTITY, 2, 0, 0, 640, 360);
    expect(panBy(v, 1000, 1000, 640, 360)).toEqual({ scale: 2, x: 0, y: 0 });
    expect(panBy(v, -5000, -5000, 640, 360)).toEqual({ scale: 2, x: -640, y: -360 });
    expect(clampView({ scale: 1, x: -20, y: 4 }, 640, 360)).toEqual(IDENTITY);
  });
});
