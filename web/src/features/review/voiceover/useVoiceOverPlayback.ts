// Replaying a voice-over: the voice plays, and the attempt's player follows the recorded
// actions on the voice's clock — the same frames (a pause holds, a seek jumps, the speed
// changes), the drawings when they were drawn.
import { useCallback, useEffect, useState, type RefObject } from "react";
import type { Comment, Shape } from "../../../api/client";
import { shapesAt, stateAt, type ReviewEvent } from "./timeline";

const DRIFT_MS = 120; // a playing picture this far from the voice's is put back in step

export function useVoiceOverPlayback(player: RefObject<HTMLVideoElement | null>, videoMs: number) {
  const [audio, attach] = useState<HTMLAudioElement | null>(null);
  const [review, setReview] = useState<Comment | null>(null);
  const [shapes, setShapes] = useState<Shape[]>([]);
  const [voiceMs, setVoiceMs] = useState(0);

  const stop = useCallback(() => {
    audio?.pause();
    const v = player.current;
    if (v) v.muted = false;
    setReview(null);
    setShapes([]);
  }, [player, audio]);

  useEffect(() => {
    const events = (review?.review?.events ?? []) as ReviewEvent[];
    const v = player.current;
    if (!review || !audio || !v) return;
    v.muted = true; // the voice is the sound
    let frame = 0;
    let lastShapes = -1;
    const tick = () => {
      const t = audio.currentTime * 1000;
      setVoiceMs(t);
      const s = stateAt(events, t, videoMs);
      if (v.playbackRate !== s.rate) v.playbackRate = s.rate;
      const at = v.currentTime * 1000;
      if (s.playing && !audio.paused) {
        if (v.paused) void v.play().catch(() => undefined);
        if (Math.abs(at - s.position) > DRIFT_MS) v.currentTime = s.position / 1000;
      } else {
        if (!v.paused) v.pause();
        if (!v.seeking && Math.abs(at - s.position) > 1) v.currentTime = s.position / 1000;
      }
      const drawn = shapesAt(events, t);
      const key = drawn.length * 100_000 + events.filter((e) => e.at_ms <= t).length;
      if (key !== lastShapes) {
        lastShapes = key;
        setShapes(drawn);
      }
      if (!audio.ended) frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [review, audio, player, videoMs]);

  return { attach, review, shapes, voiceMs, play: setReview, stop };
}
