// The video review screen: an attempt (or the thread's reference video, at
// /threads/:id/review/reference) with its time-coded feedback — timeline marks, range
// selection, frame-accurate controls, side-by-side compare and drawings.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import type { Comment, Drawing, Video } from "../../api/client";
import { ErrorNote, Loading, VideoStatus } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { MovementPanel } from "../analysis/MovementPanel";
import { SkeletonOverlay } from "../analysis/SkeletonOverlay";
import { mapTime } from "../analysis/geometry";
import { useAlignedReference } from "../analysis/useAlignedReference";
import { useMovement } from "../analysis/useMovement";
import { usePlayback, useVideo } from "../../lib/media";
import { useStartAt } from "../../lib/startAt";
import { extendRange, frameStep, markIn, markOut, shuttle, type Range, type SpriteIndex } from "../../lib/timeline";
import { CommentForm, type DrawingControls } from "./CommentForm";
import { CommentList } from "./CommentList";
import { COLORS, drawingsAt, merged, type Tool } from "./drawing";
import { DrawingLayer } from "./DrawingLayer";
import { DrawingTools } from "./DrawingTools";
import { PlayerControls } from "./PlayerControls";
import { useRangeLoop, useRenewableSource, useReversePlayback, useReviewShortcuts, useSyncedReference } from "./playerHooks";
import "./review.css";
import { Timeline } from "./Timeline";
import { useComments } from "./useComments";
import { usePageTitle } from "../../lib/title";
import { attemptQuery, threadQuery } from "../threads/api";
import { ClipReply } from "./voiceover/ClipReply";
import { ExportLink } from "./voiceover/ExportLink";
import { useVoiceOverPlayback } from "./voiceover/useVoiceOverPlayback";
import { useVoiceOverRecorder } from "./voiceover/useVoiceOverRecorder";
import { VoiceOverPanel } from "./voiceover/VoiceOverPanel";
import "./voiceover/voiceover.css";
import { ComparedVideo } from "./compare/ComparedVideo";
import { ComparePanel } from "./compare/ComparePanel";
import { useCompare } from "./compare/useCompare";
import { StageBar } from "./StageBar";
import { MeasureLayer } from "./tools/MeasureLayer";
import { MeasureTools, PictureFacts } from "./tools/MeasureTools";
import { useMeasuring } from "./tools/useMeasuring";
import { ZoomBox } from "./zoom/ZoomBox";
import { IDENTITY } from "./zoom/zoom";

export const REFERENCE = "reference";

