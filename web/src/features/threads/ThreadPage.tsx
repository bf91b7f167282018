import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { api, call, type Attempt } from "../../api/client";
import { UploadPanel } from "../../components/UploadPanel";
import { Empty, ErrorNote, Loading, VideoStatus } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { useVideo } from "../../lib/media";
import { relativeTime } from "../../lib/time";

export function ThreadPage() {
  const { threadId = "" } = useParams();
  const { me } = useAuth();
  const client = useQueryClient();
  const thread = useQuery({
    queryKey: ["thread", threadId],
    queryFn: () => call(api.GET("/api/v1/threads/{thread_id}", { params: { path: { thread_id: threadId } } })),
  });
  const attempts = useQuery({
    queryKey: ["attempts", threadId],
    queryFn: () => call(api.GET("/api/v1/threads/{thread_id}/attempts", { params: { path: { thread_id: threadId }, query: { limit: 100 } } })),
  });
  const add = useMutation({
    mutationFn: (videoId: string) =>
      call(api.POST("/api/v1/threads/{thread_id}/attempts", { params: { path: { thread_id: threadId } }, body: { video_id: videoId } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["attempts", threadId] }),
  });
  if (thread.isLoading) return <Loading />;
  if (!thread.data) return <ErrorNote error={thread.error} retry={() => thread.refetch()} />;
  const t = thread.data;
  const learner = me?.id === t.learner_id;
  return (
    <section aria-labelledby="thread-title">
      <h1 id="thread-title">{t.exercise.title}</h1>
      <p className="muted">
        <Link to={`/exercises/${t.exercise.id}`}>The exercise</Link> · {t.status}
      </p>
      {learner && (
        <div className="card">
          <h2>New attempt</h2>
          <UploadPanel scope={`thread:${threadId}`} label="Upload an attempt" onUploaded={(video) => add.mutate(video.id)} />
          <ErrorNote error={add.error} />
        </div>
      )}
      <h2>Attempts</h2>
      {attempts.isLoading && <Loading what="Loading attempts" />}
      <ErrorNote error={attempts.error} retry={() => attempts.refetch()} />
      {attempts.data?.items.length === 0 && <Empty>No attempts yet{learner ? ": film one and upload it." : "."}</Empty>}
      <ul className="list attempts">
        {attempts.data?.items.map((a) => <AttemptRow key={a.id} attempt={a} threadId={threadId} />)}
      </ul>
    </section>
  );
}

function AttemptRow({ attempt, threadId }: { attempt: Attempt; threadId: string }) {
  // Polls until processed, so the status updates by itself.
  const video = useVideo(attempt.video.id).data ?? attempt.video;
  return (
    <li className="attempt">
      <span>{new Date(attempt.recorded_at ?? attempt.created_at).toLocaleString()}</span>
      <span className="muted"> · {relativeTime(attempt.created_at)} · </span>
      <VideoStatus video={video} />
      {video.status === "ready" && (
        <Link className="button small" to={`/threads/${threadId}/review/${attempt.id}`}>
          Review
        </Link>
      )}
    </li>
  );
}
