// Run a playlist: one exercise at a time with a timer and rests; "Mark done" records the
// item in a practice session, and finishing records effort (RPE) and notes.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { api, call } from "../../api/client";
import { ErrorNote, Field, Loading } from "../../components/ui";
import { formatDuration } from "../../lib/time";
import { plural } from "../../lib/labels";
import { usePlayback, useVideo } from "../../lib/media";
import { signalEnd } from "../../lib/signal";
import { exerciseQuery } from "../exercise/api";
import { prescription, resumeAt, step, timeLeft, type RunEvent, type RunState } from "./runSteps";
import { Thumbnail } from "../../components/Thumbnail";
import { progressKeys } from "../progress/api";
import { openRunQuery, playlistQuery, sessionKeys } from "./api";

/** The exercise's reference video, playing (muted, looped) while it is worked. */
function ReferenceVideo({ exerciseId }: { exerciseId: string }) {
  const exercise = useQuery(exerciseQuery(exerciseId));
  const videoId = exercise.data?.reference_video_id;
  const video = useVideo(videoId);
  const playback = usePlayback(videoId, video.data?.status === "ready");
  if (!playback.data) return null;
  return (
    <video
      className="player run-video"
      data-testid="run-video"
      autoPlay
      muted
      loop
      playsInline
      controls
      poster={playback.data.poster_url}
      src={playback.data.rendition_url}
      aria-label="Reference video"
    />
  );
}
import { usePageTitle } from "../../lib/title";

/** Re-renders every quarter second while `on`, for timers. */
function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [on]);
  return now;
}

