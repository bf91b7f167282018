// The video review screen: an attempt with its time-coded feedback.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { api, call, type Comment, type Drawing } from "../../api/client";
import { ErrorNote, Loading } from "../../components/ui";
import { usePlayback, useVideo } from "../../lib/media";
import { formatMs } from "../../lib/time";
import { frameStep, type Range, type SpriteIndex } from "../../lib/timeline";
import { DrawingLayer } from "./DrawingLayer";
import { Timeline } from "./Timeline";

const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2];
const KINDS = ["correction", "cue", "question", "encouragement", "progress"] as const;
type Kind = (typeof KINDS)[number];

/** Comments of one video, polled with `since` so new replies appear by themselves. */
function useComments(threadId: string, videoId: string | undefined) {
  const client = useQueryClient();
  const since = useRef<string | null>(null);
  return useQuery({
    queryKey: ["comments", threadId, videoId],
    enabled: !!videoId,
    refetchInterval: 5000,
    queryFn: async () => {
      const previous = client.getQueryData<Comment[]>(["comments", threadId, videoId]) ?? [];
      const page = await call(
        api.GET("/api/v1/threads/{thread_id}/comments", {
          params: { path: { thread_id: threadId }, query: { video_id: videoId, since: since.current ?? undefined, limit: 100 } },
        }),
      );
      since.current = page.server_time;
      const byId = new Map(previous.map((c) => [c.id, c]));
      // openapi-fetch widens tuples ([x, y] points) to arrays in responses; same data.
      for (const c of page.items as Comment[]) byId.set(c.id, c);
      return [...byId.values()].sort((a, b) => a.t_start_ms - b.t_start_ms || a.created_at.localeCompare(b.created_at));
    },
  });
}

