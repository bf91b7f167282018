// Joint angles over time under the timeline: chosen joints' curves, the playhead, the
// comment ranges marked; a click seeks. The readout shows the current frame's angles.
import type { MouseEvent } from "react";
import type { Pose } from "./api";
import { frameAt } from "./geometry";

export const CHART_COLORS = ["#22d3ee", "#f59e0b", "#a78bfa", "#34d399", "#f472b6"];
const HEIGHT = 120;

interface ChartProps {
  pose: Pose;
  joints: string[];
  durationMs: number;
  timeMs: number;
  ranges: { start: number; end: number }[];
  onSeek(ms: number): void;
}

function path(times: number[], values: (number | null)[], duration: number, lo: number, hi: number): string {
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const x = (times[i] / duration) * 1000;
    const y = HEIGHT - ((v - lo) / (hi - lo)) * HEIGHT;
    d += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  });
  return d;
}

export function AngleChart({ pose, joints, durationMs, timeMs, ranges, onSeek }: ChartProps) {
  const duration = Math.max(durationMs, pose.times_ms[pose.times_ms.length - 1] ?? 1, 1);
  const values = joints.flatMap((j) => (pose.angles[j] ?? []).filter((v): v is number => v !== null));
  const lo = Math.min(0, ...values);
  const hi = Math.max(180, ...values);
  const seek = (e: MouseEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    onSeek(Math.round(((e.clientX - rect.left) / rect.width) * duration));
  };
  return (
    <figure className="angle-chart">
      <svg
        viewBox={`0 0 1000 ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Angles over time: ${joints.map((j) => pose.angle_labels[j] ?? j).join(", ")}`}
        onClick={seek}
      >
        {ranges.map((r, i) => (
          <rect
            key={i}
            className="angle-chart-range"
            x={(r.start / duration) * 1000}
            width={Math.max(2, ((r.end - r.start) / duration) * 1000)}
            y={0}
            height={HEIGHT}
          />
        ))}
        {[45, 90, 135, 180].map((deg) => (
          <line key={deg} className="angle-chart-grid" x1={0} x2={1000} y1={HEIGHT - ((deg - lo) / (hi - lo)) * HEIGHT} y2={HEIGHT - ((deg - lo) / (hi - lo)) * HEIGHT} />
        ))}
        {joints.map((j, i) => (
          <path
            key={j}
            d={path(pose.times_ms, pose.angles[j] ?? [], duration, lo, hi)}
            stroke={CHART_COLORS[i % CHART_COLORS.length]}
            fill="none"
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
            data-joint={j}
          />
        ))}
        <line
          className="angle-chart-playhead"
          data-testid="angle-playhead"
          x1={(timeMs / duration) * 1000}
          x2={(timeMs / duration) * 1000}
          y1={0}
          y2={HEIGHT}
          vectorEffect="non-scaling-stroke"
        />
      </svg>
      <figcaption className="angle-legend">
        {joints.map((j, i) => (
          <span key={j}>
            <i style={{ background: CHART_COLORS[i % CHART_COLORS.length] }} /> {pose.angle_labels[j] ?? j}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function AngleReadout({ pose, timeMs, joints }: { pose: Pose; timeMs: number; joints: string[] }) {
  const i = frameAt(pose.times_ms, timeMs);
  return (
    <dl className="angle-readout" aria-label="Joint angles at this frame">
      {joints.map((j) => {
        const v = i >= 0 ? pose.angles[j]?.[i] : null;
        return (
          <div key={j} data-joint={j}>
            <dt>{pose.angle_labels[j] ?? j}</dt>
            <dd>{v === null || v === undefined ? "—" : `${Math.round(v)}°`}</dd>
          </div>
        );
      })}
    </dl>
  );
}