export function PlaylistRun() {
  const { playlistId = "" } = useParams();
  const client = useQueryClient();
  const playlist = useQuery(playlistQuery(playlistId));
  usePageTitle(playlist.data ? `Run: ${playlist.data.title}` : undefined);
  const items = playlist.data?.items ?? [];
  const [run, setRun] = useState<RunState>({ phase: "ready" });
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [recorded, setRecorded] = useState(0);
  const [sets, setSets] = useState("");
  const [reps, setReps] = useState("");
  const [rpe, setRpe] = useState(6);
  const [notes, setNotes] = useState("");
  const [ended, setEnded] = useState(false);
  const now = useNow(run.phase === "work" || run.phase === "rest");
  const dispatch = (event: RunEvent) => setRun((s) => step(items, s, event));
  const open = useQuery({ ...openRunQuery(playlistId), enabled: run.phase === "ready" && !sessionId });
  const left = timeLeft(run.phase === "work" ? items[run.index] : undefined, run, now);

  // A timed item's end (and a rest's) is signalled once: a beep and a buzz where allowed.
  const signalled = useRef<string | null>(null);
  useEffect(() => {
    const key = run.phase === "work" ? `work:${run.index}:${run.since}` : null;
    if (key && left === 0 && signalled.current !== key) {
      signalled.current = key;
      signalEnd();
    }
  }, [left, run]);

  // A new item starts with its prescribed sets and reps filled in.
  const index = run.phase === "work" || run.phase === "rest" ? run.index : -1;
  useEffect(() => {
    const item = items[index];
    if (!item) return;
    setSets(item.sets?.toString() ?? "");
    setReps(item.reps?.toString() ?? "");
    // Only when the item changes: later edits by the person must stay.
  }, [index]);

  // The rest ends by itself.
  useEffect(() => {
    if (run.phase === "rest" && now >= run.until) dispatch({ type: "restOver", now });
  });

  const begin = useMutation({
    mutationFn: () => call(api.POST("/api/v1/sessions", { body: { playlist_id: playlistId } })),
    onSuccess: (s) => {
      setSessionId(s.id);
      dispatch({ type: "start", now: Date.now() });
    },
  });
  /** Go on with the abandoned run: same session, from the first item it has not recorded. */
  const resume = () => {
    const s = open.data;
    if (!s) return;
    setSessionId(s.id);
    setRecorded(s.items.length);
    dispatch({ type: "start", now: Date.now(), at: resumeAt(items, s.items) });
  };
  const done = useMutation({
    mutationFn: async () => {
      if (run.phase !== "work") return;
      const item = items[run.index];
      const number = (text: string) => (text.trim() === "" ? null : Math.max(0, Math.round(Number(text))));
      await call(
        api.POST("/api/v1/sessions/{session_id}/items", {
          params: { path: { session_id: sessionId! } },
          body: {
            playlist_item_id: item.id,
            sets_done: number(sets),
            reps_done: number(reps),
            duration_s: Math.round((Date.now() - run.since) / 1000),
          },
        }),
      );
    },
    // Only a recorded item moves on; a failure keeps the person on it to try again.
    onSuccess: () => {
      setRecorded((n) => n + 1);
      dispatch({ type: "next", now: Date.now() });
    },
  });
  const finish = useMutation({
    mutationFn: () =>
      call(
        api.PATCH("/api/v1/sessions/{session_id}", {
          params: { path: { session_id: sessionId! } },
          // No notes: leave the field out (null means nothing to the API).
          body: { ended_at: new Date().toISOString(), rpe, ...(notes.trim() ? { notes: notes.trim() } : {}) },
        }),
      ),
    onSuccess: () => {
      setEnded(true);
      void client.invalidateQueries({ queryKey: progressKeys.all });
      void client.invalidateQueries({ queryKey: sessionKeys.openRun(playlistId) });
    },
  });

  if (playlist.isLoading) return <Loading />;
  if (!playlist.data) return <ErrorNote error={playlist.error} retry={() => playlist.refetch()} />;
  const p = playlist.data;

  if (ended)
    return (
      <section className="card narrow run" aria-labelledby="run-title">
        <h1 id="run-title">Done — well practised!</h1>
        <p>
          {recorded} of {items.length} exercises recorded in your progress.
        </p>
        <Link className="button" to="/progress">
          See your progress
        </Link>
      </section>
    );

  return (
    <section className="card narrow run" aria-labelledby="run-title">
      <h1 id="run-title">{p.title}</h1>
      {run.phase === "ready" && (
        <>
          <p>
            {plural(items.length, "exercise")}. The timer runs for each; mark it done when you finish, or skip it.
          </p>
          {open.data && (
            <div className="notice" data-testid="resume-note">
              <p>
                You left this run unfinished {new Date(open.data.started_at).toLocaleString()} with{" "}
                {plural(open.data.items.length, "exercise")} recorded.
              </p>
              <button type="button" onClick={resume}>
                Resume
              </button>
            </div>
          )}
          <ol className="run-plan">
            {items.map((item) => (
              <li key={item.id}>
                <Thumbnail video={item.exercise?.reference_video} width={96} />
                <span>
                  {item.exercise?.title} <span className="muted small">{prescription(item)}</span>
                </span>
              </li>
            ))}
          </ol>
          <button type="button" className={open.data ? "secondary" : undefined} onClick={() => begin.mutate()} disabled={begin.isPending || items.length === 0}>
            {open.data ? "Start over" : "Start"}
          </button>
        </>
      )}
      {run.phase === "work" && (
        <>
          <p className="muted">
            {run.index + 1} of {items.length}
          </p>
          <h2 data-testid="run-exercise">{items[run.index].exercise?.title}</h2>
          <p>{prescription(items[run.index])}</p>
          {items[run.index].notes && <p className="muted">{items[run.index].notes}</p>}
          <ReferenceVideo key={items[run.index].exercise_id} exerciseId={items[run.index].exercise_id} />
          {left === null ? (
            <p className="timer" data-testid="timer" aria-live="off">
              {formatDuration((now - run.since) / 1000)}
            </p>
          ) : left > 0 ? (
            <p className="timer" data-testid="countdown" role="timer" aria-live="off">
              {formatDuration(Math.ceil(left))}
            </p>
          ) : (
            <p className="timer done" data-testid="countdown" role="alert">
              Time!
            </p>
          )}
          <div className="row wrap center">
            <Field label="Sets done">
              <input type="number" min={0} inputMode="numeric" value={sets} onChange={(e) => setSets(e.target.value)} />
            </Field>
            <Field label="Reps done">
              <input type="number" min={0} inputMode="numeric" value={reps} onChange={(e) => setReps(e.target.value)} />
            </Field>
          </div>
          <div className="row wrap center">
            <button type="button" onClick={() => done.mutate()} disabled={done.isPending}>
              {done.isPending ? "Saving…" : "Mark done"}
            </button>
            <button type="button" className="secondary" onClick={() => dispatch({ type: "next", now: Date.now() })}>
              Skip
            </button>
          </div>
        </>
      )}
      {run.phase === "rest" && (
        <>
          <p className="muted">Rest. Next: {items[run.index].exercise?.title}</p>
          <p className="timer" data-testid="rest" role="timer">
            {formatDuration(Math.max(0, (run.until - now) / 1000))}
          </p>
          <button type="button" onClick={() => dispatch({ type: "restOver", now: Date.now() })}>
            Skip the rest
          </button>
        </>
      )}
      {run.phase === "finish" && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            finish.mutate();
          }}
        >
          <h2>How hard was it?</h2>
          <Field label={`Effort (RPE): ${rpe} of 10`} hint="1 is easy, 10 is everything you had.">
            <input type="range" min={1} max={10} value={rpe} onChange={(e) => setRpe(Number(e.target.value))} />
          </Field>
          <Field label="Notes (optional)">
            <textarea rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </Field>
          <button type="submit" disabled={finish.isPending}>
            {finish.isPending ? "Saving…" : "Finish"}
          </button>
        </form>
      )}
      <ErrorNote error={begin.error ?? done.error ?? finish.error} />
    </section>
  );
}
