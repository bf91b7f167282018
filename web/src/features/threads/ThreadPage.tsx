// A practice thread: one learner's attempts at one exercise, and the way in to review them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ComponentProps, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { api, call, type Attempt, type Thread, type Video } from "../../api/client";
import { Thumbnail } from "../../components/Thumbnail";
import { UploadPanel } from "../../components/UploadPanel";
import { Empty, ErrorNote, Field, Loading, VideoStatus } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { relativeTime } from "../../lib/time";
import { useLearnerNames } from "../coach/useLearnerNames";
import { usePageTitle } from "../../lib/title";
import { REFERENCE } from "../review/Review";
import { ShareLinks } from "../sharing/ShareLinks";
import { ExportFeedback, exportChoices } from "../review/export/ExportFeedback";
import {
  addAttempt,
  attemptsQuery,
  deleteAttempt,
  editAttemptNotes,
  retryAttempt,
  threadKeys,
  threadQuery,
} from "./api";

export function ThreadPage() {
  const { threadId = "" } = useParams();
  const { me } = useAuth();
  const client = useQueryClient();
  const thread = useQuery(threadQuery(threadId));
  const attempts = useQuery(attemptsQuery(threadId));
  usePageTitle(thread.data?.exercise.title);
  const isLearner = !!thread.data && me?.id === thread.data.learner_id;
  const learners = useLearnerNames(!!thread.data && !isLearner);
  const setStatus = useMutation({
    mutationFn: (status: Thread["status"]) =>
      call(api.PATCH("/api/v1/threads/{thread_id}", { params: { path: { thread_id: threadId } }, body: { status } })),
    onSuccess: (t) => {
      client.setQueryData(threadKeys.one(threadId), t);
      void client.invalidateQueries({ queryKey: threadKeys.all });
    },
  });
  if (thread.isLoading) return <Loading />;
  if (!thread.data) return <ErrorNote error={thread.error} retry={() => thread.refetch()} />;
  const t = thread.data;
  const archived = t.status === "archived";
  const learnerName = learners.get(t.learner_id) ?? "a learner";
  const who = isLearner ? (
    `coached by ${t.exercise.author.display_name}`
  ) : (
    <Link to={`/coach/learners/${t.learner_id}`}>{learnerName}’s practice</Link>
  );
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
      {(isLearner || me?.id === t.coach_id) && <ShareLinks threadId={threadId} attempts={attempts.data?.items ?? []} />}
      <ExportFeedback threadId={threadId} videos={exportChoices(t, attempts.data?.items ?? [])} />
    </section>
  );
}

/** Choose (or record) a video, write notes while it uploads, then send both together:
 * the notes box is never cleared under the learner's fingers. */
export function NewAttempt({
  threadId,
  uploadOptions,
  pending,
}: {
  threadId: string;
  /** For tests: the upload machinery's collaborators. */
  uploadOptions?: ComponentProps<typeof UploadPanel>["uploadOptions"];
  pending?: ComponentProps<typeof UploadPanel>["pending"];
}) {
  const client = useQueryClient();
  const [notes, setNotes] = useState("");
  const [uploaded, setUploaded] = useState<Video | null>(null);
  const [sendWhenUploaded, setSendWhenUploaded] = useState(false);
  const [round, setRound] = useState(0); // a fresh upload panel after each sent attempt
  const add = useMutation({
    mutationFn: (video: Video) => addAttempt(threadId, { video_id: video.id, notes: notes.trim() }),
    onSuccess: () => {
      setNotes("");
      setUploaded(null);
      setSendWhenUploaded(false);
      setRound((n) => n + 1);
      void client.invalidateQueries({ queryKey: threadKeys.attempts(threadId) });
      void client.invalidateQueries({ queryKey: threadKeys.all });
    },
  });
  const { mutate, isPending } = add;
  useEffect(() => {
    if (uploaded && sendWhenUploaded && !isPending && !add.isError) mutate(uploaded);
  }, [uploaded, sendWhenUploaded, isPending, add.isError, mutate]);
  return (
    <div className="card">
      <h2>New attempt</h2>
      <UploadPanel
        key={round}
        scope={`thread:${threadId}`}
        label="Choose a video"
        onUploaded={setUploaded}
        uploadOptions={uploadOptions}
        pending={pending}
      />
      {uploaded && !isPending && <p className="notice" role="status">The video is uploaded. Add your notes, then send it to your coach.</p>}
      <Field label="Notes for your coach (optional)" hint="How did it feel? What should they look at?">
        <textarea rows={3} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      <div className="row wrap">
        <button
          type="button"
          disabled={isPending || sendWhenUploaded}
          onClick={() => {
            add.reset();
            setSendWhenUploaded(true);
          }}
        >
          Send to your coach
        </button>
        {sendWhenUploaded && !uploaded && <span className="muted">It will be sent as soon as the upload finishes…</span>}
        {isPending && <span className="muted">Sending…</span>}
      </div>
      {/* The video is uploaded even if this fails: "Try again" attaches it without a new upload. */}
      <ErrorNote error={add.error} retry={uploaded ? () => mutate(uploaded) : undefined} />
    </div>
  );
}

