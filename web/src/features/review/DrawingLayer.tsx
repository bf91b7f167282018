// The canvas over the paused frame: shows a comment's drawing, or takes a new one.
import { useEffect, useRef, useState, type PointerEvent } from "react";
import type { Drawing, Shape } from "../../api/client";
import { extend, meaningful, normalised, paint, withShape, type Tool } from "./drawing";
import { usePictureBox } from "./usePictureBox";

const count = (n: number) => `${n} ${n === 1 ? "shape" : "shapes"}`;

interface Props {
  drawing: Drawing | null;
  editable: boolean;
  tool?: Tool;
  color?: string;
  /** The video's width / height, to lie exactly over the picture. */
  aspect?: number | null;
  onChange?(drawing: Drawing): void;
}

export function DrawingLayer({ drawing, editable, tool = "freehand", color = "#ff3b30", aspect = null, onChange }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [stroke, setStroke] = useState<Shape | null>(null);
  // Follow the player's size: the picture's place inside it changes with the layout.
  const box = usePictureBox(canvas, aspect);

  // Repaint at the canvas's real pixel size whenever the shapes or the size change.
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const rect = c.getBoundingClientRect();
    c.width = Math.round(rect.width);
    c.height = Math.round(rect.height);
    const ctx = c.getContext("2d");
    if (ctx) paint(ctx, [...(drawing?.shapes ?? []), ...(stroke ? [stroke] : [])], c.width, c.height);
  }, [drawing, stroke, box]);

  const at = (e: PointerEvent<HTMLCanvasElement>) => normalised(e.clientX, e.clientY, e.currentTarget.getBoundingClientRect());

  return (
    <canvas
      ref={canvas}
      className={`drawing${editable ? " editable" : ""}`}
      style={box ? { left: box.left, top: box.top, width: box.width, height: box.height } : undefined}
      role="img"
      aria-label={editable ? `Drawing on the frame with the ${tool}` : `Drawing of ${count(drawing?.shapes?.length ?? 0)}`}
      onPointerDown={(e) => {
        if (!editable) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        const start = at(e);
        setStroke({ type: tool, points: [start], color, width: 0.006 });
      }}
      onPointerMove={(e) => stroke && setStroke(extend(stroke, at(e)))}
      onPointerUp={() => {
        if (stroke && meaningful(stroke)) onChange?.(withShape(drawing, stroke));
        setStroke(null);
      }}
    />
  );
}
