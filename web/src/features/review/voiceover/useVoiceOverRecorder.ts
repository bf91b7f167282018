// Recording a voice-over: the microphone through MediaRecorder, and every action on the
// player as it happens (from the video element's own events, so buttons, keys and the
// timeline are all heard) plus the drawings on screen, timed from the recording's start.
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { api, call, type Comment, type Shape } from "../../../api/client";
import { recordingFile, recordingType, uploadClip } from "./clips";
import { clampRate, drawingChanges, MAX_EVENTS, type ReviewEvent } from "./timeline";

export type RecorderPhase = "idle" | "starting" | "recording" | "saving" | "error";

interface Options {
  player: RefObject<HTMLVideoElement | null>;
  /** The drawing the coach sees on the picture right now. */
  shapes: Shape[];
  threadId: string;
  videoId: string | undefined;
  onSaved: (review: Comment) => void;
}

export function useVoiceOverRecorder({ player, shapes, threadId, videoId, onSaved }: Options) {
  const [phase, setPhase] = useState<RecorderPhase>("idle");
  const [error, setError] = useState<string | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const events = useRef<ReviewEvent[]>([]);
  const started = useRef(0);
  const recorder = useRef<MediaRecorder | null>(null);
  const drawn = useRef<Shape[]>([]);
  const recording = phase === "recording";

  const position = () => Math.round((player.current?.currentTime ?? 0) * 1000);
  const push = useCallback((event: Omit<ReviewEvent, "at_ms">) => {
    // A long reverse shuttle seeks every frame: keep within the service's bound.
    if (events.current.length >= MAX_EVENTS - 2) return;
    events.current.push({ at_ms: Math.round(performance.now() - started.current), ...event });
  }, []);

  // The player's actions while recording.
  useEffect(() => {
    const v = player.current;
    if (!recording || !v) return;
    const on = (action: "play" | "pause" | "seek") => () => push({ action, position_ms: position() });
    const play = on("play");
    const pause = on("pause");
    const seek = on("seek");
    const rate = () => push({ action: "rate", position_ms: position(), rate: clampRate(v.playbackRate) });
    v.addEventListener("play", play);
    v.addEventListener("pause", pause);
    v.addEventListener("seeked", seek);
    v.addEventListener("ratechange", rate);
    return () => {
      v.removeEventListener("play", play);
      v.removeEventListener("pause", pause);
      v.removeEventListener("seeked", seek);
      v.removeEventListener("ratechange", rate);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recording, player, push]);

  // The drawings: what appears on the picture, and when it is cleared.
  useEffect(() => {
    if (!recording) return;
    const change = drawingChanges(drawn.current, shapes);
    if (change.clear && drawn.current.length) push({ action: "clear", position_ms: position() });
    for (const shape of change.drawn) push({ action: "draw", position_ms: position(), shape });
    drawn.current = shapes;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recording, shapes, push]);

  useEffect(() => {
    if (!recording) return;
    const timer = window.setInterval(() => setElapsed(Math.floor((performance.now() - started.current) / 1000)), 250);
    return () => window.clearInterval(timer);
  }, [recording]);

  const start = useCallback(async () => {
    setError(null);
    setPhase("starting");
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const type = recordingType("audio");
      const rec = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      const chunks: Blob[] = [];
      rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
      (rec as MediaRecorder & { chunks?: Blob[] }).chunks = chunks;
      await new Promise<void>((resolve) => {
        rec.onstart = () => resolve();
        rec.start(1000);
      });
      started.current = performance.now();
      const v = player.current;
      events.current = [{ at_ms: 0, action: v && !v.paused ? "play" : "pause", position_ms: position() }];
      if (v && v.playbackRate !== 1) events.current.push({ at_ms: 0, action: "rate", position_ms: position(), rate: clampRate(v.playbackRate) });
      drawn.current = [];
      for (const shape of shapes) events.current.push({ at_ms: 0, action: "draw", position_ms: position(), shape });
      drawn.current = shapes;
      recorder.current = rec;
      setElapsed(0);
      setPhase("recording");
    } catch {
      setError("The microphone is not available. Allow microphone access to record a voice-over.");
      setPhase("error");
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [player, shapes]);

  const stop = useCallback(async () => {
    const rec = recorder.current;
    if (!rec || !videoId) return;
    setPhase("saving");
    const chunks = (rec as MediaRecorder & { chunks?: Blob[] }).chunks ?? [];
    await new Promise<void>((resolve) => {
      rec.onstop = () => resolve();
      rec.stop();
    });
    rec.stream.getTracks().forEach((t) => t.stop());
    recorder.current = null;
    const recorded = events.current;
    try {
      const voice = await uploadClip(recordingFile(chunks, rec, `voice-over-${new Date().toISOString().slice(0, 19)}`));
      const length = voice.duration_ms ?? Infinity;
      const review = await call(
        api.POST("/api/v1/threads/{thread_id}/reviews", {
          params: { path: { thread_id: threadId } },
          body: {
            video_id: videoId,
            audio_video_id: voice.id,
            // The browser's clock runs a little past the recording's probed end.
            events: recorded.map((e) => ({ ...e, at_ms: Math.min(e.at_ms, length) })),
          },
        }),
      );
      setPhase("idle");
      onSaved(review as Comment);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The voice-over could not be saved.");
      setPhase("error");
    }
  }, [videoId, threadId, onSaved]);

  return { phase, error, elapsed, start, stop, recording };
}
