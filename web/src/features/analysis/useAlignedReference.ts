// Aligned compare: the reference video follows the attempt through the time map, so
// stepping or playing the attempt shows the reference at the matching moment of the
// movement (time-warped), not at the same clock time.
import { useEffect, type RefObject } from "react";
import { mapTime } from "./geometry";

const TOLERANCE_S = 0.04; // about a frame: closer than this, leave the reference alone

export function useAlignedReference(
  player: RefObject<HTMLVideoElement | null>,
  reference: RefObject<HTMLVideoElement | null>,
  enabled: boolean,
  pairs: readonly (readonly number[])[] | undefined,
) {
  useEffect(() => {
    const main = player.current;
    const other = reference.current;
    if (!enabled || !main || !other || !pairs?.length) return;
    const follow = () => {
      const t = main.currentTime * 1000;
      const target = mapTime(pairs, t) / 1000;
      if (!main.paused) {
        // The local slope of the map is the reference's speed relative to the attempt's.
        const ahead = mapTime(pairs, t + 250) / 1000;
        const slope = (ahead - target) / 0.25;
        other.playbackRate = Math.min(4, Math.max(0.25, main.playbackRate * (slope || 1)));
        if (other.paused) void other.play().catch(() => undefined);
      } else if (!other.paused) other.pause();
      if (Math.abs(other.currentTime - target) > (main.paused ? TOLERANCE_S / 4 : TOLERANCE_S * 4))
        other.currentTime = target;
    };
    const events = ["timeupdate", "seeked", "play", "pause", "ratechange"] as const;
    events.forEach((e) => main.addEventListener(e, follow));
    follow();
    return () => events.forEach((e) => main.removeEventListener(e, follow));
  }, [player, reference, enabled, pairs]);
}
