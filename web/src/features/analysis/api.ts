// Movement analysis queries: one queryOptions factory per resource (key + fetcher once).
import { queryOptions } from "@tanstack/react-query";
import { api, call, type Schemas } from "../../api/client";

export type AnalysisState = Schemas["AnalysisOut"];
export type Pose = Schemas["PoseOut"];
export type AlignmentMap = Schemas["AlignmentOut"];
export type Departure = Schemas["DepartureOut"];
export type Reps = Schemas["RepsOut"];

const FINISHED = new Set(["done", "none", "failed", "unavailable"]);

export const analysisKeys = {
  all: (videoId: string) => ["analysis", videoId] as const,
};

export function analysisQuery(videoId: string) {
  return queryOptions({
    queryKey: [...analysisKeys.all(videoId), "state"],
    queryFn: () =>
      call(api.GET("/api/v1/videos/{video_id}/analysis", { params: { path: { video_id: videoId } } })),
    // The worker analyses after the video is ready: follow it until it finishes.
    refetchInterval: (query) => (query.state.data && FINISHED.has(query.state.data.status) ? false : 3000),
  });
}

export function poseQuery(videoId: string, maxFps = 30) {
  return queryOptions({
    queryKey: [...analysisKeys.all(videoId), "pose", maxFps],
    queryFn: () =>
      call(
        api.GET("/api/v1/videos/{video_id}/pose", {
          params: { path: { video_id: videoId }, query: { max_fps: maxFps } },
        }),
      ),
    staleTime: Infinity, // a finished track does not change; a new analysis is a new state
  });
}

export function alignmentQuery(videoId: string, referenceId: string) {
  return queryOptions({
    queryKey: [...analysisKeys.all(videoId), "alignment", referenceId],
    queryFn: () =>
      call(
        api.GET("/api/v1/videos/{video_id}/alignment", {
          params: { path: { video_id: videoId }, query: { reference: referenceId } },
        }),
      ),
    staleTime: Infinity,
  });
}

export function departuresQuery(videoId: string, referenceId: string) {
  return queryOptions({
    queryKey: [...analysisKeys.all(videoId), "departures", referenceId],
    queryFn: () =>
      call(
        api.GET("/api/v1/videos/{video_id}/departures", {
          params: { path: { video_id: videoId }, query: { reference: referenceId } },
        }),
      ),
    staleTime: Infinity,
  });
}

export function repsQuery(videoId: string) {
  return queryOptions({
    queryKey: [...analysisKeys.all(videoId), "reps"],
    queryFn: () => call(api.GET("/api/v1/videos/{video_id}/reps", { params: { path: { video_id: videoId } } })),
    staleTime: Infinity,
  });
}
