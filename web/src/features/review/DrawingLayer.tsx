// Freehand drawing on the paused frame; points are stored as fractions of the frame,
// so a drawing lands in the same place at any player size.
import { useEffect, useRef, useState } from "react";
import type { Drawing, Shape } from "../../api/client";

interface Props {
  drawing: Drawing | null;
  editable: boolean;
  onChange?(drawing: Drawing | null): void;
}

export function DrawingLayer({ drawing, editable, onChange }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const stroke = useRef<Shape | null>(null);
  const [, redraw] = useState(0);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const rect = c.getBoundingClientRect();
    c.width = rect.width;
    c.height = rect.height;
    const ctx = c.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    for (const shape of [...(drawing?.shapes ?? []), ...(stroke.current ? [stroke.current] : [])]) {
      ctx.strokeStyle = shape.color ?? "#ff3b30";
      ctx.lineWidth = Math.max(2, (shape.width ?? 0.005) * c.width);
      ctx.lineCap = "round";
      ctx.beginPath();
      shape.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * c.width, y * c.height) : ctx.lineTo(x * c.width, y * c.height)));
      ctx.stroke();
    }
  });

  const point = (e: React.PointerEvent<HTMLCanvasElement>): [number, number] => {
    const rect = e.currentTarget.getBoundingClientRect();
    const clamp = (v: number) => Math.min(1, Math.max(0, v));
    return [clamp((e.clientX - rect.left) / rect.width), clamp((e.clientY - rect.top) / rect.height)];
  };

  return (
    <canvas
      ref={canvas}
      className={`drawing${editable ? " editable" : ""}`}
      aria-label={editable ? "Draw on the frame" : "Drawing"}
      onPointerDown={(e) => {
        if (!editable) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        stroke.current = { type: "freehand", points: [point(e)], color: "#ff3b30", width: 0.006 };
      }}
      onPointerMove={(e) => {
        if (!stroke.current || stroke.current.points.length >= 500) return;
        stroke.current.points.push(point(e));
        redraw((n) => n + 1);
      }}
      onPointerUp={() => {
        const done = stroke.current;
        stroke.current = null;
        if (done && done.points.length > 1) {
          const shapes = [...(drawing?.shapes ?? []), done].slice(-50);
          onChange?.({ shapes, frame_ms: drawing?.frame_ms ?? null });
        }
      }}
    />
  );
}
