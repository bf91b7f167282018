// What happened, in context: which exercise, which moment, a snippet; a click opens the
// attempt (or the reference video) at that moment.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import type { Notification } from "../../api/client";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { formatMs, relativeTime } from "../../lib/time";
import { usePageTitle } from "../../lib/title";
import { markRead, notificationKeys, notificationsQuery } from "./api";

interface Described {
  text: string;
  href?: string;
  snippet?: string | null;
}

/** The review screen at the moment a comment points at (?t= in ms), or the thread. */
export function linkOf(n: Notification): string | undefined {
  if (!n.thread_id) return undefined;
  const thread = `/threads/${n.thread_id}`;
  if (n.kind === "attempt") return n.attempt_id ? `${thread}/review/${n.attempt_id}` : thread;
  if (!n.video_id) return thread;
  const at = n.t_ms != null ? `?t=${n.t_ms}` : "";
  return `${thread}/review/${n.attempt_id ?? "reference"}${at}`;
}

function describe(n: Notification): Described {
  const on = n.exercise_title ? ` on ${n.exercise_title}` : "";
  const at = n.t_ms != null ? ` at ${formatMs(n.t_ms)}` : "";
  const where = n.kind !== "attempt" && !n.attempt_id && n.video_id ? " (reference video)" : "";
  switch (n.kind) {
    case "feedback":
      return { text: `${n.actor_name ?? "Your coach"} left feedback${on}${at}${where}`, href: linkOf(n), snippet: n.snippet };
    case "learner_comment":
      return { text: `${n.actor_name ?? "A learner"} commented${on}${at}${where}`, href: linkOf(n), snippet: n.snippet };
    case "attempt":
      return {
        text: `New attempt${n.exercise_title ? ` at ${n.exercise_title}` : ""}${n.actor_name ? ` from ${n.actor_name}` : ""}`,
        href: linkOf(n),
        snippet: n.snippet,
      };
    case "invite_accepted":
      return { text: `${n.actor_name ?? "A learner"} accepted your invite`, href: "/coach" };
  }
}

export function Notifications() {
  usePageTitle("Notifications");
  const client = useQueryClient();
  const list = useQuery(notificationsQuery());
  const read = useMutation({
    mutationFn: (ids?: string[]) => markRead(ids),
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
      <ul className="list notifications">
        {list.data?.items.map((n) => {
          const { text, href, snippet } = describe(n);
          return (
            <li key={n.id} className={n.read_at ? "read" : "unread"}>
              <div>
                {href ? (
                  <Link to={href} onClick={() => !n.read_at && read.mutate([n.id])}>
                    {text}
                  </Link>
                ) : (
                  text
                )}
                <span className="muted"> · {relativeTime(n.created_at)}</span>
              </div>
              {snippet && <q className="snippet muted">{snippet}</q>}
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
