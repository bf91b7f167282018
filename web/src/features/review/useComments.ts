// A video's comments in a thread: polled with `since` so new feedback appears by itself,
// and the writes (post, edit, delete) that update the same cached list.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { api, call, type Comment, type Schemas } from "../../api/client";

export type NewComment = Omit<Schemas["CommentIn"], "video_id">;
export type CommentChange = Schemas["CommentUpdateIn"];

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

export function useComments(threadId: string, videoId: string | undefined) {
  const client = useQueryClient();
  const key = commentKeys.video(threadId, videoId);
  // The service's clock, not ours: `since` must compare with its timestamps.
  const since = useRef<string | null>(null);
  const comments = useQuery({
    queryKey: key,
    enabled: !!videoId,
    refetchInterval: POLL_MS,
    queryFn: async () => {
      const previous = client.getQueryData<Comment[]>(key) ?? [];
      const changes = await commentChanges(threadId, videoId, since.current);
      since.current = changes.serverTime;
      return merged(previous, changes.items);
    },
  });
  const store = (changed: Comment) => client.setQueryData<Comment[]>(key, (old) => merged(old ?? [], [changed]));

  const post = useMutation({
    mutationFn: (comment: NewComment) =>
      call(
        api.POST("/api/v1/threads/{thread_id}/comments", {
          params: { path: { thread_id: threadId } },
          body: { ...comment, video_id: videoId! },
        }),
      ) as Promise<Comment>,
    onSuccess: store,
  });
  const edit = useMutation({
    mutationFn: ({ id, change }: { id: string; change: CommentChange }) =>
      call(api.PATCH("/api/v1/comments/{comment_id}", { params: { path: { comment_id: id } }, body: change })) as Promise<Comment>,
    onSuccess: store,
  });
  const remove = useMutation({
    mutationFn: async (comment: Comment) => {
      await call(api.DELETE("/api/v1/comments/{comment_id}", { params: { path: { comment_id: comment.id } } }));
      return comment;
    },
    // The service keeps a deleted comment's row (replies keep their parent); so do we.
    onSuccess: (comment) => store({ ...comment, body: "", deleted_at: new Date().toISOString() }),
  });
  return { comments, post, edit, remove };
}
