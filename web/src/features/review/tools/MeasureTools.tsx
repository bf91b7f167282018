// The measuring tools' bar over the picture: pick a tool, read it live, calibrate a
// ruler ("this line is 1 m"), time frames with the stopwatch.
import { createContext, useContext, useState } from "react";
import type { Drawing } from "../../../api/client";
import { angleDeg, frames, labels, measureName, POINTS_NEEDED, tiltDeg, type MeasureKind } from "./geometry";
import type { Measuring } from "./useMeasuring";

const KINDS: MeasureKind[] = ["angle", "line", "ruler", "stopwatch"];

interface Props {
  m: Measuring;
  drawing: Drawing | null;
  aspect: number | null;
  fps: number | null | undefined;
  currentMs: number;
}

export function MeasureTools({ m, drawing, aspect, fps, currentMs }: Props) {
  const measures = drawing?.measures ?? [];
  const a = aspect ?? 1;
  const read = labels(measures, a, fps);
  const ruler = measures.map((x) => x.type).lastIndexOf("ruler");
  const [metres, setMetres] = useState("");
  let live = "";
  if (m.kind === "stopwatch") {
    if (m.watch) {
      const span = Math.abs(Math.round(currentMs) - m.watch.start_ms);
      live = `${span} ms · ${frames(span, fps)} frames`;
    } else live = "Go to the first frame and press Start.";
  } else {
    const p = m.draft;
    const need = POINTS_NEEDED[m.kind];
    if (m.kind === "angle" && p.length === 3) live = `${angleDeg(p[0], p[1], p[2], a).toFixed(1)}°`;
    else if (m.kind !== "angle" && p.length === 2) live = `${tiltDeg(p[0], p[1], a).toFixed(1)}° from level`;
    else live = m.kind === "angle" ? ["Tap the first end.", "Tap the joint (the vertex).", "Tap the other end."][p.length] : `Tap ${p.length ? "the other" : "one"} end (${need} points).`;
  }
  return (
    <div className="draw-tools measure-tools" role="toolbar" aria-label="Measuring tools">
      {KINDS.map((k) => (
        <button key={k} type="button" className="tool" aria-pressed={m.kind === k} onClick={() => m.setKind(k)}>
          {measureName(k)}
        </button>
      ))}
      <span className="divider" aria-hidden />
      <output className="measure-live" data-testid="measure-live" aria-live="polite">
        {live}
      </output>
      {m.kind === "stopwatch" && (
        <>
          <button type="button" className="tool" onClick={m.start}>
            {m.watch ? "Restart" : "Start"}
          </button>
          <button type="button" className="tool" disabled={!m.watch} onClick={m.lap}>
            Lap
          </button>
          <button type="button" className="tool" disabled={!m.watch} onClick={m.stop}>
            Stop
          </button>
        </>
      )}
      {ruler >= 0 && (
        <form
          className="calibrate"
          onSubmit={(e) => {
            e.preventDefault();
            const value = Number(metres.replace(",", "."));
            m.calibrate(Number.isFinite(value) && value > 0 ? value : null);
          }}
        >
          <label>
            Ruler is{" "}
            <input aria-label="Ruler length in metres" inputMode="decimal" size={4} value={metres} onChange={(e) => setMetres(e.target.value)} /> m
          </label>
          <button type="submit" className="tool">
            Set
          </button>
        </form>
      )}
      <span className="divider" aria-hidden />
      <button type="button" className="tool" disabled={!measures.length} onClick={m.clear}>
        Clear
      </button>
      <button type="button" className="tool done" onClick={m.toggle}>
        Done
      </button>
      {measures.length > 0 && (
        <ul className="measure-readings" aria-label="Measures on this comment">
          {measures.map((x, i) => (
            <li key={i}>
              {measureName(x.type)}: {read[i]}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The reviewed video's shape and rate, for reading measures away from the player. */
export const PictureFacts = createContext<{ aspect: number | null; fps: number | null | undefined }>({ aspect: null, fps: null });

/** A comment's measures (and its saved compare view), read as the player reads them. */
export function MeasureSummary({ drawing }: { drawing: Drawing | null | undefined }) {
  const { aspect, fps } = useContext(PictureFacts);
  const measures = drawing?.measures ?? [];
  if (!measures.length && !drawing?.compare) return null;
  const read = labels(measures, aspect ?? 1, fps);
  return (
    <ul className="measure-summary small" aria-label="Measures">
      {measures.map((x, i) => (
        <li key={i}>
          {measureName(x.type)} {read[i]}
        </li>
      ))}
      {drawing?.compare && <li>Compare view: {drawing.compare.mode === "side" ? "side by side" : drawing.compare.mode} (opens with the comment)</li>}
    </ul>
  );
}
