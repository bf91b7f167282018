import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { type Notification } from "../../api/client";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { relativeTime } from "../../lib/time";
import { markRead, notificationKeys, notificationsQuery } from "./api";
import { usePageTitle } from "../../lib/title";

function describe(n: Notification): { text: string; href?: string } {
  const p = n.payload as Record<string, string | undefined>;
  const thread = p.thread_id ? `/threads/${p.thread_id}` : undefined;
  switch (n.kind) {
    case "feedback":
      return { text: `${p.author_name ?? "Your coach"} left feedback${p.exercise_title ? ` on ${p.exercise_title}` : ""}`, href: thread };
    case "learner_comment":
      return { text: `${p.author_name ?? "A learner"} commented${p.exercise_title ? ` on ${p.exercise_title}` : ""}`, href: thread };
    case "attempt":
      return { text: `New attempt${p.exercise_title ? ` at ${p.exercise_title}` : ""}${p.learner_name ? ` from ${p.learner_name}` : ""}`, href: thread };
    case "invite_accepted":
      return { text: `${p.learner_name ?? "A learner"} accepted your invite`, href: "/coach" };
  }
}

export function Notifications() {
  usePageTitle("Notifications");
  const client = useQueryClient();
  const list = useQuery(notificationsQuery());
  const read = useMutation({
    mutationFn: markRead,
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
  return (
    <section aria-labelledby="notifications-title">
      <div className="row spread">
        <h1 id="notifications-title">Notifications</h1>
        <button type="button" className="secondary" onClick={() => read.mutate(undefined)}>
          Mark all read
        </button>
      </div>
      {list.isLoading && <Loading />}
      <ErrorNote error={list.error ?? read.error} />
      {list.data?.items.length === 0 && <Empty>Nothing new. Feedback and new attempts show up here.</Empty>}
      <ul className="list">
        {list.data?.items.map((n) => {
          const { text, href } = describe(n);
          return (
            <li key={n.id} className={n.read_at ? "read" : "unread"}>
              {href ? (
                <Link to={href} onClick={() => !n.read_at && read.mutate([n.id])}>
                  {text}
                </Link>
              ) : (
                text
              )}
              <span className="muted"> · {relativeTime(n.created_at)}</span>
              {!n.read_at && (
                <button type="button" className="link" onClick={() => read.mutate([n.id])}>
                  Mark read
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
