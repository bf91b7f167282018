import { useQuery } from "@tanstack/react-query";
import { api, call } from "../api/client";

/** A video's facts, polled while the pipeline works on it. */
export function useVideo(videoId: string | null | undefined) {
  return useQuery({
    queryKey: ["video", videoId],
    queryFn: () => call(api.GET("/api/v1/videos/{video_id}", { params: { path: { video_id: videoId! } } })),
    enabled: !!videoId,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && status !== "ready" && status !== "failed" ? 2000 : false;
    },
  });
}

/** When to renew playback URLs that expire at `expiresAt`: at four fifths of the time they
 * have left (so a slow answer still lands in time), at least 5 s from now. */
export function renewIn(expiresAt: string | undefined, now = Date.now()): number | false {
  if (!expiresAt) return false;
  return Math.max(5_000, Math.floor((new Date(expiresAt).getTime() - now) * 0.8));
}

/** Short-lived playback URLs (`PRACTIKA_MEDIA_URL_TTL_SECONDS`), renewed before they expire.
 * The review player swaps a renewed URL in without losing its place. */
export function usePlayback(videoId: string | null | undefined, ready: boolean) {
  return useQuery({
    queryKey: ["playback", videoId],
    queryFn: () => call(api.GET("/api/v1/videos/{video_id}/playback", { params: { path: { video_id: videoId! } } })),
    enabled: !!videoId && ready,
    staleTime: (query) => renewIn(query.state.data?.expires_at) || 0,
    refetchInterval: (query) => renewIn(query.state.data?.expires_at),
  });
}
