// The compared video: beside the reviewed one, or over it (blended or swiped), following
// it in lockstep from the sync points.
import type { CSSProperties, RefObject } from "react";
import { usePlayback, useVideo } from "../../../lib/media";
import { useRenewableSource } from "../playerHooks";
import { useLockstep, type Compare } from "./useCompare";

interface Props {
  compare: Compare;
  player: RefObject<HTMLVideoElement | null>;
  other: RefObject<HTMLVideoElement | null>;
}

export function ComparedVideo({ compare, player, other }: Props) {
  const { view } = compare;
  const video = useVideo(view.other_video_id);
  const playback = usePlayback(view.other_video_id, video.data?.status === "ready");
  useRenewableSource(other, playback.data?.rendition_url);
  useLockstep(player, other, compare.locked, view, playback.data?.rendition_url);
  const over = view.mode !== "side";
  const rest = `${((1 - view.split) * 100).toFixed(1)}%`;
  const style: CSSProperties | undefined =
    view.mode === "overlay"
      ? { opacity: view.opacity }
      : view.mode === "swipe"
        ? { clipPath: view.swipe === "horizontal" ? `inset(0 ${rest} 0 0)` : `inset(0 0 ${rest} 0)` }
        : undefined;
  return (
    <>
      <video
        ref={other}
        className={over ? "compared over" : "compared"}
        style={style}
        muted
        playsInline
        preload="auto"
        aria-label="Compared video"
        data-mode={view.mode}
      />
      {view.mode === "swipe" && (
        <span
          className={`swipe-edge ${view.swipe}`}
          aria-hidden
          style={view.swipe === "horizontal" ? { left: `${view.split * 100}%` } : { top: `${view.split * 100}%` }}
        />
      )}
    </>
  );
}
