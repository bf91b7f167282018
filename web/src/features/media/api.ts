// A video's facts and its short-lived playback URLs: each query's key and fetcher, once.
import { queryOptions } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export const mediaKeys = {
  video: (videoId: string | null | undefined) => ["video", videoId] as const,
  playback: (videoId: string | null | undefined) => ["playback", videoId] as const,
};

/** When to renew playback URLs that expire at `expiresAt`: at four fifths of the time they
 * have left (so a slow answer still lands in time), at least 5 s from now. */
export function renewIn(expiresAt: string | undefined, now = Date.now()): number | false {
  if (!expiresAt) return false;
  return Math.max(5_000, Math.floor((new Date(expiresAt).getTime() - now) * 0.8));
}

/** A video's facts, polled every 2 s while the pipeline works on it. */
export const videoQuery = (videoId: string | null | undefined) =>
  queryOptions({
    queryKey: mediaKeys.video(videoId),
    queryFn: () => call(api.GET("/api/v1/videos/{video_id}", { params: { path: { video_id: videoId! } } })),
    enabled: !!videoId,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && status !== "ready" && status !== "failed" ? 2000 : false;
    },
  });

/** Short-lived playback URLs (`PRACTIKA_MEDIA_URL_TTL_SECONDS`), renewed before they expire. */
export const playbackQuery = (videoId: string | null | undefined, ready: boolean) =>
  queryOptions({
    queryKey: mediaKeys.playback(videoId),
    queryFn: () => call(api.GET("/api/v1/videos/{video_id}/playback", { params: { path: { video_id: videoId! } } })),
    enabled: !!videoId && ready,
    staleTime: (query) => renewIn(query.state.data?.expires_at) || 0,
    refetchInterval: (query) => renewIn(query.state.data?.expires_at),
  });
