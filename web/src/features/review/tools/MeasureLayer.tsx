// The canvas for the measuring tools over the picture: shows saved measures (each
// comment's in its own calibration) and, while measuring, places a new tool's points with
// its reading live under the pointer.
import { useEffect, useRef, useState, type PointerEvent } from "react";
import { normalised } from "../drawing";
import { usePictureBox } from "../usePictureBox";
import { paintMeasures, POINTS_NEEDED, type Measure, type MeasureKind, type Point } from "./geometry";

interface Props {
  /** Saved measures, one group per comment (a ruler calibrates only its own comment). */
  groups: Measure[][];
  editable: boolean;
  kind: MeasureKind;
  aspect: number | null;
  fps: number | null | undefined;
  onAdd?(measure: Measure): void;
  /** The pointed tool's points so far (and the pointer), for the live reading. */
  onDraft?(points: Point[]): void;
}

const far = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]) > 0.01;

export function MeasureLayer({ groups, editable, kind, aspect, fps, onAdd, onDraft }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = usePictureBox(canvas, aspect);
  const [points, setPoints] = useState<Point[]>([]);
  const [hover, setHover] = useState<Point | null>(null);
  useEffect(() => setPoints([]), [kind, editable]);
  const draft = editable && kind !== "stopwatch" ? [...points, ...(hover && points.length ? [hover] : [])] : [];

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    // The layout size, not the zoomed one: a zoom scales the painted picture as a whole.
    const rect = c.getBoundingClientRect();
    c.width = Math.round(c.offsetWidth || rect.width);
    c.height = Math.round(c.offsetHeight || rect.height);
    const ctx = c.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    for (const group of groups) paintMeasures(ctx, group, c.width, c.height, fps);
    if (draft.length) paintMeasures(ctx, [], c.width, c.height, fps, { kind, points: draft });
  }, [groups, draft.length, hover, points, box, fps, kind]); // eslint-disable-line react-hooks/exhaustive-deps

  const at = (e: PointerEvent<HTMLCanvasElement>) => normalised(e.clientX, e.clientY, e.currentTarget.getBoundingClientRect());
  const place = (next: Point[]) => {
    if (kind === "stopwatch") return;
    if (next.length >= POINTS_NEEDED[kind]) {
      onAdd?.(kind === "angle" ? { type: "angle", points: [next[0], next[1], next[2]] } : { type: kind, points: [next[0], next[1]] });
      setPoints([]);
      setHover(null);
      onDraft?.([]);
    } else {
      setPoints(next);
      onDraft?.(next);
    }
  };
  const count = groups.reduce((n, g) => n + g.length, 0);
  return (
    <canvas
      ref={canvas}
      className={`drawing measures${editable ? " editable" : ""}`}
      data-testid="measure-layer"
      style={box ? { left: box.left, top: box.top, width: box.width, height: box.height } : undefined}
      role="img"
      aria-label={editable ? `Measuring with the ${kind} tool` : `${count} ${count === 1 ? "measure" : "measures"}`}
      onPointerDown={(e) => {
        if (!editable || kind === "stopwatch") return;
        e.stopPropagation();
        e.currentTarget.setPointerCapture(e.pointerId);
        place([...points, at(e)]);
      }}
      onPointerMove={(e) => {
        if (!editable || !points.length) return;
        const p = at(e);
        setHover(p);
        onDraft?.([...points, p]);
      }}
      onPointerUp={(e) => {
        // A drag places a two-point tool in one go: the release is its second point.
        if (!editable || kind === "stopwatch" || points.length !== 1 || POINTS_NEEDED[kind] !== 2) return;
        const p = at(e);
        if (far(points[0], p)) place([...points, p]);
      }}
    />
  );
}
