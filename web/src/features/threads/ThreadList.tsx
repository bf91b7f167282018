import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { Thread } from "../../api/client";
import { Thumbnail } from "../../components/Thumbnail";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { relativeTime } from "../../lib/time";
import { useLearnerNames } from "../coach/useLearnerNames";
import { usePageTitle } from "../../lib/title";
import { AcceptInviteForm } from "../invites/AcceptInviteForm";
import { type ThreadFilters, threadsQuery } from "./api";

/** A thread in a list: the newest attempt's poster, the exercise, counts and state. */
export function ThreadRow({ thread: t, learner, actions }: { thread: Thread; learner?: ReactNode; actions?: ReactNode }) {
  const count = t.attempt_count ?? 0;
  return (
    <li>
      <Link to={`/threads/${t.id}`} tabIndex={-1} aria-hidden="true">
        <Thumbnail video={t.latest_video} width={128} />
      </Link>
      <div className="thread-row-body">
        <Link className="title" to={`/threads/${t.id}`}>
          {t.exercise.title}
        </Link>
        <div className="row wrap small">
          {learner}
          <span className="count-pill">
            {count} attempt{count === 1 ? "" : "s"}
          </span>
          <span className="muted">
            {t.waiting_since ? `waiting ${relativeTime(t.waiting_since)}` : `active ${relativeTime(t.last_activity_at)}`}
          </span>
          {t.status === "archived" && <span className="badge">archived</span>}
          {t.awaiting_feedback && <span className="badge badge-processing">awaiting feedback</span>}
        </div>
        {actions}
      </div>
    </li>
  );
}

export function ThreadList({ role, awaiting, empty }: { role: "learner" | "coach"; awaiting?: boolean; empty: string }) {
  const filters: ThreadFilters = { role, awaiting_feedback: awaiting };
  const threads = useQuery(threadsQuery(filters));
  const learners = useLearnerNames(role === "coach");
  if (threads.isLoading) return <Loading what="Loading threads" />;
  if (threads.error) return <ErrorNote error={threads.error} retry={() => threads.refetch()} />;
  const items: Thread[] = threads.data?.items ?? [];
  if (items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <ul className="list thread-rows">
      {items.map((t) => (
        <ThreadRow
          key={t.id}
          thread={t}
          learner={
            role === "coach" ? <Link to={`/coach/learners/${t.learner_id}`}>{learners.get(t.learner_id) ?? "a learner"}</Link> : undefined
          }
        />
      ))}
    </ul>
  );
}

export function Practice() {
  usePageTitle("Practice");
  return (
    <section aria-labelledby="practice-title">
      <h1 id="practice-title">My practice</h1>
      <p className="muted">One thread per exercise you practise: your attempts and your coach's feedback.</p>
      <ThreadList role="learner" empty="No practice yet. Open an exercise in the library and choose “Practise this”." />
      <details className="card">
        <summary>Have an invite code from a coach?</summary>
        <AcceptInviteForm />
      </details>
    </section>
  );
}
