// The measuring tools' geometry and labels: the twin of src/practika/domain/measures.py
// (the exports and the worker use that one). Points are normalised to 0..1 of the frame,
// so x is scaled by the frame's aspect (width / height) before any angle or length.
// tests/fixtures/measures.json holds both to the same answers.
import type { Drawing, Schemas } from "../../../api/client";

export type Measure = NonNullable<Drawing["measures"]>[number];
export type CompareView = Schemas["CompareView"];
export type MeasureKind = Measure["type"];
export type Point = [number, number];

export const MAX_MEASURES = 20; // the service's limits
export const MAX_LAPS = 20;
export const DEFAULT_FPS = 30;
export const POINTS_NEEDED: Record<Exclude<MeasureKind, "stopwatch">, number> = { angle: 3, line: 2, ruler: 2 };
export const MEASURE_COLOR = "#ffd60a";

const px = (p: readonly number[], aspect: number): Point => [p[0] * aspect, p[1]];

/** A segment's length in frame heights. */
export function lengthOf(a: readonly number[], b: readonly number[], aspect: number): number {
  const [[ax, ay], [bx, by]] = [px(a, aspect), px(b, aspect)];
  return Math.hypot(bx - ax, by - ay);
}

/** The angle at `vertex` between the rays to `a` and `c`, 0..180 degrees. */
export function angleDeg(a: readonly number[], vertex: readonly number[], c: readonly number[], aspect: number): number {
  const [[ax, ay], [vx, vy], [cx, cy]] = [px(a, aspect), px(vertex, aspect), px(c, aspect)];
  const u = [ax - vx, ay - vy];
  const v = [cx - vx, cy - vy];
  if (Math.hypot(u[0], u[1]) === 0 || Math.hypot(v[0], v[1]) === 0) return 0;
  return (Math.abs(Math.atan2(u[0] * v[1] - u[1] * v[0], u[0] * v[0] + u[1] * v[1])) * 180) / Math.PI;
}

/** How far a line leans from level, 0..90 degrees. */
export function tiltDeg(a: readonly number[], b: readonly number[], aspect: number): number {
  const [[ax, ay], [bx, by]] = [px(a, aspect), px(b, aspect)];
  const raw = Math.abs((Math.atan2(by - ay, bx - ax) * 180) / Math.PI) % 180;
  return Math.min(raw, 180 - raw);
}

/** Metres per frame height, from the first ruler given a length ("this line is 1 m"). */
export function metresPerUnit(measures: readonly Measure[], aspect: number): number | null {
  for (const m of measures) {
    if (m.type === "ruler" && m.metres) {
      const span = lengthOf(m.points[0], m.points[1], aspect);
      if (span > 0) return m.metres / span;
    }
  }
  return null;
}

export function frames(ms: number, fps: number | null | undefined): number {
  return Math.floor((ms * (fps && fps > 0 ? fps : DEFAULT_FPS)) / 1000 + 0.5);
}

const metres = (v: number) => `${v.toFixed(2)} m`;

/** What one measure reads, as the player, the comment list and the exports show it. */
export function label(m: Measure, aspect: number, fps: number | null | undefined, scale: number | null): string {
  switch (m.type) {
    case "angle":
      return `${angleDeg(m.points[0], m.points[1], m.points[2], aspect).toFixed(1)}°`;
    case "ruler":
      if (m.metres) return `${metres(m.metres)} (ruler)`;
      return scale ? metres(lengthOf(m.points[0], m.points[1], aspect) * scale) : "ruler: set its length";
    case "line": {
      const tilt = `${tiltDeg(m.points[0], m.points[1], aspect).toFixed(1)}° from level`;
      return scale ? `${metres(lengthOf(m.points[0], m.points[1], aspect) * scale)} · ${tilt}` : tilt;
    }
    case "stopwatch": {
      const span = m.end_ms - m.start_ms;
      let text = `${span} ms · ${frames(span, fps)} frames`;
      const laps = m.laps ?? [];
      if (laps.length) {
        const marks = [m.start_ms, ...laps, m.end_ms];
        text += ` (laps ${marks
          .slice(1)
          .map((t, i) => `${t - marks[i]} ms`)
          .join(", ")})`;
      }
      return text;
    }
  }
}