export function Review() {
  const { threadId = "", attemptId = "" } = useParams();
  const { me } = useAuth();
  const thread = useQuery(threadQuery(threadId));
  // Comments may also sit on the exercise's reference video, within this thread.
  const onReference = attemptId === REFERENCE;
  const attempt = useQuery({ ...attemptQuery(attemptId), enabled: !onReference });
  const referenceId = thread.data?.exercise.reference_video_id ?? null;
  const videoId = onReference ? (referenceId ?? undefined) : attempt.data?.video.id;
  const video = useVideo(videoId);
  const playback = usePlayback(videoId, video.data?.status === "ready");
  const referencePlayback = usePlayback(referenceId, !!referenceId && !onReference);
  const subject = onReference ? "reference video" : "attempt";
  usePageTitle(thread.data ? `Review: ${thread.data.exercise.title}` : undefined);
  const { comments, post, edit, remove } = useComments(threadId, videoId);
  const [suggestion, setSuggestion] = useState<{ text: string; key: number } | null>(null);
  const movement = useMovement(videoId, onReference ? null : referenceId);

  const player = useRef<HTMLVideoElement>(null);
  const reference = useRef<HTMLVideoElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const [current, setCurrent] = useState(0);
  const [duration, setDuration] = useState(0);
  const [aspect, setAspect] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [reverse, setReverse] = useState(0); // J's reverse shuttle speed (negative), 0 when off
  const [selection, setSelection] = useState<Range | null>(null);
  const [loop, setLoop] = useState(false);
  const [compare, setCompare] = useState(false);
  const [shown, setShown] = useState<Comment | null>(null);
  const [replyTo, setReplyTo] = useState<Comment | null>(null);
  const [drawing, setDrawing] = useState<Drawing | null>(null);
  const [drawMode, setDrawMode] = useState(false);
  const [tool, setTool] = useState<Tool>("freehand");
  const [color, setColor] = useState(COLORS[0]);
  const [showDrawings, setShowDrawings] = useState(true);
  // Voice-over reviews (voiceover/*): recording what the coach does, replaying it.
  const replay = useVoiceOverPlayback(player, video.data?.duration_ms ?? 0);
  const onScreen = useMemo(() => (drawMode ? (drawing?.shapes ?? []) : []), [drawMode, drawing]);
  const voiceOver = useVoiceOverRecorder({
    player,
    shapes: onScreen,
    threadId,
    videoId,
    onSaved: () => void comments.refetch(),
  });
  const [clip, setClip] = useState<Video | null>(null);
  const [zoom, setZoom] = useState(IDENTITY);
  const compared = useRef<HTMLVideoElement>(null);
  const lineUp = useCompare();

  const seek = useCallback((ms: number) => {
    const v = player.current;
    if (!v) return;
    v.currentTime = ms / 1000;
    setCurrent(ms);
  }, []);
  useStartAt(seek, duration > 0); // a notification's link opens at its comment's moment
  const pause = useCallback(() => {
    setReverse(0);
    player.current?.pause();
  }, []);
  const playPause = useCallback(() => {
    const v = player.current;
    setReverse(0);
    if (v) void (v.paused ? v.play().catch(() => undefined) : v.pause());
  }, []);
  const changeSpeed = useCallback((s: number) => {
    setSpeed(s);
    if (player.current) player.current.playbackRate = s;
  }, []);
  const fps = video.data?.fps;
  const step = useCallback(
    (direction: 1 | -1) => {
      pause();
      seek(frameStep((player.current?.currentTime ?? 0) * 1000, fps, direction));
    },
    [fps, seek, pause],
  );
  const now = () => Math.round((player.current?.currentTime ?? 0) * 1000);
  const measuring = useMeasuring(drawing, setDrawing, now, pause);
  const pick = (c: Comment) => {
    pause();
    seek(c.t_start_ms);
    setShown(c);
    setDrawMode(false);
    setSelection({ start: c.t_start_ms, end: c.t_end_ms });
    if (c.drawing?.compare) {
      setCompare(false);
      lineUp.show(c.drawing.compare);
    }
  };

  useRenewableSource(player, playback.data?.rendition_url);
  useRenewableSource(reference, compare ? referencePlayback.data?.rendition_url : undefined);
  useRangeLoop(player, selection, loop);
  const alignedCompare = compare && movement.aligned;
  useSyncedReference(player, reference, compare && !alignedCompare, referencePlayback.data);
  useAlignedReference(player, reference, alignedCompare, movement.alignment?.pairs);
  useReversePlayback(player, reverse, pause);
  useReviewShortcuts({
    playPause,
    pause,
    step,
    extend: (direction) => {
      const from = now();
      const to = Math.min(duration || Infinity, frameStep(from, fps, direction));
      pause();
      setSelection(extendRange(selection, from, to));
      seek(to);
    },
    shuttle: (key) => {
      const v = player.current;
      if (!v) return;
      const next = shuttle(reverse < 0 ? reverse : v.paused ? 0 : v.playbackRate, key);
      if (next < 0) {
        v.pause();
        setReverse(next);
      } else {
        setReverse(0);
        changeSpeed(next);
        void v.play().catch(() => undefined);
      }
    },
    markIn: () => setSelection(markIn(selection, now())),
    markOut: () => setSelection(markOut(selection, now())),
    fullscreen: () => {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      else void stage.current?.requestFullscreen?.().catch(() => undefined);
    },
  });

  const sprite = useMemo(
    () =>
      playback.data
        ? { url: playback.data.sprite_url, index: playback.data.sprite_index as unknown as SpriteIndex }
        : undefined,
    [playback.data],
  );
  // The comment's drawing carries the compare view too when the coach chose to save it.
  const outgoing = lineUp.attach && lineUp.open && lineUp.saved ? { ...drawing, compare: lineUp.saved } : drawing;
  const draw: DrawingControls = {
    drawing: outgoing,
    active: drawMode,
    tool,
    color,
    toggle: () => {
      pause();
      setDrawMode(!drawMode);
    },
    clear: () => setDrawing(drawing ? { ...drawing, shapes: [] } : null),
    setTool,
    setColor,
  };

  if (thread.isLoading || attempt.isLoading) return <Loading />;
  if ((!onReference && !attempt.data) || !thread.data)
    return <ErrorNote error={attempt.error ?? thread.error} retry={() => void attempt.refetch().then(() => thread.refetch())} />;
  if (onReference && !referenceId) return <p>This exercise has no reference video yet.</p>;
  const length = duration || video.data?.duration_ms || 0;
  const range = selection ?? { start: Math.round(current), end: Math.round(current) };
  // The drawings of the comments whose range holds the playhead, unless hidden.
  const holding = showDrawings ? drawingsAt(comments.data ?? [], current, fps) : [];
  const visible = replay.review
    ? replay.shapes.length
      ? { shapes: replay.shapes, frame_ms: null }
      : null
    : merged(holding);
  const measureGroups = measuring.active ? [drawing?.measures ?? []] : holding.map((c) => c.drawing?.measures ?? []);
  const overlaid = lineUp.open && lineUp.view.other_video_id && lineUp.view.mode !== "side";
  const beside = lineUp.open && lineUp.view.other_video_id && lineUp.view.mode === "side";

  return (
    <PictureFacts.Provider value={{ aspect, fps }}>
    <section className={drawMode || measuring.active ? "review drawing-mode" : "review"} aria-labelledby="review-title">
      <div className="row spread wrap">
        <h1 id="review-title">
          <Link to={`/threads/${threadId}`}>{thread.data.exercise.title}</Link> ·{" "}
          {attempt.data
            ? `attempt of ${new Date(attempt.data.recorded_at ?? attempt.data.created_at).toLocaleDateString()}`
            : "reference video"}
        </h1>
        {attempt.data && <ExportLink target={{ attemptId: attempt.data.id }} label="annotated MP4" />}
        {referenceId && !onReference && (
          <label className="toggle">
            <input
              type="checkbox"
              checked={compare}
              onChange={(e) => {
                setCompare(e.target.checked);
                if (e.target.checked) lineUp.setOpen(false);
              }}
            />{" "}
            Compare with the
            reference
          </label>
        )}
      </div>
      {attempt.data?.notes && <p className="notes">{attempt.data.notes}</p>}
      {video.data && video.data.status !== "ready" ? (
        <p>
          This {subject} is not ready to review yet: <VideoStatus video={video.data} />
        </p>
      ) : !playback.data ? (
        <Loading what="Loading the video" />
      ) : (
        <div ref={stage} className={compare || beside ? "stage compare" : "stage"}>
          <div className="frame">
            <ZoomBox view={zoom} onView={setZoom} pannable={!drawMode && !measuring.active}>
            <video
              ref={player}
              data-testid="player"
              aria-label={onReference ? "Reference video" : "Attempt video"}
              poster={playback.data.poster_url}
              playsInline
              preload="auto"
              onTimeUpdate={(e) => setCurrent(e.currentTarget.currentTime * 1000)}
              onSeeked={(e) => setCurrent(e.currentTarget.currentTime * 1000)}
              onPlay={() => setPlaying(true)}
              onPause={() => setPlaying(false)}
              onLoadedMetadata={(e) => {
                const v = e.currentTarget;
                setDuration(v.duration * 1000 || video.data?.duration_ms || 0);
                setAspect(v.videoWidth && v.videoHeight ? v.videoWidth / v.videoHeight : null);
                v.playbackRate = speed;
              }}
              onClick={playPause}
            />
            {movement.skeleton && movement.pose && (
              <SkeletonOverlay
                pose={movement.pose}
                timeMs={current}
                ghost={
                  movement.ghost && movement.refPose && movement.alignment
                    ? { pose: movement.refPose, timeMs: mapTime(movement.alignment.pairs, current) }
                    : null
                }
              />
            )}
            {(drawMode || visible) && (
              <DrawingLayer
                drawing={drawMode ? drawing : visible}
                editable={drawMode}
                tool={tool}
                color={color}
                aspect={aspect}
                onChange={setDrawing}
              />
            )}
            {(measuring.active || measureGroups.some((g) => g.length)) && (
              <MeasureLayer
                groups={measureGroups}
                editable={measuring.active}
                kind={measuring.kind}
                aspect={aspect}
                fps={fps}
                onAdd={measuring.add}
                onDraft={measuring.setDraft}
              />
            )}
            {overlaid && <ComparedVideo compare={lineUp} player={player} other={compared} />}
            </ZoomBox>
            {drawMode && <DrawingTools draw={draw} />}
            {measuring.active && <MeasureTools m={measuring} drawing={drawing} aspect={aspect} fps={fps} currentMs={current} />}
          </div>
          {beside && (
            <div className="frame">
              <ComparedVideo compare={lineUp} player={player} other={compared} />
              <span className="frame-label">Compared</span>
            </div>
          )}
          {compare && referencePlayback.data && (
            <div className="frame">
              <video
                ref={reference}
                playsInline
                muted
                preload="auto"
                aria-label="Reference video"
              />
              <span className="frame-label">{alignedCompare ? "Reference · aligned by movement" : "Reference"}</span>
            </div>
          )}
        </div>
      )}
      <PlayerControls
        playing={playing}
        current={current}
        duration={length}
        speed={speed}
        loop={loop}
        canLoop={!!selection && selection.end > selection.start}
        fps={fps}
        showDrawings={showDrawings}
        reverse={reverse}
        onPlayPause={playPause}
        onStep={step}
        onSpeed={changeSpeed}
        onLoop={setLoop}
        onShowDrawings={setShowDrawings}
      />
      <StageBar
        measuring={measuring}
        compare={lineUp}
        zoom={zoom}
        onZoom={setZoom}
        frame={() => ({ w: player.current?.offsetWidth ?? 0, h: player.current?.offsetHeight ?? 0 })}
      />
      {lineUp.open && (
        <ComparePanel compare={lineUp} threadId={threadId} referenceId={referenceId} videoId={videoId} other={compared} now={now} />
      )}
      <Timeline
        duration={length}
        current={current}
        comments={comments.data ?? []}
        selection={selection}
        sprite={sprite}
        activeId={shown?.id}
        onSelect={(r) => {
          setSelection(r.end > r.start ? r : null);
          if (r.end <= r.start) setLoop(false);
        }}
        onSeek={seek}
        onPick={pick}
      />
      {attempt.data && (
        <VoiceOverPanel
          recorder={voiceOver}
          playback={replay}
          reviews={(comments.data ?? []).filter((c) => c.kind === "review" && !c.deleted_at)}
          canRecord={!!me && !thread.data.read_only}
        />
      )}
      <MovementPanel
        movement={movement}
        timeMs={current}
        durationMs={length}
        ranges={(comments.data ?? []).map((c) => ({ start: c.t_start_ms, end: c.t_end_ms }))}
        comparing={compare}
        onSeek={seek}
        onSuggest={(r, text) => {
          pause();
          seek(r.start);
          setSelection(r);
          setSuggestion({ text, key: Date.now() });
        }}
      />
      <p className="muted small shortcuts">
        Keys: <kbd>Space</kbd> play/pause · <kbd>←</kbd> <kbd>→</kbd> or <kbd>,</kbd> <kbd>.</kbd> one frame · <kbd>J</kbd>{" "}
        <kbd>K</kbd> <kbd>L</kbd> shuttle · <kbd>I</kbd> <kbd>O</kbd> in and out of the range · <kbd>Shift</kbd>+<kbd>←</kbd>{" "}
        <kbd>→</kbd> extend it · <kbd>F</kbd> full screen
      </p>
      <div className="columns">
        <div>
        <ClipReply clip={clip} onClip={setClip} />
        <CommentForm
          suggestion={suggestion}
          range={range}
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          asLearner={!!me && me.id === thread.data?.learner_id}
          draw={draw}
          error={post.error}
          pending={post.isPending}
          onPost={async (comment) => {
            const saved = await post.mutateAsync(clip ? { ...comment, media_video_id: clip.id } : comment);
            setDrawing(null);
            setDrawMode(false);
            setReplyTo(null);
            setClip(null);
            return saved;
          }}
        />
        </div>
        <div className="card">
          <h2>Feedback on this {subject}</h2>
          {comments.isLoading && <Loading what="Loading comments" />}
          <ErrorNote error={comments.error} retry={() => void comments.refetch()} />
          {comments.data?.length === 0 && <p className="muted">No comments yet. Pick a moment and write the first.</p>}
          <CommentList
            comments={comments.data ?? []}
            activeId={shown?.id}
            meId={me?.id}
            onPick={pick}
            onReply={(c) => {
              setReplyTo(c);
              pick(c);
            }}
            onEdit={(c, body) => edit.mutateAsync({ id: c.id, change: { body } })}
            onDelete={(c) => remove.mutateAsync(c)}
          />
        </div>
      </div>
    </section>
    </PictureFacts.Provider>
  );
}
