import { useQuery } from "@tanstack/react-query";
import { playbackQuery, videoQuery } from "../features/media/api";

export { renewIn } from "../features/media/api";

/** A video's facts, polled while the pipeline works on it. */
export function useVideo(videoId: string | null | undefined) {
  return useQuery(videoQuery(videoId));
}

/** Short-lived playback URLs, renewed before they expire. The review player swaps a
 * renewed URL in without losing its place. */
export function usePlayback(videoId: string | null | undefined, ready: boolean) {
  return useQuery(playbackQuery(videoId, ready));
}
