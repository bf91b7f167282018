// The coach's inbox: threads whose learner waits for an answer, waiting longest first by
// default, filtered by exercise or learner; "Mark reviewed" clears one without a comment.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { useLearnerNames } from "../coach/useLearnerNames";
import { markReviewed, type ThreadFilters, threadKeys, threadsQuery } from "./api";
import { ThreadRow } from "./ThreadList";

export function Inbox() {
  const client = useQueryClient();
  const [sort, setSort] = useState<"waiting" | "recent">("waiting");
  const [exercise, setExercise] = useState("");
  const [learner, setLearner] = useState("");
  const filters: ThreadFilters = {
    role: "coach",
    awaiting_feedback: true,
    sort,
    exercise_id: exercise || undefined,
    learner_id: learner || undefined,
  };
  const inbox = useQuery(threadsQuery(filters));
  // The choices come from every thread the coach has, so a filter never empties its own list.
  const all = useQuery(threadsQuery({ role: "coach" }));
  const learners = useLearnerNames();
  const reviewed = useMutation({
    mutationFn: markReviewed,
    onSuccess: () => client.invalidateQueries({ queryKey: threadKeys.all }),
  });
  const exercises = new Map((all.data?.items ?? []).map((t) => [t.exercise.id, t.exercise.title]));
  const learnerIds = [...new Set((all.data?.items ?? []).map((t) => t.learner_id))];
  const items = inbox.data?.items ?? [];
  return (
    <div>
      <div className="inbox-tools">
        <select aria-label="Sort" value={sort} onChange={(e) => setSort(e.target.value as "waiting" | "recent")}>
          <option value="waiting">Waiting longest first</option>
          <option value="recent">Most recent first</option>
        </select>
        <select aria-label="Exercise" value={exercise} onChange={(e) => setExercise(e.target.value)}>
          <option value="">Every exercise</option>
          {[...exercises].map(([id, title]) => (
            <option key={id} value={id}>
              {title}
            </option>
          ))}
        </select>
        <select aria-label="Learner" value={learner} onChange={(e) => setLearner(e.target.value)}>
          <option value="">Every learner</option>
          {learnerIds.map((id) => (
            <option key={id} value={id}>
              {learners.get(id) ?? "A learner"}
            </option>
          ))}
        </select>
      </div>
      {inbox.isLoading && <Loading what="Loading the inbox" />}
      <ErrorNote error={inbox.error ?? reviewed.error} retry={inbox.error ? () => inbox.refetch() : undefined} />
      {!inbox.isLoading && items.length === 0 && <Empty>Nothing waiting. New attempts from your learners show up here.</Empty>}
      <ul className="list thread-rows" data-testid="inbox">
        {items.map((t) => (
          <ThreadRow
            key={t.id}
            thread={t}
            learner={<Link to={`/coach/learners/${t.learner_id}`}>{learners.get(t.learner_id) ?? "a learner"}</Link>}
            actions={
              <div className="row">
                <button
                  type="button"
                  className="secondary small"
                  disabled={reviewed.isPending}
                  onClick={() => reviewed.mutate(t.id)}
                >
                  Mark reviewed
                </button>
              </div>
            }
          />
        ))}
      </ul>
    </div>
  );
}
