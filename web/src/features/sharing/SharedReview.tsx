// The page a share link opens, with no account: the shared attempts' videos and their
// comments, read-only. A comment's time seeks its video there.
import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { useParams } from "react-router";
import { ApiError } from "../../api/errors";
import { ErrorNote, Loading } from "../../components/ui";
import { usePageTitle } from "../../lib/title";
import { sharedQuery, type SharedView } from "./api";

type SharedAttempt = SharedView["attempts"][number];

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function SharedReview() {
  const { token = "" } = useParams();
  const view = useQuery(sharedQuery(token));
  usePageTitle(view.data ? `${view.data.exercise_title} (shared)` : "Shared feedback");
  if (view.isLoading) return <Loading />;
  if (!view.data) {
    const gone = view.error instanceof ApiError && (view.error.status === 404 || view.error.status === 410);
    return gone ? (
      <section className="card narrow" role="alert" aria-labelledby="shared-gone">
        <h1 id="shared-gone">This link does not work</h1>
        <p>{view.error?.message} Ask the person who shared it for a new one.</p>
      </section>
    ) : (
      <ErrorNote error={view.error} retry={() => void view.refetch()} />
    );
  }
  const v = view.data;
  return (
    <section className="shared-review" aria-labelledby="shared-title">
      <h1 id="shared-title">{v.exercise_title}</h1>
      <p className="muted">
        {v.learner_name}’s practice, coached by {v.coach_name} · shared read-only until{" "}
        {new Date(v.expires_at).toLocaleDateString()}
      </p>
      {v.attempts.length === 0 && <p className="empty">There is nothing to show yet.</p>}
      {v.attempts.map((a, i) => (
        <SharedAttemptView key={a.id} attempt={a} index={i} />
      ))}
    </section>
  );
}

function SharedAttemptView({ attempt, index }: { attempt: SharedAttempt; index: number }) {
  const video = useRef<HTMLVideoElement>(null);
  const seek = (ms: number) => {
    if (!video.current) return;
    video.current.currentTime = ms / 1000;
    void video.current.play().catch(() => undefined);
  };
  return (
    <article className="card" aria-label={`Attempt ${index + 1}`}>
      <h2>Attempt {index + 1}</h2>
      <video
        ref={video}
        controls
        playsInline
        preload="metadata"
        src={attempt.playback.rendition_url}
        poster={attempt.playback.poster_url}
      />
      <ol className="list" aria-label={`Comments on attempt ${index + 1}`}>
        {attempt.comments.map((c) => (
          <li key={c.id}>
            <button type="button" className="link" onClick={() => seek(c.t_start_ms)}>
              {clock(c.t_start_ms)}
            </button>{" "}
            <strong>{c.author.display_name}</strong>: <span>{c.body}</span>
          </li>
        ))}
        {attempt.comments.length === 0 && <li className="muted">No comments on this attempt.</li>}
      </ol>
    </article>
  );
}
