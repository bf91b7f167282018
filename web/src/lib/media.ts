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

/** Short-lived playback URLs, refreshed before they expire (15 min by default). */
export function usePlayback(videoId: string | null | undefined, ready: boolean) {
  return useQuery({
    queryKey: ["playback", videoId],
    queryFn: () => call(api.GET("/api/v1/videos/{video_id}/playback", { params: { path: { video_id: videoId! } } })),
    enabled: !!videoId && ready,
    staleTime: 5 * 60_000,
    refetchInterval: 10 * 60_000,
  });
}
