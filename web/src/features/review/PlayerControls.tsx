// The review player's toolbar: play, frame step, speed, loop the selected range, show or
// hide the drawings, and the time to the hundredth with the frame number.
import { formatPrecise } from "../../lib/time";
import { frameAt } from "../../lib/timeline";

export const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 4];

interface Props {
  playing: boolean;
  current: number;
  duration: number;
  fps?: number | null;
  speed: number;
  reverse?: number;
  loop: boolean;
  canLoop: boolean;
  showDrawings?: boolean;
  onPlayPause(): void;
  onStep(direction: 1 | -1): void;
  onSpeed(speed: number): void;
  onLoop(loop: boolean): void;
  onShowDrawings?(show: boolean): void;
}

export function PlayerControls(props: Props) {
  const { playing, current, duration, fps, speed, loop, canLoop, reverse = 0, showDrawings = true } = props;
  return (
    <div className="controls row wrap" role="toolbar" aria-label="Playback">
      <button type="button" className="play" onClick={props.onPlayPause} aria-keyshortcuts="Space">
        {playing || reverse < 0 ? "❚❚ Pause" : "▶ Play"}
      </button>
      <button type="button" className="secondary" aria-label="Previous frame" aria-keyshortcuts=", ArrowLeft" onClick={() => props.onStep(-1)}>
        ◀ frame
      </button>
      <button type="button" className="secondary" aria-label="Next frame" aria-keyshortcuts=". ArrowRight" onClick={() => props.onStep(1)}>
        frame ▶
      </button>
      <label>
        Speed{" "}
        <select value={speed} onChange={(e) => props.onSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      {reverse < 0 && (
        <span className="badge" role="status">
          ◀◀ {-reverse}× reverse
        </span>
      )}
      <label className="toggle" title={canLoop ? undefined : "Drag on the timeline to select a range first"}>
        <input type="checkbox" checked={loop} disabled={!canLoop} onChange={(e) => props.onLoop(e.target.checked)} /> Loop the
        selection
      </label>
      {props.onShowDrawings && (
        <label className="toggle">
          <input type="checkbox" checked={showDrawings} onChange={(e) => props.onShowDrawings?.(e.target.checked)} /> Show drawings
        </label>
      )}
      <span className="time-readout" data-testid="current-time">
        <span className="now">{formatPrecise(current)}</span> <span className="muted">/ {formatPrecise(duration)}</span>{" "}
        <span className="muted small" data-testid="frame-number">
          frame {frameAt(current, fps)}
        </span>
      </span>
    </div>
  );
}
