// Practice threads and attempts: each query's key and fetcher, defined once. Mutations
// invalidate through these keys (bulletproof-react's query-option factories).
import { queryOptions } from "@tanstack/react-query";
import { api, call, type Video } from "../../api/client";

export type ThreadFilters = {
  role?: "learner" | "coach";
  awaiting_feedback?: boolean;
  sort?: "recent" | "waiting";
  exercise_id?: string;
  learner_id?: string;
};

export const threadKeys = {
  all: ["threads"] as const,
  list: (filters: ThreadFilters) => ["threads", "list", filters] as const,
  one: (threadId: string) => ["thread", threadId] as const,
  attempts: (threadId: string) => ["attempts", threadId] as const,
  attempt: (attemptId: string) => ["attempt", attemptId] as const,
};

/** Lists poll: a learner's attempt turning ready puts the thread in the coach's inbox. */
export const threadsQuery = (filters: ThreadFilters) =>
  queryOptions({
    queryKey: threadKeys.list(filters),
    queryFn: () => call(api.GET("/api/v1/threads", { params: { query: { ...filters, limit: 50 } } })),
    refetchInterval: 30_000,
  });

export const threadQuery = (threadId: string) =>
  queryOptions({
    queryKey: threadKeys.one(threadId),
    queryFn: () => call(api.GET("/api/v1/threads/{thread_id}", { params: { path: { thread_id: threadId } } })),
  });

const busy = (video: Video) => video.status !== "ready" && video.status !== "failed";

/** Attempts, polled every 2 s while one of them is still on its way to ready. */
export const attemptsQuery = (threadId: string) =>
  queryOptions({
    queryKey: threadKeys.attempts(threadId),
    queryFn: () =>
      call(api.GET("/api/v1/threads/{thread_id}/attempts", { params: { path: { thread_id: threadId }, query: { limit: 100 } } })),
    refetchInterval: (query) => (query.state.data?.items.some((a) => busy(a.video)) ? 2000 : false),
  });

export const attemptQuery = (attemptId: string) =>
  queryOptions({
    queryKey: threadKeys.attempt(attemptId),
    queryFn: () => call(api.GET("/api/v1/attempts/{attempt_id}", { params: { path: { attempt_id: attemptId } } })),
  });

export const addAttempt = (threadId: string, body: { video_id: string; notes: string }) =>
  call(api.POST("/api/v1/threads/{thread_id}/attempts", { params: { path: { thread_id: threadId } }, body }));

export const editAttemptNotes = (attemptId: string, notes: string) =>
  call(api.PATCH("/api/v1/attempts/{attempt_id}", { params: { path: { attempt_id: attemptId } }, body: { notes } }));

export const retryAttempt = (attemptId: string, videoId?: string) =>
  call(
    api.POST("/api/v1/attempts/{attempt_id}/retry", {
      params: { path: { attempt_id: attemptId } },
      body: { video_id: videoId ?? null },
    }),
  );

export const deleteAttempt = (attemptId: string) =>
  call(api.DELETE("/api/v1/attempts/{attempt_id}", { params: { path: { attempt_id: attemptId } } }));

export const markReviewed = (threadId: string) =>
  call(api.POST("/api/v1/threads/{thread_id}/reviewed", { params: { path: { thread_id: threadId } } }));
