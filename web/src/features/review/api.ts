// A video's comments in a thread: the key, the paging fetcher and the polling query,
// defined once (the writes that update the same cached list live in useComments).
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import type { RefObject } from "react";
import { api, call, type Comment } from "../../api/client";

const POLL_MS = 5000;

/** Order on the timeline: by start, then by when written. */
export function byTime(a: Comment, b: Comment): number {
  return a.t_start_ms - b.t_start_ms || a.created_at.localeCompare(b.created_at);
}

/** Merge changed comments (new, edited, deleted) into what we have. */
export function merged(previous: Comment[], changed: Comment[]): Comment[] {
  const byId = new Map(previous.map((c) => [c.id, c]));
  for (const c of changed) byId.set(c.id, c);
  return [...byId.values()].sort(byTime);
}

export const commentKeys = {
  all: ["comments"] as const,
  video: (threadId: string, videoId: string | undefined) => ["comments", threadId, videoId] as const,
};

const PAGE = 100;

/** Every comment changed after `since` (all of them without it), page after page; and the
 * service's time at the first page, the `since` of the next poll (a change made while we
 * page is then seen again next time rather than never). */
export async function commentChanges(
  threadId: string,
  videoId: string | undefined,
  since: string | null,
): Promise<{ items: Comment[]; serverTime: string }> {
  const items: Comment[] = [];
  let cursor: string | undefined;
  let serverTime: string | null = null;
  do {
    const page = await call(
      api.GET("/api/v1/threads/{thread_id}/comments", {
        params: { path: { thread_id: threadId }, query: { video_id: videoId, since: since ?? undefined, cursor, limit: PAGE } },
      }),
    );
    serverTime ??= page.server_time;
    // openapi-fetch widens tuples ([x, y] points) to arrays in responses; same data.
    items.push(...(page.items as Comment[]));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return { items, serverTime };
}

/** The comments of `videoId`, polled: each poll asks for what changed since the service's
 * time at the previous one (`since`, kept by the caller) and merges it into the cache. */
export const commentsQuery = (
  client: QueryClient,
  threadId: string,
  videoId: string | undefined,
  since: RefObject<string | null>,
) =>
  queryOptions({
    queryKey: commentKeys.video(threadId, videoId),
    enabled: !!videoId,
    refetchInterval: POLL_MS,
    queryFn: async () => {
      const previous = client.getQueryData<Comment[]>(commentKeys.video(threadId, videoId)) ?? [];
      const changes = await commentChanges(threadId, videoId, since.current);
      since.current = changes.serverTime;
      return merged(previous, changes.items);
    },
  });
