// Timeline geometry: milliseconds ↔ position, drag-selected ranges, overlapping marks.

export interface Range {
  start: number;
  end: number;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** A pointer at `x` pixels into a timeline `width` wide, as a time in a video `duration` long. */
export function pxToMs(x: number, width: number, duration: number): number {
  if (width <= 0 || duration <= 0) return 0;
  return Math.round(clamp(x / width, 0, 1) * duration);
}

export function msToPct(ms: number, duration: number): number {
  if (duration <= 0) return 0;
  return clamp((ms / duration) * 100, 0, 100);
}

/** The range a drag from `a` to `b` selects (either direction); short drags are a point. */
export function dragRange(a: number, b: number, minSpanMs = 100): Range {
  const start = Math.min(a, b);
  const end = Math.max(a, b);
  return end - start < minSpanMs ? { start, end: start } : { start, end };
}

/** Stack overlapping comment ranges on rows so no mark hides another. */
export function layoutMarks<T extends Range>(marks: T[]): Array<T & { row: number }> {
  const rowsEnd: number[] = [];
  return [...marks]
    .sort((x, y) => x.start - y.start || x.end - y.end)
    .map((mark) => {
      let row = rowsEnd.findIndex((end) => end < mark.start);
      if (row === -1) {
        row = rowsEnd.length;
        rowsEnd.push(mark.end);
      } else {
        rowsEnd[row] = mark.end;
      }
      return { ...mark, row };
    });
}

export interface SpriteIndex {
  interval_ms: number;
  count: number;
  columns: number;
  rows: number;
  tile_width: number;
  tile_height: number;
}

/** Where in the sprite sheet the thumbnail for time `ms` is. */
export function spriteTile(index: SpriteIndex, ms: number): { x: number; y: number } {
  const tile = clamp(Math.floor(ms / index.interval_ms), 0, index.count - 1);
  return {
    x: (tile % index.columns) * index.tile_width,
    y: Math.floor(tile / index.columns) * index.tile_height,
  };
}

/** One frame forward or back at the video's frame rate (30 when unknown). */
export function frameStep(currentMs: number, fps: number | null | undefined, direction: 1 | -1): number {
  const frameMs = 1000 / (fps && fps > 0 ? fps : 30);
  return Math.max(0, currentMs + direction * frameMs);
}

/** The frame shown at `ms` (counted from 0), at the video's frame rate (30 when unknown). */
export function frameAt(ms: number, fps: number | null | undefined): number {
  const rate = fps && fps > 0 ? fps : 30;
  // A thousandth of a frame of slack: a position reached by stepping may read 6249.99 ms.
  return Math.floor((Math.max(0, ms) * rate) / 1000 + 1e-3);
}

/** The range with its in point set at `ms` (I): an out point before it is dropped. */
export function markIn(range: Range | null, ms: number): Range {
  return range && range.end > ms ? { start: ms, end: range.end } : { start: ms, end: ms };
}

/** The range with its out point set at `ms` (O); before the in point, the two swap. */
export function markOut(range: Range | null, ms: number): Range {
  const start = range ? range.start : ms;
  return ms >= start ? { start, end: ms } : { start: ms, end: start };
}

/**
 * Shift+arrow: the playhead moved from `from` to `to` extends the range the way a text
 * selection grows. The end the playhead sits on moves; the other end is the anchor.
 */
export function extendRange(range: Range | null, from: number, to: number): Range {
  let anchor = from;
  if (range && range.end > range.start) anchor = Math.abs(from - range.start) <= Math.abs(from - range.end) ? range.end : range.start;
  return { start: Math.min(anchor, to), end: Math.max(anchor, to) };
}

/** Playback speed forward (>0) or in reverse (<0); 0 is paused. */
export type Shuttle = number;
const SHUTTLE = [0.25, 0.5, 1, 2, 4];

/**
 * J/K/L, as in editing suites. L: play forward, each press faster (1×, 2×, 4×); J: slows
 * forward playback down step by step (to ¼×), and from a pause or slower plays in reverse,
 * each press faster. K pauses (see `Review`).
 */
export function shuttle(current: Shuttle, key: "j" | "l"): Shuttle {
  const forward = key === "l" ? 1 : -1;
  if (current === 0 || Math.sign(current) !== forward) {
    // L from reverse or a pause: 1× forward. J from forward play: one step slower.
    if (forward === 1) return 1;
    if (current > 0) {
      const slower = SHUTTLE.filter((s) => s < current);
      return slower.length ? slower[slower.length - 1] : -1;
    }
    return -1;
  }
  const faster = SHUTTLE.find((s) => s > Math.abs(current));
  return forward * (faster ?? SHUTTLE[SHUTTLE.length - 1]);
}
