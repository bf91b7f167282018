// Drawings on the paused frame: shapes in coordinates normalised to 0..1 of the frame,
// so a drawing lands on the same spot at any player size (the API stores them so).
import type { Drawing, Shape } from "../../api/client";

export type Tool = "freehand" | "arrow" | "circle";
export type Point = [number, number];

export const TOOLS: { tool: Tool; label: string }[] = [
  { tool: "freehand", label: "Pen" },
  { tool: "arrow", label: "Arrow" },
  { tool: "circle", label: "Circle" },
];
export const COLORS = ["#ff3b30", "#ffd60a", "#30d158", "#ffffff"];
export const MAX_SHAPES = 50; // the service's limit
export const MAX_POINTS = 500;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where the picture sits inside a player box (object-fit: contain): drawings are relative
 * to the picture, not to the black bars, so they land on the same spot at any size.
 */
export function pictureBox(boxWidth: number, boxHeight: number, aspect: number | null): Box {
  if (!aspect || aspect <= 0 || boxWidth <= 0 || boxHeight <= 0) return { left: 0, top: 0, width: boxWidth, height: boxHeight };
  if (boxWidth / boxHeight > aspect) {
    const width = boxHeight * aspect;
    return { left: (boxWidth - width) / 2, top: 0, width, height: boxHeight };
  }
  const height = boxWidth / aspect;
  return { left: 0, top: (boxHeight - height) / 2, width: boxWidth, height };
}

/** A pointer position inside `rect` as a normalised point. */
export function normalised(clientX: number, clientY: number, rect: { left: number; top: number; width: number; height: number }): Point {
  if (rect.width <= 0 || rect.height <= 0) return [0, 0];
  return [clamp01((clientX - rect.left) / rect.width), clamp01((clientY - rect.top) / rect.height)];
}

/** A stroke in progress: freehand keeps every point, the others only start and end. */
export function extend(shape: Shape, point: Point): Shape {
  if (shape.type === "freehand") {
    return shape.points.length >= MAX_POINTS ? shape : { ...shape, points: [...shape.points, point] };
  }
  return { ...shape, points: [shape.points[0], point] };
}

/** Whether a finished stroke is worth keeping (a click is not a drawing). */
export function meaningful(shape: Shape): boolean {
  if (shape.points.length < 2) return false;
  const [a, b] = [shape.points[0], shape.points[shape.points.length - 1]];
  return shape.type === "freehand" || Math.hypot(b[0] - a[0], b[1] - a[1]) > 0.01;
}

export function withShape(drawing: Drawing | null, shape: Shape): Drawing {
  return { ...drawing, shapes: [...(drawing?.shapes ?? []), shape].slice(-MAX_SHAPES), frame_ms: drawing?.frame_ms ?? null };
}

/** Paint shapes on a canvas `w`×`h` pixels. */
export function paint(ctx: CanvasRenderingContext2D, shapes: Shape[], w: number, h: number): void {
  ctx.clearRect(0, 0, w, h);
  for (const shape of shapes) {
    const pts = shape.points.map(([x, y]) => [x * w, y * h] as const);
    ctx.strokeStyle = shape.color ?? COLORS[0];
    ctx.lineWidth = Math.max(2, (shape.width ?? 0.005) * w);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    if (shape.type === "circle" && pts.length >= 2) {
      const [[x0, y0], [x1, y1]] = [pts[0], pts[pts.length - 1]];
      ctx.ellipse((x0 + x1) / 2, (y0 + y1) / 2, Math.abs(x1 - x0) / 2, Math.abs(y1 - y0) / 2, 0, 0, 2 * Math.PI);
    } else {
      pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      if (shape.type === "arrow" && pts.length >= 2) {
        const [x0, y0] = pts[0];
        const [x1, y1] = pts[pts.length - 1];
        const angle = Math.atan2(y1 - y0, x1 - x0);
        const head = Math.max(10, ctx.lineWidth * 4);
        for (const side of [-1, 1]) {
          ctx.moveTo(x1, y1);
          ctx.lineTo(x1 - head * Math.cos(angle + side * 0.45), y1 - head * Math.sin(angle + side * 0.45));
        }
      }
    }
    ctx.stroke();
  }
}

/** What `drawingsAt` needs of a comment. */
export interface Drawn {
  id: string;
  t_start_ms: number;
  t_end_ms: number;
  drawing?: Drawing | null;
  deleted_at?: string | null;
}

/**
 * The drawings to show with the playhead at `ms`: those of every comment whose range holds
 * it. A comment on a single moment holds one frame (its drawing belongs to that picture).
 */
export function drawingsAt<T extends Drawn>(comments: T[], ms: number, fps: number | null | undefined): T[] {
  const frameMs = 1000 / (fps && fps > 0 ? fps : 30);
  return comments.filter((c) => {
    if (c.deleted_at || !(c.drawing?.shapes?.length || c.drawing?.measures?.length)) return false;
    const end = c.t_end_ms > c.t_start_ms ? c.t_end_ms : c.t_start_ms + frameMs;
    // Half a frame of slack: a seek lands on the frame, not on the exact millisecond.
    return ms >= c.t_start_ms - frameMs / 2 && ms < end;
  });
}

/** Several comments' drawings painted as one. */
export function merged(comments: Drawn[]): Drawing | null {
  const shapes = comments.flatMap((c) => c.drawing?.shapes ?? []);
  return shapes.length ? { shapes, frame_ms: null } : null;
}
