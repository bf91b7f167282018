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
