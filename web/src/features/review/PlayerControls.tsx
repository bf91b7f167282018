// The review player's toolbar: play, frame step, speed, loop the selected range.
import { formatMs } from "../../lib/time";

export const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2];

interface Props {
  playing: boolean;
  current: number;
  duration: number;
  speed: number;
  loop: boolean;
  canLoop: boolean;
  onPlayPause(): void;
  onStep(direction: 1 | -1): void;
  onSpeed(speed: number): void;
  onLoop(loop: boolean): void;
}

export function PlayerControls(props: Props) {
  const { playing, current, duration, speed, loop, canLoop } = props;
  return (
    <div className="controls row wrap" role="toolbar" aria-label="Playback">
      <button type="button" onClick={props.onPlayPause} aria-keyshortcuts="Space">
        {playing ? "❚❚ Pause" : "▶ Play"}
      </button>
      <button type="button" aria-label="Previous frame" aria-keyshortcuts="," onClick={() => props.onStep(-1)}>
        ◀ frame
      </button>
      <button type="button" aria-label="Next frame" aria-keyshortcuts="." onClick={() => props.onStep(1)}>
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
      <label className="toggle" title={canLoop ? undefined : "Drag on the timeline to select a range first"}>
        <input type="checkbox" checked={loop} disabled={!canLoop} onChange={(e) => props.onLoop(e.target.checked)} /> Loop the
        selection
      </label>
      <span className="muted time-readout" data-testid="current-time">
        {formatMs(current)} / {formatMs(duration)}
      </span>
    </div>
  );
}
