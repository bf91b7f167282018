// The coach's learners (linked through accepted invites), with a way to part ways.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, call } from "../../api/client";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { relativeTime } from "../../lib/time";
import { useLinks } from "./useLearnerNames";

export function Learners() {
  const client = useQueryClient();
  const links = useLinks("coach");
  const unlink = useMutation({
    mutationFn: (id: string) => call(api.DELETE("/api/v1/links/{link_id}", { params: { path: { link_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["links"] }),
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