export function labels(measures: readonly Measure[], aspect: number, fps: number | null | undefined): string[] {
  const scale = metresPerUnit(measures, aspect);
  return measures.map((m) => label(m, aspect, fps, scale));
}

/** Whether a drawing has anything worth saving with its comment. */
export function hasContent(drawing: Drawing | null | undefined): boolean {
  return !!drawing && !!(drawing.shapes?.length || drawing.measures?.length || drawing.compare);
}

export function withMeasure(drawing: Drawing | null, measure: Measure): Drawing {
  return {
    shapes: drawing?.shapes ?? [],
    measures: [...(drawing?.measures ?? []), measure].slice(-MAX_MEASURES),
    compare: drawing?.compare ?? null,
    frame_ms: drawing?.frame_ms ?? null,
  };
}

const NAMES: Record<MeasureKind, string> = { angle: "Angle", line: "Line", ruler: "Ruler", stopwatch: "Stopwatch" };
export const measureName = (kind: MeasureKind) => NAMES[kind];

/**
 * Paint measures on a canvas `w`×`h` pixels (the picture's box), labels next to them.
 * `draft` is a tool being placed: its points so far, the pointer as the next one.
 */
export function paintMeasures(
  ctx: CanvasRenderingContext2D,
  measures: readonly Measure[],
  w: number,
  h: number,
  fps: number | null | undefined,
  draft?: { kind: MeasureKind; points: Point[] } | null,
): void {
  const aspect = h > 0 ? w / h : 1;
  const all = [...measures];
  const texts = labels(all, aspect, fps);
  let watchRow = 0;
  const tag = (text: string, x: number, y: number, color: string) => {
    ctx.font = `600 ${Math.max(12, Math.round(h / 28))}px system-ui, sans-serif`;
    const width = ctx.measureText(text).width + 10;
    const height = Math.max(18, Math.round(h / 20));
    const left = Math.min(Math.max(0, x), Math.max(0, w - width));
    const top = Math.min(Math.max(0, y - height), Math.max(0, h - height));
    ctx.fillStyle = "rgba(15, 23, 42, 0.85)";
    ctx.fillRect(left, top, width, height);
    ctx.fillStyle = color;
    ctx.textBaseline = "middle";
    ctx.fillText(text, left + 5, top + height / 2);
  };
  const segment = (pts: readonly (readonly number[])[], color: string, dashed = false) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = Math.max(2, w / 250);
    ctx.setLineDash(dashed ? [8, 6] : []);
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * w, y * h) : ctx.lineTo(x * w, y * h)));
    ctx.stroke();
    ctx.setLineDash([]);
    for (const [x, y] of pts) {
      ctx.beginPath();
      ctx.fillStyle = color;
      ctx.arc(x * w, y * h, Math.max(3, w / 160), 0, 2 * Math.PI);
      ctx.fill();
    }
  };
  all.forEach((m, i) => {
    const color = m.color ?? MEASURE_COLOR;
    if (m.type === "stopwatch") {
      tag(`⏱ ${texts[i]}`, 8, 8 + (watchRow += 1) * Math.max(20, h / 18), color);
      return;
    }
    segment(m.points, color, m.type === "ruler");
    const [x, y] = m.type === "angle" ? m.points[1] : [(m.points[0][0] + m.points[1][0]) / 2, (m.points[0][1] + m.points[1][1]) / 2];
    tag(texts[i], x * w + 10, y * h - 6, color);
  });
  if (draft && draft.kind !== "stopwatch" && draft.points.length) {
    segment(draft.points, MEASURE_COLOR, draft.kind === "ruler");
    const [a, b, c] = draft.points;
    if (draft.kind === "angle" && c) tag(`${angleDeg(a, b, c, aspect).toFixed(1)}°`, b[0] * w + 10, b[1] * h - 6, MEASURE_COLOR);
    else if (draft.kind !== "angle" && b) tag(`${tiltDeg(a, b, aspect).toFixed(1)}°`, b[0] * w + 10, b[1] * h - 6, MEASURE_COLOR);
  }
}
