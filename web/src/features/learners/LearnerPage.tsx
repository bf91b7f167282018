// One learner as their coach sees them: threads, latest attempts, practice sessions (RPE,
// notes) and progress charts.
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { Thumbnail } from "../../components/Thumbnail";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { formatDuration, relativeTime } from "../../lib/time";
import { ProgressSummary } from "../progress/ProgressSummary";
import { ThreadRow } from "../threads/ThreadList";
import { learnerQuery } from "./api";

export function LearnerPage() {
  const { learnerId = "" } = useParams();
  const page = useQuery(learnerQuery(learnerId));
  if (page.isLoading) return <Loading what="Loading the learner" />;
  if (!page.data) return <ErrorNote error={page.error} retry={() => page.refetch()} />;
  const { learner, threads, recent_attempts: attempts, sessions, progress } = page.data;
  const titles = new Map(threads.map((t) => [t.id, t.exercise.title]));
  return (
    <section aria-labelledby="learner-title">
      <p className="muted small">
        <Link to="/coach">Coaching</Link> ›
      </p>
      <h1 id="learner-title">{learner.display_name}</h1>
      <ProgressSummary progress={progress} />
      <div className="card">
        <h2>Latest attempts</h2>
        {attempts.length === 0 && <Empty>No attempts yet.</Empty>}
        <ul className="attempt-grid">
          {attempts.map((a) => (
            <li key={a.id}>
              <Link to={`/threads/${a.thread_id}/review/${a.id}`} aria-label={`Review the attempt at ${titles.get(a.thread_id) ?? "an exercise"}`}>
                <Thumbnail video={a.video} width={200} />
              </Link>
              <strong>{titles.get(a.thread_id) ?? "An exercise"}</strong>
              <span className="muted">{relativeTime(a.created_at)}</span>
              {a.notes && <span className="notes muted clamp">{a.notes}</span>}
            </li>
          ))}
        </ul>
      </div>
      <div className="columns">
        <div className="card">
          <h2>Threads</h2>
          {threads.length === 0 && <Empty>{learner.display_name} has not started on your exercises yet.</Empty>}
          <ul className="list thread-rows">
            {threads.map((t) => (
              <ThreadRow key={t.id} thread={t} />
            ))}
          </ul>
        </div>
        <div className="card">
          <h2>Practice sessions</h2>
          {sessions.length === 0 && <Empty>No practice sessions yet.</Empty>}
          <ul className="list">
            {sessions.map((s) => (
              <li key={s.id}>
                <div className="row wrap">
                  <strong>{new Date(s.started_at).toLocaleDateString()}</strong>
                  <span className="muted">{s.ended_at ? formatDuration(s.duration_s) : "not finished"}</span>
                  <span className="muted">· {s.items.length} item{s.items.length === 1 ? "" : "s"}</span>
                  {s.rpe != null && <span className="badge">RPE {s.rpe}/10</span>}
                </div>
                {s.notes && <p className="notes muted">{s.notes}</p>}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