function AttemptRow({ attempt, threadId, mine }: { attempt: Attempt; threadId: string; mine: boolean }) {
  const client = useQueryClient();
  const video = attempt.video;
  const refresh = () => client.invalidateQueries({ queryKey: threadKeys.attempts(threadId) });
  const remove = useMutation({ mutationFn: () => deleteAttempt(attempt.id), onSuccess: refresh });
  const retry = useMutation({ mutationFn: (videoId?: string) => retryAttempt(attempt.id, videoId), onSuccess: refresh });
  const [editing, setEditing] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const [notes, setNotes] = useState(attempt.notes);
  const save = useMutation({
    mutationFn: () => editAttemptNotes(attempt.id, notes.trim()),
    onSuccess: () => {
      setEditing(false);
      void refresh();
    },
  });
  const ready = video.status === "ready";
  const review = `/threads/${threadId}/review/${attempt.id}`;
  return (
    <li className="attempt">
      {ready ? (
        <Link to={review} tabIndex={-1} aria-hidden="true">
          <Thumbnail video={video} />
        </Link>
      ) : (
        <Thumbnail video={video} />
      )}
      <div className="attempt-body">
        <div className="row wrap">
          <span>{new Date(attempt.recorded_at ?? attempt.created_at).toLocaleString()}</span>
          <span className="muted">· {relativeTime(attempt.created_at)}</span>
          <VideoStatus video={video} />
        </div>
        {editing ? (
          <div>
            <Field label="Notes">
              <textarea aria-label="Notes on this attempt" rows={3} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
            </Field>
            <div className="row">
              <button type="button" className="small" disabled={save.isPending} onClick={() => save.mutate()}>
                Save notes
              </button>
              <button type="button" className="secondary small" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
          </div>
        ) : (
          attempt.notes && <p className="notes muted">{attempt.notes}</p>
        )}
        {video.status === "failed" && mine && (
          <p className="muted small">Your coach does not see this attempt until it is processed. Try again, upload it again, or delete it.</p>
        )}
        <div className="row wrap">
          {ready && (
            <Link className="button small" to={review}>
              Review
            </Link>
          )}
          {mine && video.status === "failed" && (
            <>
              <button type="button" className="small" disabled={retry.isPending} onClick={() => retry.mutate(undefined)}>
                Try processing again
              </button>
              <button type="button" className="secondary small" onClick={() => setReplacing((r) => !r)}>
                Upload it again
              </button>
            </>
          )}
          {mine && !editing && (
            <button
              type="button"
              className="link small"
              onClick={() => {
                setNotes(attempt.notes);
                setEditing(true);
              }}
            >
              Edit notes
            </button>
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
        {replacing && (
          <UploadPanel
            scope={`attempt:${attempt.id}`}
            label="Choose the new video"
            onUploaded={(v) => {
              setReplacing(false);
              retry.mutate(v.id);
            }}
          />
        )}
        <ErrorNote error={remove.error ?? retry.error ?? save.error} />
      </div>
    </li>
  );
}
