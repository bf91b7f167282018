// Zoom and pan of the review picture: a scale about a fixed point and an offset, kept in
// bounds so the picture always covers its frame. Pure, so the maths is tested alone.

export interface View {
  scale: number;
  x: number; // translation in layout pixels, applied before the scale (origin top-left)
  y: number;
}

export const IDENTITY: View = { scale: 1, x: 0, y: 0 };
export const MAX_SCALE = 8;

/** Keep the zoomed picture over the whole frame (no empty edge can be dragged into view). */
export function clampView(v: View, width: number, height: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(1, v.scale));
  const minX = width - width * scale;
  const minY = height - height * scale;
  return { scale, x: Math.min(0, Math.max(minX, v.x)), y: Math.min(0, Math.max(minY, v.y)) };
}

/** Zoom by `factor` keeping the point (px, py) of the frame under the same content. */
export function zoomAt(v: View, factor: number, px: number, py: number, width: number, height: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(1, v.scale * factor));
  const k = scale / v.scale;
  return clampView({ scale, x: px - (px - v.x) * k, y: py - (py - v.y) * k }, width, height);
}

export function panBy(v: View, dx: number, dy: number, width: number, height: number): View {
  return clampView({ ...v, x: v.x + dx, y: v.y + dy }, width, height);
}

/** Where a frame point (px, py) shows the content's point: for tests and hit-testing. */
export function contentPoint(v: View, px: number, py: number): [number, number] {
  return [(px - v.x) / v.scale, (py - v.y) / v.scale];
}
