// The measuring state of the review screen: which tool, the stopwatch being timed, and
// the measures added to the comment's drawing (saved with it like its shapes).
import { useState } from "react";
import type { Drawing } from "../../../api/client";
import { MAX_LAPS, withMeasure, type Measure, type MeasureKind, type Point } from "./geometry";

export interface Measuring {
  active: boolean;
  kind: MeasureKind;
  draft: Point[];
  /** The stopwatch's start and laps, until it is stopped. */
  watch: { start_ms: number; laps: number[] } | null;
  toggle(): void;
  setKind(kind: MeasureKind): void;
  setDraft(points: Point[]): void;
  add(measure: Measure): void;
  start(): void;
  lap(): void;
  stop(): void;
  /** Give the newest ruler its real length, which sets the scale of the lines. */
  calibrate(metres: number | null): void;
  clear(): void;
}

export function useMeasuring(
  drawing: Drawing | null,
  setDrawing: (d: Drawing | null) => void,
  now: () => number,
  pause: () => void,
): Measuring {
  const [active, setActive] = useState(false);
  const [kind, setKind] = useState<MeasureKind>("angle");
  const [draft, setDraft] = useState<Point[]>([]);
  const [watch, setWatch] = useState<{ start_ms: number; laps: number[] } | null>(null);
  const add = (m: Measure) => setDrawing(withMeasure(drawing, m));
  return {
    active,
    kind,
    draft,
    watch,
    toggle: () => {
      pause();
      setActive(!active);
      setDraft([]);
    },
    setKind: (k) => {
      setKind(k);
      setDraft([]);
    },
    setDraft,
    add,
    start: () => setWatch({ start_ms: now(), laps: [] }),
    lap: () => {
      const t = now();
      if (watch && watch.laps.length < MAX_LAPS && t >= (watch.laps.at(-1) ?? watch.start_ms)) setWatch({ ...watch, laps: [...watch.laps, t] });
    },
    stop: () => {
      if (!watch) return;
      const t = now();
      const [start, end] = t >= watch.start_ms ? [watch.start_ms, t] : [t, watch.start_ms];
      const laps = watch.laps.filter((l) => l >= start && l <= end);
      add({ type: "stopwatch", start_ms: start, end_ms: end, laps });
      setWatch(null);
    },
    calibrate: (metres) => {
      const list = [...(drawing?.measures ?? [])];
      const at = list.map((m) => m.type).lastIndexOf("ruler");
      if (at < 0 || !drawing) return;
      list[at] = { ...(list[at] as Extract<Measure, { type: "ruler" }>), metres: metres && metres > 0 ? metres : null };
      setDrawing({ ...drawing, measures: list });
    },
    clear: () => {
      if (drawing) setDrawing({ ...drawing, measures: [] });
      setWatch(null);
      setDraft([]);
    },
  };
}