export function Review() {
  const { threadId = "", attemptId = "" } = useParams();
  const client = useQueryClient();
  const thread = useQuery({
    queryKey: ["thread", threadId],
    queryFn: () => call(api.GET("/api/v1/threads/{thread_id}", { params: { path: { thread_id: threadId } } })),
  });
  const attempt = useQuery({
    queryKey: ["attempt", attemptId],
    queryFn: () => call(api.GET("/api/v1/attempts/{attempt_id}", { params: { path: { attempt_id: attemptId } } })),
  });
  const videoId = attempt.data?.video.id;
  const video = useVideo(videoId);
  const playback = usePlayback(videoId, video.data?.status === "ready");
  const referenceId = thread.data?.exercise.reference_video_id ?? null;
  const referencePlayback = usePlayback(referenceId, !!referenceId);
  const comments = useComments(threadId, videoId);

  const player = useRef<HTMLVideoElement>(null);
  const reference = useRef<HTMLVideoElement>(null);
  const [current, setCurrent] = useState(0);
  const [duration, setDuration] = useState(0);
  const [speed, setSpeed] = useState(1);
  const [selection, setSelection] = useState<Range | null>(null);
  const [loop, setLoop] = useState(false);
  const [compare, setCompare] = useState(false);
  const [drawing, setDrawing] = useState<Drawing | null>(null);
  const [drawMode, setDrawMode] = useState(false);
  const [shown, setShown] = useState<Comment | null>(null);
  const [body, setBody] = useState("");
  const [kind, setKind] = useState<Kind>("correction");
  const [replyTo, setReplyTo] = useState<Comment | null>(null);

  const seek = useCallback((ms: number) => {
    const v = player.current;
    if (!v) return;
    v.currentTime = ms / 1000;
    setCurrent(ms);
    if (reference.current) reference.current.currentTime = Math.min(ms / 1000, reference.current.duration || ms / 1000);
  }, []);

  // Loop the selected range while looping is on.
  useEffect(() => {
    const v = player.current;
    if (!v || !loop || !selection || selection.end <= selection.start) return;
    const onTime = () => {
      if (v.currentTime * 1000 >= selection.end) v.currentTime = selection.start / 1000;
    };
    v.addEventListener("timeupdate", onTime);
    return () => v.removeEventListener("timeupdate", onTime);
  }, [loop, selection]);

  // The reference follows the attempt: play, pause and rate (synced compare).
  useEffect(() => {
    const v = player.current;
    const r = reference.current;
    if (!v || !r || !compare) return;
    const sync = () => {
      r.playbackRate = v.playbackRate;
      if (Math.abs(r.currentTime - v.currentTime) > 0.25) r.currentTime = Math.min(v.currentTime, r.duration || v.currentTime);
      if (v.paused !== r.paused) void (v.paused ? r.pause() : r.play().catch(() => undefined));
    };
    const events = ["play", "pause", "seeked", "ratechange"];
    events.forEach((e) => v.addEventListener(e, sync));
    return () => events.forEach((e) => v.removeEventListener(e, sync));
  }, [compare, referencePlayback.data]);

  const post = useMutation({
    mutationFn: () => {
      const range = selection ?? { start: Math.round(current), end: Math.round(current) };
      return call(
        api.POST("/api/v1/threads/{thread_id}/comments", {
          params: { path: { thread_id: threadId } },
          body: {
            video_id: videoId!,
            t_start_ms: range.start,
            t_end_ms: range.end,
            body: body.trim(),
            kind,
            reply_to_id: replyTo?.id ?? null,
            drawing: drawing && drawing.shapes.length ? { ...drawing, frame_ms: range.start } : null,
          },
        }),
      );
    },
    onSuccess: (comment) => {
      // Only now is the text cleared: a failed post keeps it in the box.
      setBody("");
      setDrawing(null);
      setDrawMode(false);
      setReplyTo(null);
      client.setQueryData<Comment[]>(["comments", threadId, videoId], (old) =>
        [...(old ?? []), comment as Comment].sort((a, b) => a.t_start_ms - b.t_start_ms),
      );
    },
  });

  const sprite = useMemo(
    () =>
      playback.data
        ? { url: playback.data.sprite_url, index: playback.data.sprite_index as unknown as SpriteIndex }
        : undefined,
    [playback.data],
  );

  if (thread.isLoading || attempt.isLoading) return <Loading />;
  if (!attempt.data || !thread.data) return <ErrorNote error={attempt.error ?? thread.error} />;
  const fps = video.data?.fps;
  const pause = () => player.current?.pause();

  return (
    <section className="review" aria-labelledby="review-title">
      <div className="row spread">
        <h1 id="review-title">
          <Link to={`/threads/${threadId}`}>{thread.data.exercise.title}</Link> · attempt of{" "}
          {new Date(attempt.data.created_at).toLocaleDateString()}
        </h1>
        {referenceId && (
          <label className="toggle">
            <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} /> Compare with the
            reference
          </label>
        )}
      </div>
      {!playback.data ? (
        <Loading what="Loading the video" />
      ) : (
        <div className={compare ? "stage compare" : "stage"}>
          <div className="frame">
            <video
              ref={player}
              data-testid="player"
              src={playback.data.rendition_url}
              poster={playback.data.poster_url}
              playsInline
              preload="auto"
              onTimeUpdate={(e) => setCurrent(e.currentTarget.currentTime * 1000)}
              onLoadedMetadata={(e) => setDuration(e.currentTarget.duration * 1000 || video.data?.duration_ms || 0)}
              onClick={(e) => (e.currentTarget.paused ? void e.currentTarget.play() : e.currentTarget.pause())}
            />
            {(drawMode || shown?.drawing) && (
              <DrawingLayer drawing={drawMode ? drawing : (shown?.drawing ?? null)} editable={drawMode} onChange={setDrawing} />
            )}
          </div>
          {compare && referencePlayback.data && (
            <div className="frame">
              <video ref={reference} src={referencePlayback.data.rendition_url} playsInline muted preload="auto" aria-label="Reference video" />
            </div>
          )}
        </div>
      )}
      <div className="controls row wrap" role="toolbar" aria-label="Playback">
        <button type="button" onClick={() => (player.current?.paused ? void player.current.play() : pause())}>
          Play / pause
        </button>
        <button type="button" aria-label="Previous frame" onClick={() => { pause(); seek(frameStep(current, fps, -1)); }}>
          ◀ frame
        </button>
        <button type="button" aria-label="Next frame" onClick={() => { pause(); seek(frameStep(current, fps, 1)); }}>
          frame ▶
        </button>
        <label>
          Speed{" "}
          <select
            value={speed}
            onChange={(e) => {
              const s = Number(e.target.value);
              setSpeed(s);
              if (player.current) player.current.playbackRate = s;
            }}
          >
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <label className="toggle">
          <input type="checkbox" checked={loop} disabled={!selection || selection.end <= selection.start} onChange={(e) => setLoop(e.target.checked)} />{" "}
          Loop the selection
        </label>
        <span className="muted" data-testid="current-time">
          {formatMs(current)}
        </span>
      </div>
      <Timeline
        duration={duration || video.data?.duration_ms || 0}
        current={current}
        comments={comments.data ?? []}
        selection={selection}
        sprite={sprite}
        activeId={shown?.id}
        onSelect={setSelection}
        onSeek={seek}
        onPick={(c) => {
          pause();
          seek(c.t_start_ms);
          setShown(c);
          setSelection({ start: c.t_start_ms, end: c.t_end_ms });
        }}
      />
      <div className="columns">
        <form
          className="card comment-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) post.mutate();
          }}
        >
          <h2>
            {replyTo ? `Reply to ${replyTo.author.display_name}` : "Comment"}{" "}
            <span className="muted small">
              at {selection ? `${formatMs(selection.start)}–${formatMs(selection.end)}` : formatMs(current)}
            </span>
          </h2>
          <p className="muted small">Drag on the timeline to pick a range; otherwise the comment marks the current moment.</p>
          <div className="row wrap">
            <select aria-label="Kind of comment" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                pause();
                setShown(null);
                setDrawMode(!drawMode);
              }}
            >
              {drawMode ? "Stop drawing" : "Draw on the frame"}
            </button>
            {drawing && (
              <button type="button" className="link" onClick={() => setDrawing(null)}>
                Clear drawing ({drawing.shapes.length})
              </button>
            )}
            {replyTo && (
              <button type="button" className="link" onClick={() => setReplyTo(null)}>
                Not a reply
              </button>
            )}
          </div>
          <textarea aria-label="Comment" rows={3} maxLength={5000} value={body} onChange={(e) => setBody(e.target.value)} placeholder="Knees track over the toes here…" />
          <ErrorNote error={post.error} />
          <button type="submit" disabled={post.isPending || !body.trim()}>
            {post.isPending ? "Posting…" : "Post comment"}
          </button>
        </form>
        <div className="card">
          <h2>Feedback on this attempt</h2>
          {comments.isLoading && <Loading what="Loading comments" />}
          <ErrorNote error={comments.error} />
          {comments.data?.length === 0 && <p className="muted">No comments yet.</p>}
          <ol className="comments" data-testid="comments">
            {comments.data?.map((c) => (
              <li key={c.id} className={c.id === shown?.id ? "active" : ""}>
                <button
                  type="button"
                  className="link time"
                  onClick={() => {
                    pause();
                    seek(c.t_start_ms);
                    setShown(c);
                    setSelection({ start: c.t_start_ms, end: c.t_end_ms });
                  }}
                >
                  {formatMs(c.t_start_ms)}
                  {c.t_end_ms > c.t_start_ms ? `–${formatMs(c.t_end_ms)}` : ""}
                </button>{" "}
                <strong>{c.author.display_name}</strong> {c.kind && <span className={`badge kind-${c.kind}`}>{c.kind}</span>}
                {c.drawing && <span className="badge">drawing</span>}
                <p>{c.deleted_at ? <em className="muted">deleted</em> : c.body}</p>
                {!c.deleted_at && (
                  <button
                    type="button"
                    className="link small"
                    onClick={() => {
                      setReplyTo(c);
                      seek(c.t_start_ms);
                    }}
                  >
                    Reply
                  </button>
                )}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}
