// Behaviours of the review player that live outside React's render: looping a range,
// keeping the reference in step with the attempt, and keyboard shortcuts.
import { useEffect, type RefObject } from "react";
import type { Range } from "../../lib/timeline";

/** While `on`, playback that passes the range's end jumps back to its start. */
export function useRangeLoop(player: RefObject<HTMLVideoElement | null>, range: Range | null, on: boolean) {
  useEffect(() => {
    const v = player.current;
    if (!v || !on || !range || range.end <= range.start) return;
    const onTime = () => {
      if (v.currentTime * 1000 >= range.end || v.currentTime * 1000 < range.start - 250) v.currentTime = range.start / 1000;
    };
    v.addEventListener("timeupdate", onTime);
    return () => v.removeEventListener("timeupdate", onTime);
  }, [player, range, on]);
}

/** The reference follows the attempt: play, pause, seek and rate (side-by-side compare). */
export function useSyncedReference(
  player: RefObject<HTMLVideoElement | null>,
  reference: RefObject<HTMLVideoElement | null>,
  on: boolean,
  source: unknown,
) {
  useEffect(() => {
    const v = player.current;
    const r = reference.current;
    if (!v || !r || !on) return;
    const sync = () => {
      r.playbackRate = v.playbackRate;
      // The reference may be shorter: it waits at its end.
      const target = Math.min(v.currentTime, r.duration || v.currentTime);
      if (Math.abs(r.currentTime - target) > 0.15) r.currentTime = target;
      if (v.paused && !r.paused) r.pause();
      if (!v.paused && r.paused) void r.play().catch(() => undefined);
    };
    sync();
    const events = ["play", "pause", "seeked", "ratechange"];
    events.forEach((e) => v.addEventListener(e, sync));
    return () => events.forEach((e) => v.removeEventListener(e, sync));
  }, [player, reference, on, source]);
}

export interface Shortcuts {
  playPause(): void;
  step(direction: 1 | -1): void;
}

/** Space plays or pauses, comma and period step a frame — unless the person is typing. */
export function useReviewShortcuts({ playPause, step }: Shortcuts) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (target?.closest("input, textarea, select, [contenteditable=true], button, [role=slider]")) return;
      if (e.key === " ") playPause();
      else if (e.key === ",") step(-1);
      else if (e.key === ".") step(1);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [playPause, step]);
}
