// A video's comments in a thread: polled with `since` so new feedback appears by itself,
// and the writes (post, edit, delete) that update the same cached list.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { api, call, type Comment, type Schemas } from "../../api/client";
import { commentKeys, commentsQuery, merged } from "./api";

export { byTime, commentChanges, commentKeys, merged } from "./api";

export type NewComment = Omit<Schemas["CommentIn"], "video_id">;
export type CommentChange = Schemas["CommentUpdateIn"];

export function useComments(threadId: string, videoId: string | undefined) {
  const client = useQueryClient();
  const key = commentKeys.video(threadId, videoId);
  // The service's clock, not ours: `since` must compare with its timestamps.
  const since = useRef<string | null>(null);
  const comments = useQuery(commentsQuery(client, threadId, videoId, since));
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
