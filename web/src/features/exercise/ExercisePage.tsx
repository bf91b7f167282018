import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/errors";
import { ErrorNote, Loading, VideoStatus } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { Markdown } from "../../lib/markdown";
import { usePlayback, useVideo } from "../../lib/media";
import { categoryLabel, difficultyLabel } from "../../lib/labels";
import { usePageTitle } from "../../lib/title";
import { libraryKeys } from "../library/api";
import { useLearnerNames } from "../coach/useLearnerNames";
import { threadsQuery } from "../threads/api";
import { ThreadRow } from "../threads/ThreadList";
import { exerciseKeys, exerciseQuery, publishExercise } from "./api";

/** Who practises this exercise (its author sees their learners' threads; a learner their
 * own), each with the newest attempt's poster. Nothing shows while there is none. */
function PractiseThreads({ exerciseId, role }: { exerciseId: string; role: "coach" | "learner" }) {
  const threads = useQuery(threadsQuery({ role, exercise_id: exerciseId }));
  const learners = useLearnerNames(role === "coach");
  const items = threads.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="practising-title">
      <h2 id="practising-title">{role === "coach" ? "Learners practising this" : "Your practice"}</h2>
      <ul className="list thread-rows" data-testid="exercise-threads">
        {items.map((t) => (
          <ThreadRow
            key={t.id}
            thread={t}
            learner={role === "coach" ? <Link to={`/coach/learners/${t.learner_id}`}>{learners.get(t.learner_id) ?? "a learner"}</Link> : undefined}
          />
        ))}
      </ul>
    </section>
  );
}

const VISIBILITY_WORDS = { public: "Everyone", link: "People with the link", private: "The coach’s learners" } as const;

export function ExercisePage() {
  const { exerciseId = "" } = useParams();
  const { me } = useAuth();
  const navigate = useNavigate();
  const client = useQueryClient();
  const exercise = useQuery(exerciseQuery(exerciseId));
  const notFound = exercise.error instanceof ApiError && exercise.error.status === 404;
  usePageTitle(exercise.data?.title ?? (notFound ? "Not found" : undefined));
  const publish = useMutation({
    mutationFn: () => publishExercise(exerciseId),
    onSuccess: (ex) => {
      client.setQueryData(exerciseKeys.one(ex.id), ex);
      void client.invalidateQueries({ queryKey: libraryKeys.all });
    },
  });
  const video = useVideo(exercise.data?.reference_video_id);
  const playback = usePlayback(exercise.data?.reference_video_id, video.data?.status === "ready");
  const practise = useMutation({
    mutationFn: async () => {
      try {
        return await call(api.POST("/api/v1/threads", { body: { exercise_id: exerciseId } }));
      } catch (error) {
        // Already practising it: open the existing thread.
        if (error instanceof ApiError && error.code === "thread_exists") {
          const details = error.details as { thread_id?: string } | undefined;
          if (details?.thread_id) return { id: details.thread_id };
          const mine = await call(api.GET("/api/v1/threads", { params: { query: { exercise_id: exerciseId, role: "learner" } } }));
          if (mine.items[0]) return mine.items[0];
        }
        throw error;
      }
    },
    onSuccess: (thread) => navigate(`/threads/${thread.id}`),
  });
  if (exercise.isLoading) return <Loading />;
  if (notFound)
    return (
      <section className="card narrow" aria-labelledby="missing-title">
        <h1 id="missing-title">Exercise not found</h1>
        <p>It may have been deleted, or it is not shared with you.</p>
        <Link to="/">Back to the library</Link>
      </section>
    );
  if (!exercise.data) return <ErrorNote error={exercise.error} retry={() => exercise.refetch()} />;
  const ex = exercise.data;
  const mine = me?.id === ex.author_id;
  return (
    <article className="exercise">
      <div className="row spread">
        <h1>{ex.title}</h1>
        <div className="row">
          {mine && (
            <Link className="button secondary" to={`/exercises/${ex.id}/edit`}>
              Edit
            </Link>
          )}
          {mine && !ex.published_at && (
            <button type="button" onClick={() => publish.mutate()} disabled={publish.isPending || video.data?.status !== "ready"}>
              {publish.isPending ? "Publishing…" : "Publish"}
            </button>
          )}
          {!mine && me && (
            <button type="button" onClick={() => practise.mutate()} disabled={practise.isPending}>
              Practise this
            </button>
          )}
          {!me && (
            <Link className="button" to="/signin" state={{ from: `/exercises/${ex.id}` }}>
              Sign in to practise
            </Link>
          )}
        </div>
      </div>
      <p className="muted">
        {!ex.published_at && <span className="badge draft">Draft</span>} {categoryLabel(ex.category)} ·{" "}
        {difficultyLabel(ex.difficulty)} · {VISIBILITY_WORDS[ex.visibility]} · by {ex.author.display_name}
      </p>
      {mine && !ex.published_at && (
        <p className="notice" data-testid="draft-note">
          Only you can see this draft.{" "}
          {video.data?.status === "ready"
            ? "Publish it to share it with your learners."
            : "Publishing needs a reference video that has finished processing."}
        </p>
      )}
      <ErrorNote error={practise.error ?? publish.error} />
      {ex.reference_video_id ? (
        video.data && video.data.status !== "ready" ? (
          <VideoStatus video={video.data} />
        ) : playback.data ? (
          <video className="player" controls playsInline preload="metadata" poster={playback.data.poster_url} src={playback.data.rendition_url} aria-label="Reference video" />
        ) : (
          <Loading what="Loading the video" />
        )
      ) : (
        <p className="muted">No reference video yet.</p>
      )}
      <Markdown className="description" text={ex.description} />
      <div className="tags">
        {ex.tags.map((t) => (
          <Link key={t} className="chip" to={`/?tag=${encodeURIComponent(t)}`}>
            #{t}
          </Link>
        ))}
      </div>
      {me && <PractiseThreads exerciseId={ex.id} role={mine ? "coach" : "learner"} />}
    </article>
  );
}
