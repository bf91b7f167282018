// Pure helpers over pose tracks and time maps: which frame is showing, where the
// reference is at a moment of the attempt, and how to lay a ghost over a body.

/** Index of the analysed frame nearest to `ms` (times are sorted). */
export function frameAt(times: readonly number[], ms: number): number {
  if (times.length === 0) return -1;
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < ms) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(times[lo - 1] - ms) <= Math.abs(times[lo] - ms)) return lo - 1;
  return lo;
}

/** The reference moment matching attempt time `ms`, by linear interpolation of the map. */
export function mapTime(pairs: readonly (readonly number[])[], ms: number): number {
  if (pairs.length === 0) return ms;
  if (ms <= pairs[0][0]) return pairs[0][1];
  const last = pairs[pairs.length - 1];
  if (ms >= last[0]) return last[1];
  let lo = 0;
  let hi = pairs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (pairs[mid][0] <= ms) lo = mid;
    else hi = mid;
  }
  const [a0, r0] = pairs[lo];
  const [a1, r1] = pairs[hi];
  return a1 === a0 ? r0 : r0 + ((ms - a0) / (a1 - a0)) * (r1 - r0);
}

export type Point = { x: number; y: number; v: number };

/** The 33 landmarks of one frame of the flattened [x, y, v, …] form. */
export function points(flat: readonly number[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) out.push({ x: flat[i], y: flat[i + 1], v: flat[i + 2] });
  return out;
}

const HIPS = [23, 24];
const SHOULDERS = [11, 12];

function mid(ps: Point[], idx: number[]): { x: number; y: number } {
  return { x: (ps[idx[0]].x + ps[idx[1]].x) / 2, y: (ps[idx[0]].y + ps[idx[1]].y) / 2 };
}

/**
 * The reference body moved onto the attempt's: hip centres on each other, scaled by
 * torso length (in the attempt's picture units, `aspect` = width/height of each
 * picture), so the ghost shows the pose, not where the coach stood.
 */
export function ghostOnto(reference: Point[], attempt: Point[], refAspect: number, attAspect: number): Point[] {
  if (reference.length < 25 || attempt.length < 25) return [];
  const toSquare = (p: { x: number; y: number }, aspect: number) => ({ x: p.x * aspect, y: p.y });
  const rh = toSquare(mid(reference, HIPS), refAspect);
  const rs = toSquare(mid(reference, SHOULDERS), refAspect);
  const ah = toSquare(mid(attempt, HIPS), attAspect);
  const as = toSquare(mid(attempt, SHOULDERS), attAspect);
  const rLen = Math.hypot(rs.x - rh.x, rs.y - rh.y);
  const aLen = Math.hypot(as.x - ah.x, as.y - ah.y);
  const scale = rLen > 1e-6 ? aLen / rLen : 1;
  return reference.map((p) => {
    const q = toSquare(p, refAspect);
    return { x: (ah.x + (q.x - rh.x) * scale) / attAspect, y: ah.y + (q.y - rh.y) * scale, v: p.v };
  });
}

export function clock(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;
}
