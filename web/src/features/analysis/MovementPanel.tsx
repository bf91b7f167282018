// The movement analysis beside the review player: its status, the skeleton / ghost /
// aligned toggles, the current frame's angles, the angle chart, reps, and departures
// from the reference as suggestions a coach may turn into a comment.
import "./analysis.css";
import { AngleChart, AngleReadout } from "./AngleChart";
import { clock } from "./geometry";
import type { Movement } from "./useMovement";

const READOUT = ["left_knee", "right_knee", "left_hip", "right_hip", "left_elbow", "right_elbow", "left_shoulder", "right_shoulder", "trunk_lean"];

interface Props {
  movement: Movement;
  timeMs: number;
  durationMs: number;
  ranges: { start: number; end: number }[];
  comparing: boolean;
  onSeek(ms: number): void;
  /** Prefill a comment with a departure's range and words (never posted by itself). */
  onSuggest?(range: { start: number; end: number }, text: string): void;
}

function Status({ movement }: { movement: Movement }) {
  const state = movement.state.data;
  if (!state) return null;
  switch (state.status) {
    case "done":
      return null;
    case "pending":
    case "running":
      return <p className="muted small" role="status">Analysing the movement…</p>;
    case "none":
      return <p className="muted small">Movement analysis: {state.reason ?? "no person found."}</p>;
    case "failed":
      return <p className="muted small">Movement analysis failed: {state.reason}</p>;
    default:
      return null;
  }
}

export function MovementPanel({ movement, timeMs, durationMs, ranges, comparing, onSeek, onSuggest }: Props) {
  const { pose } = movement;
  if (!movement.state.data || movement.state.data.status === "unavailable") return null;
  return (
    <section className="card movement" aria-label="Movement analysis">
      <div className="row spread wrap">
        <h2>Movement</h2>
        {pose && (
          <div className="row wrap toggles">
            <label className="toggle">
              <input type="checkbox" checked={movement.skeleton} onChange={(e) => movement.setSkeleton(e.target.checked)} />{" "}
              Skeleton
            </label>
            {movement.canCompare && (
              <label className="toggle">
                <input type="checkbox" checked={movement.ghost} onChange={(e) => movement.setGhost(e.target.checked)} />{" "}
                Ghost of the reference
              </label>
            )}
            {movement.canCompare && comparing && (
              <label className="toggle">
                <input type="checkbox" checked={movement.aligned} onChange={(e) => movement.setAligned(e.target.checked)} />{" "}
                Aligned by movement
              </label>
            )}
          </div>
        )}
      </div>
      <Status movement={movement} />
      {pose && (
        <>
          <AngleReadout pose={pose} timeMs={timeMs} joints={READOUT} />
          <div className="chips" role="group" aria-label="Angles on the chart">
            {READOUT.map((j) => {
              const on = movement.joints.includes(j);
              return (
                <button
                  key={j}
                  type="button"
                  className={on ? "chip on" : "chip"}
                  aria-pressed={on}
                  onClick={() =>
                    movement.setJoints(on ? movement.joints.filter((x) => x !== j) : [...movement.joints, j].slice(-4))
                  }
                >
                  {pose.angle_labels[j] ?? j}
                </button>
              );
            })}
          </div>
          <AngleChart
            pose={pose}
            joints={movement.joints}
            durationMs={durationMs}
            timeMs={timeMs}
            ranges={ranges}
            onSeek={onSeek}
          />
        </>
      )}
      {movement.reps && movement.reps.count > 0 && (
        <p className="reps" data-testid="reps">
          <strong>
            {movement.reps.count} {movement.reps.count === 1 ? "rep" : "reps"}
          </strong>{" "}
          by the {movement.reps.joint_label}
          {movement.reps.tempo_cv !== null && ` · tempo varies ${Math.round((movement.reps.tempo_cv ?? 0) * 100)}%`}
          {movement.reps.range_cv !== null && ` · range varies ${Math.round((movement.reps.range_cv ?? 0) * 100)}%`}
          <span className="rep-marks">
            {movement.reps.reps.map((r, i) => (
              <button key={i} type="button" className="chip" onClick={() => onSeek(r.start_ms)}>
                {i + 1}: {clock(r.start_ms)} · {Math.round(r.range_deg)}°
              </button>
            ))}
          </span>
        </p>
      )}
      {movement.departures && movement.departures.length > 0 && (
        <div className="departures">
          <h3>Where it departs from the reference</h3>
          <ul>
            {movement.departures.map((d, i) => (
              <li key={i}>
                <button type="button" className="link" onClick={() => onSeek(d.start_ms)}>
                  {d.text}
                </button>
                {onSuggest && (
                  <button type="button" className="small" onClick={() => onSuggest({ start: d.start_ms, end: d.end_ms }, d.text)}>
                    Comment on this
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
