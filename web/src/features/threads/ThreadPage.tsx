// A practice thread: one learner's attempts at one exercise, and the way in to review them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api, call, type Attempt, type Thread } from "../../api/client";
import { UploadPanel } from "../../components/UploadPanel";
import { Empty, ErrorNote, Field, Loading, VideoStatus } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { useVideo } from "../../lib/media";
import { relativeTime } from "../../lib/time";
import { useLearnerNames } from "../coach/useLearnerNames";
import { usePageTitle } from "../../lib/title";
import { REFERENCE } from "../review/Review";

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
    queryFn: () =>
      call(api.GET("/api/v1/threads/{thread_id}/attempts", { params: { path: { thread_id: threadId }, query: { limit: 100 } } })),
  });
  usePageTitle(thread.data?.exercise.title);
  const isLearner = !!thread.data && me?.id === thread.data.learner_id;
  const learners = useLearnerNames(!!thread.data && !isLearner);
  const setStatus = useMutation({
    mutationFn: (status: Thread["status"]) =>
      call(api.PATCH("/api/v1/threads/{thread_id}", { params: { path: { thread_id: threadId } }, body: { status } })),
    onSuccess: (t) => {
      client.setQueryData(["thread", threadId], t);
      void client.invalidateQueries({ queryKey: ["threads"] });
    },
  });
  if (thread.isLoading) return <Loading />;
  if (!thread.data) return <ErrorNote error={thread.error} retry={() => thread.refetch()} />;
  const t = thread.data;
  const archived = t.status === "archived";
  const who = isLearner ? `coached by ${t.exercise.author.display_name}` : `${learners.get(t.learner_id) ?? "a learner"}'s practice`;
  return (
    <section aria-labelledby="thread-title">
      <div className="row spread wrap">
        <h1 id="thread-title">{t.exercise.title}</h1>
        <button type="button" className="secondary" disabled={setStatus.isPending} onClick={() => setStatus.mutate(archived ? "open" : "archived")}>
          {archived ? "Reopen thread" : "Archive thread"}
        </button>
      </div>
      <p className="muted">
        <Link to={`/exercises/${t.exercise.id}`}>The exercise</Link> · {who}
        {t.exercise.reference_video_id && (
          <>
            {" "}
            · <Link to={`/threads/${threadId}/review/${REFERENCE}`}>Discuss the reference video</Link>
          </>
        )}
        {archived && <span className="badge">archived</span>}
      </p>
      <ErrorNote error={setStatus.error} />
      {isLearner && (archived ? <p className="notice">This thread is archived. Reopen it to add attempts.</p> : <NewAttempt threadId={threadId} />)}
      <h2>Attempts</h2>
      {attempts.isLoading && <Loading what="Loading attempts" />}
      <ErrorNote error={attempts.error} retry={() => attempts.refetch()} />
      {attempts.data?.items.length === 0 && <Empty>No attempts yet{isLearner ? ": film one and upload it." : "."}</Empty>}
      <ul className="list attempts">
        {attempts.data?.items.map((a) => <AttemptRow key={a.id} attempt={a} threadId={threadId} mine={isLearner} />)}
      </ul>
    </section>
  );
}

function NewAttempt({ threadId }: { threadId: string }) {
  const client = useQueryClient();
  const [notes, setNotes] = useState("");
  const add = useMutation({
    mutationFn: (videoId: string) =>
      call(
        api.POST("/api/v1/threads/{thread_id}/attempts", {
          params: { path: { thread_id: threadId } },
          body: { video_id: videoId, notes: notes.trim() },
        }),
      ),
    onSuccess: () => {
      setNotes("");
      void client.invalidateQueries({ queryKey: ["attempts", threadId] });
    },
  });
  return (
    <div className="card">
      <h2>New attempt</h2>
      <Field label="Notes for your coach (optional)" hint="How did it feel? What should they look at?">
        <textarea rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      <UploadPanel scope={`thread:${threadId}`} label="Upload an attempt" onUploaded={(video) => add.mutate(video.id)} />
      {add.isPending && <p className="muted">Adding the attempt…</p>}
      {/* The video is uploaded even if this fails: "Try again" attaches it without a new upload. */}
      <ErrorNote error={add.error} retry={add.variables ? () => add.mutate(add.variables!) : undefined} />
    </div>
  );
}

function AttemptRow({ attempt, threadId, mine }: { attempt: Attempt; threadId: string; mine: boolean }) {
  const client = useQueryClient();
  // Polls until processed, so the status updates by itself.
  const video = useVideo(attempt.video.id).data ?? attempt.video;
  const remove = useMutation({
    mutationFn: () => call(api.DELETE("/api/v1/attempts/{attempt_id}", { params: { path: { attempt_id: attempt.id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["attempts", threadId] }),
  });
  return (
    <li className="attempt">
      <div className="row wrap">
        <span>{new Date(attempt.recorded_at ?? attempt.created_at).toLocaleString()}</span>
        <span className="muted">· {relativeTime(attempt.created_at)}</span>
        <VideoStatus video={video} />
        {video.status === "ready" && (
          <Link className="button small" to={`/threads/${threadId}/review/${attempt.id}`}>
            Review
          </Link>
        )}
        {mine && (
          <button
            type="button"
            className="link small"
            disabled={remove.isPending}
            onClick={() => window.confirm("Delete this attempt and its feedback?") && remove.mutate()}
          >
            Delete
          </button>
        )}
      </div>
      {attempt.notes && <p className="notes muted">{attempt.notes}</p>}
      <ErrorNote error={remove.error} />
    </li>
  );
}
