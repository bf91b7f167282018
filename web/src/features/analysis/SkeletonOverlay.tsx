// The skeleton drawn over the picture at the frame showing, and (in ghost mode) the
// reference's skeleton at the matched moment, laid onto the learner's body.
import { useEffect, useRef } from "react";
import { usePictureBox } from "../review/usePictureBox";
import type { Pose } from "./api";
import { frameAt, ghostOnto, points, type Point } from "./geometry";

const MIN_VISIBILITY = 0.5;

interface Props {
  pose: Pose;
  /** The playhead, ms. */
  timeMs: number;
  /** The reference's pose and the moment matching the playhead: draws the ghost. */
  ghost?: { pose: Pose; timeMs: number } | null;
}

function paintSkeleton(
  ctx: CanvasRenderingContext2D,
  ps: Point[],
  bones: readonly (readonly number[])[],
  w: number,
  h: number,
  style: { line: string; joint: string; width: number },
) {
  ctx.lineCap = "round";
  ctx.lineWidth = style.width;
  ctx.strokeStyle = style.line;
  for (const [a, b] of bones) {
    const p = ps[a];
    const q = ps[b];
    if (!p || !q || p.v < MIN_VISIBILITY || q.v < MIN_VISIBILITY) continue;
    ctx.beginPath();
    ctx.moveTo(p.x * w, p.y * h);
    ctx.lineTo(q.x * w, q.y * h);
    ctx.stroke();
  }
  ctx.fillStyle = style.joint;
  for (const i of new Set(bones.flat())) {
    const p = ps[i];
    if (!p || p.v < MIN_VISIBILITY) continue;
    ctx.beginPath();
    ctx.arc(p.x * w, p.y * h, style.width * 0.9, 0, 2 * Math.PI);
    ctx.fill();
  }
}

export function SkeletonOverlay({ pose, timeMs, ghost = null }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const aspect = pose.width / pose.height;
  const box = usePictureBox(canvas, aspect);

  const index = frameAt(pose.times_ms, timeMs);
  const body = index >= 0 ? points(pose.landmarks[index]) : [];
  const ghostIndex = ghost ? frameAt(ghost.pose.times_ms, ghost.timeMs) : -1;
  const ghostBody =
    ghost && ghostIndex >= 0
      ? ghostOnto(points(ghost.pose.landmarks[ghostIndex]), body, ghost.pose.width / ghost.pose.height, aspect)
      : [];

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const rect = c.getBoundingClientRect();
    c.width = Math.round(rect.width);
    c.height = Math.round(rect.height);
    const ctx = c.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    const width = Math.max(2, c.width / 160);
    if (ghostBody.length)
      paintSkeleton(ctx, ghostBody, ghost!.pose.bones, c.width, c.height, {
        line: "rgba(255, 255, 255, 0.55)",
        joint: "rgba(255, 255, 255, 0.7)",
        width: width * 1.6,
      });
    paintSkeleton(ctx, body, pose.bones, c.width, c.height, { line: "#22d3ee", joint: "#f59e0b", width });
  });

  const seen = body.some((p) => p.v >= MIN_VISIBILITY);
  return (
    <canvas
      ref={canvas}
      className="skeleton"
      data-testid="skeleton"
      data-frame={index}
      data-ghost-frame={ghostIndex}
      style={box ? { left: box.left, top: box.top, width: box.width, height: box.height } : undefined}
      role="img"
      aria-label={
        seen
          ? `Skeleton of the tracked body${ghostBody.length ? ", with the reference's pose as a ghost" : ""}`
          : "No body tracked in this frame"
      }
    />
  );
}
