// The compare state of the review screen: which video of the thread is lined up with the
// reviewed one, at which sync points, shown how (side by side, overlay, swipe), and the
// lockstep that keeps the compared video on the reviewed one's time.
import { useEffect, useState, type RefObject } from "react";
import type { CompareView } from "../tools/geometry";
import { inRange, lockedTime } from "./lockstep";

export type Mode = CompareView["mode"];
export type View = Required<Omit<CompareView, "other_video_id">> & { other_video_id: string | null };

export const START: View = { other_video_id: null, sync_ms: 0, other_sync_ms: 0, mode: "side", opacity: 0.5, swipe: "horizontal", split: 0.5 };

export interface Compare {
  open: boolean;
  view: View;
  locked: boolean;
  /** Save the view with the next comment, so the learner opens the same compare. */
  attach: boolean;
  setOpen(open: boolean): void;
  change(patch: Partial<View>): void;
  setLocked(locked: boolean): void;
  setAttach(attach: boolean): void;
  /** Open a view saved in a comment, locked as it was saved. */
  show(saved: CompareView): void;
  /** The view as a comment stores it, when a video is chosen. */
  saved: CompareView | null;
}

export function useCompare(): Compare {
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<View>(START);
  const [locked, setLocked] = useState(true);
  const [attach, setAttach] = useState(false);
  return {
    open,
    view,
    locked,
    attach,
    setOpen,
    change: (patch) => setView((v) => ({ ...v, ...patch })),
    setLocked,
    setAttach,
    show: (saved) => {
      setView({ ...START, ...saved });
      setLocked(true);
      setOpen(true);
    },
    saved: view.other_video_id ? { ...view, other_video_id: view.other_video_id } : null,
  };
}

/** While locked, the compared video follows the reviewed one: time, play state and rate. */
export function useLockstep(
  player: RefObject<HTMLVideoElement | null>,
  other: RefObject<HTMLVideoElement | null>,
  on: boolean,
  view: View,
  source: unknown,
) {
  const { sync_ms: sync, other_sync_ms: otherSync } = view;
  useEffect(() => {
    const v = player.current;
    const o = other.current;
    if (!v || !o || !on) return;
    const follow = () => {
      const ms = v.currentTime * 1000;
      const duration = o.duration ? o.duration * 1000 : null;
      const target = lockedTime(ms, sync, otherSync, duration) / 1000;
      o.playbackRate = v.playbackRate;
      // Playing, small drift is left alone (seeking every tick stutters); paused, exact.
      if (Math.abs(o.currentTime - target) > (v.paused ? 0.001 : 0.15)) o.currentTime = target;
      const play = !v.paused && inRange(ms, sync, otherSync, duration);
      if (!play && !o.paused) o.pause();
      if (play && o.paused) void o.play().catch(() => undefined);
    };
    follow();
    const events = ["play", "pause", "seeked", "seeking", "ratechange", "timeupdate"];
    events.forEach((e) => v.addEventListener(e, follow));
    o.addEventListener("loadedmetadata", follow);
    return () => {
      events.forEach((e) => v.removeEventListener(e, follow));
      o.removeEventListener("loadedmetadata", follow);
    };
  }, [player, other, on, sync, otherSync, source]);
}
