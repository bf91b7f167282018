// Where the compared video should be, locked to the reviewed one at a sync point each:
// "foot strike here = foot strike there", then both move together.

/** The compared video's time for the reviewed one at `ms`, held inside [0, duration]. */
export function lockedTime(ms: number, syncMs: number, otherSyncMs: number, otherDurationMs: number | null): number {
  const t = otherSyncMs + (ms - syncMs);
  const end = otherDurationMs && otherDurationMs > 0 ? otherDurationMs : Infinity;
  return Math.min(end, Math.max(0, t));
}

/** Whether the compared video has footage for the reviewed one's `ms` (else it waits). */
export function inRange(ms: number, syncMs: number, otherSyncMs: number, otherDurationMs: number | null): boolean {
  const t = otherSyncMs + (ms - syncMs);
  return t >= 0 && (!otherDurationMs || t <= otherDurationMs);
}
