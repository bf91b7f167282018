import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, call, type Thread } from "../../api/client";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { relativeTime } from "../../lib/time";
import { useLearnerNames } from "../coach/useLearnerNames";
import { usePageTitle } from "../../lib/title";
import { AcceptInviteForm } from "../invites/AcceptInviteForm";

export function ThreadList({ role, awaiting, empty }: { role: "learner" | "coach"; awaiting?: boolean; empty: string }) {
  const threads = useQuery({
    queryKey: ["threads", role, awaiting],
    queryFn: () =>
      call(api.GET("/api/v1/threads", { params: { query: { role, awaiting_feedback: awaiting, limit: 50 } } })),
    refetchInterval: 30_000,
  });
  const learners = useLearnerNames(role === "coach");
  if (threads.isLoading) return <Loading what="Loading threads" />;
  if (threads.error) return <ErrorNote error={threads.error} retry={() => threads.refetch()} />;
  const items: Thread[] = threads.data?.items ?? [];
  if (items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <ul className="list">
      {items.map((t) => (
        <li key={t.id}>
          <Link to={`/threads/${t.id}`}>{t.exercise.title}</Link>
          {role === "coach" && <span> · {learners.get(t.learner_id) ?? "a learner"}</span>}
          <span className="muted"> · {relativeTime(t.last_activity_at)}</span>
          {t.status === "archived" && <span className="badge">archived</span>}
          {t.awaiting_feedback && <span className="badge badge-processing">awaiting feedback</span>}
        </li>
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
