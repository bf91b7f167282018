// Run a playlist: one exercise at a time with a timer; "done" records it in a practice session.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { api, call } from "../../api/client";
import { ErrorNote, Loading } from "../../components/ui";
import { formatDuration } from "../../lib/time";

export function PlaylistRun() {
  const { playlistId = "" } = useParams();
  const client = useQueryClient();
  const playlist = useQuery({
    queryKey: ["playlist", playlistId],
    queryFn: () => call(api.GET("/api/v1/playlists/{playlist_id}", { params: { path: { playlist_id: playlistId } } })),
  });
  const exercises = useQuery({ queryKey: ["exercises", "picker"], queryFn: () => call(api.GET("/api/v1/exercises", { params: { query: { limit: 100 } } })) });
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [index, setIndex] = useState(0);
  const [started, setStarted] = useState<number | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [finished, setFinished] = useState(false);

  useEffect(() => {
    if (started === null) return;
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 250);
    return () => clearInterval(timer);
  }, [started]);

  const begin = useMutation({
    mutationFn: () => call(api.POST("/api/v1/sessions", { body: { playlist_id: playlistId } })),
    onSuccess: (s) => {
      setSessionId(s.id);
      setStarted(Date.now());
    },
  });
  const done = useMutation({
    mutationFn: async () => {
      const item = playlist.data!.items[index];
      await call(
        api.POST("/api/v1/sessions/{session_id}/items", {
          params: { path: { session_id: sessionId! } },
          body: { playlist_item_id: item.id, sets_done: item.sets, reps_done: item.reps, duration_s: elapsed },
        }),
      );
      if (index + 1 >= playlist.data!.items.length) {
        await call(api.PATCH("/api/v1/sessions/{session_id}", { params: { path: { session_id: sessionId! } }, body: { ended_at: new Date().toISOString() } }));
        return true;
      }
      return false;
    },
    onSuccess: (last) => {
      if (last) {
        setFinished(true);
        setStarted(null);
        void client.invalidateQueries({ queryKey: ["progress"] });
      } else {
        setIndex(index + 1);
        setStarted(Date.now());
        setElapsed(0);
      }
    },
  });

  if (playlist.isLoading) return <Loading />;
  if (!playlist.data) return <ErrorNote error={playlist.error} />;
  const p = playlist.data;
  const titles = new Map(exercises.data?.items.map((e) => [e.id, e.title]));
  if (finished)
    return (
      <section className="card narrow run">
        <h1>Done — well practised!</h1>
        <p>{p.items.length} exercises recorded in your progress.</p>
        <Link className="button" to="/progress">
          See your progress
        </Link>
      </section>
    );
  const item = p.items[index];
  return (
    <section className="card narrow run" aria-labelledby="run-title">
      <h1 id="run-title">{p.title}</h1>
      {!sessionId ? (
        <>
          <p>{p.items.length} exercises. The timer runs for each; mark it done when you finish.</p>
          <button type="button" onClick={() => begin.mutate()} disabled={begin.isPending || p.items.length === 0}>
            Start
          </button>
        </>
      ) : (
        <>
          <p className="muted">
            {index + 1} of {p.items.length}
          </p>
          <h2 data-testid="run-exercise">{titles.get(item.exercise_id) ?? "Exercise"}</h2>
          <p>
            {[item.sets && `${item.sets} sets`, item.reps && `${item.reps} reps`, item.duration_s && `${item.duration_s} s`, item.rest_s && `rest ${item.rest_s} s`]
              .filter(Boolean)
              .join(" · ")}
          </p>
          <p className="timer" aria-live="off" data-testid="timer">
            {formatDuration(elapsed)}
          </p>
          <button type="button" onClick={() => done.mutate()} disabled={done.isPending}>
            Mark done
          </button>
        </>
      )}
      <ErrorNote error={begin.error ?? done.error} />
    </section>
  );
}
