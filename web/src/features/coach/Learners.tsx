// The coach's learners (linked through accepted invites), with a way to part ways.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { relativeTime } from "../../lib/time";
import { coachKeys, unlink as unlinkLearner } from "./api";
import { useLinks } from "./useLearnerNames";

export function Learners() {
  const client = useQueryClient();
  const links = useLinks("coach");
  const unlink = useMutation({
    mutationFn: unlinkLearner,
    onSuccess: () => client.invalidateQueries({ queryKey: coachKeys.links }),
  });
  return (
    <div>
      <h2>My learners</h2>
      {links.isLoading && <Loading what="Loading learners" />}
      <ErrorNote error={links.error ?? unlink.error} />
      {links.data?.items.length === 0 && <Empty>No learners yet: create an invite and share it.</Empty>}
      <ul className="list">
        {links.data?.items.map((l) => (
          <li key={l.id}>
            <Link to={`/coach/learners/${l.learner.id}`}>
              <strong>{l.learner.display_name}</strong>
            </Link> <span className="muted small">since {relativeTime(l.created_at)}</span>{" "}
            <button
              type="button"
              className="link small"
              onClick={() => window.confirm(`Stop coaching ${l.learner.display_name}?`) && unlink.mutate(l.id)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
