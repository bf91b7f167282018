// Behaviours of the review player that live outside React's render: looping a range,
// keeping the reference in step with the attempt, renewing the source without losing the
// place, reverse shuttle, and keyboard shortcuts.
import { useEffect, useLayoutEffect, useRef, type RefObject } from "react";
import type { Range } from "../../lib/timeline";

/** While `on`, playback that passes the range's end jumps back to its start. */
export function useRangeLoop(player: RefObject<HTMLVideoElement | null>, range: Range | null, on: boolean) {
  useEffect(() => {
    const v = player.current;
    if (!v || !on || !range || range.end <= range.start) return;
    const onTime = () => {
      if (v.currentTime * 1000 >= range.end || v.currentTime * 1000 < range.start - 250) v.currentTime = range.start / 1000;
    };
    v.addEventListener("timeupdate", onTime);
    return () => v.removeEventListener("timeupdate", onTime);
  }, [player, range, on]);
}

/** The reference follows the attempt: play, pause, seek and rate (side-by-side compare). */
export function useSyncedReference(
  player: RefObject<HTMLVideoElement | null>,
  reference: RefObject<HTMLVideoElement | null>,
  on: boolean,
  source: unknown,
) {
  useEffect(() => {
    const v = player.current;
    const r = reference.current;
    if (!v || !r || !on) return;
    const sync = () => {
      r.playbackRate = v.playbackRate;
      // The reference may be shorter: it waits at its end.
      const target = Math.min(v.currentTime, r.duration || v.currentTime);
      if (Math.abs(r.currentTime - target) > 0.15) r.currentTime = target;
      if (v.paused && !r.paused) r.pause();
      if (!v.paused && r.paused) void r.play().catch(() => undefined);
    };
    sync();
    const events = ["play", "pause", "seeked", "ratechange"];
    events.forEach((e) => v.addEventListener(e, sync));
    return () => events.forEach((e) => v.removeEventListener(e, sync));
  }, [player, reference, on, source]);
}

/**
 * Gives the video `url` as its source, and when the URL is renewed (playback URLs expire),
 * swaps it without losing the place: position, play state and speed carry over to the new
 * source once it has loaded. React's `src` prop would reload from 0:00, paused.
 */
export function useRenewableSource(player: RefObject<HTMLVideoElement | null>, url: string | undefined) {
  const pending = useRef<{ time: number; paused: boolean; rate: number } | null>(null);
  useLayoutEffect(() => {
    const v = player.current;
    if (!v || !url || v.getAttribute("src") === url) return;
    if (!v.getAttribute("src")) {
      v.src = url;
      return;
    }
    // A renewal while an earlier one is still loading keeps the first snapshot: the
    // element already reads 0:00 by then.
    const keep = pending.current ?? { time: v.currentTime, paused: v.paused, rate: v.playbackRate };
    pending.current = keep;
    const restore = () => {
      pending.current = null;
      v.playbackRate = keep.rate;
      v.currentTime = keep.time;
      if (!keep.paused) void v.play().catch(() => undefined);
    };
    v.addEventListener("loadedmetadata", restore, { once: true });
    v.defaultPlaybackRate = keep.rate;
    v.src = url;
    return () => v.removeEventListener("loadedmetadata", restore);
  }, [player, url]);
}

/** While `rate` is negative, the video plays in reverse at that speed (browsers cannot:
 * the position is stepped back many times a second); it stops at 0:00. */
export function useReversePlayback(player: RefObject<HTMLVideoElement | null>, rate: number, onEnd: () => void) {
  useEffect(() => {
    const v = player.current;
    if (!v || rate >= 0) return;
    const tick = 1000 / 15;
    const timer = window.setInterval(() => {
      const next = v.currentTime + (rate * tick) / 1000;
      v.currentTime = Math.max(0, next);
      if (next <= 0) onEnd();
    }, tick);
    return () => window.clearInterval(timer);
  }, [player, rate, onEnd]);
}

export interface Shortcuts {
  playPause(): void;
  pause(): void;
  step(direction: 1 | -1): void;
  extend(direction: 1 | -1): void;
  shuttle(key: "j" | "l"): void;
  markIn(): void;
  markOut(): void;
  fullscreen(): void;
}

const NOT_TEXT = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "file", "color", "image"]);

/** Whether keys typed at `el` are the person's text (shortcuts stay out of the way). */
export function isTextField(el: EventTarget | null): boolean {
  if (!(el instanceof Element)) return false;
  if (el instanceof HTMLInputElement) return !NOT_TEXT.has(el.type);
  return !!el.closest("textarea, select, [contenteditable]:not([contenteditable=false])");
}

/**
 * The review screen's keys, wherever the focus is on it (the timeline, a button, the
 * video) except in a text field: Space play/pause; , . or ← → one frame; Shift+← →
 * extend the range a frame; J K L shuttle; I O in and out points; F fullscreen.
 * Listened for on the window in the capture phase, so no focused element swallows them;
 * Space on a focused button plays instead of pressing the button.
 */
export function useReviewShortcuts(keys: Shortcuts) {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTextField(e.target)) return;
      const k = latest.current;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      if (key === " ") k.playPause();
      else if (key === "," || (key === "ArrowLeft" && !e.shiftKey)) k.step(-1);
      else if (key === "." || (key === "ArrowRight" && !e.shiftKey)) k.step(1);
      else if (key === "ArrowLeft") k.extend(-1);
      else if (key === "ArrowRight") k.extend(1);
      else if (key === "j" || key === "l") k.shuttle(key);
      else if (key === "k") k.pause();
      else if (key === "i") k.markIn();
      else if (key === "o") k.markOut();
      else if (key === "f") k.fullscreen();
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    // A button is pressed by Space on key up: that press is ours too.
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key === " " && !isTextField(e.target) && !(e.ctrlKey || e.metaKey || e.altKey)) e.preventDefault();
    };
    window.addEventListener("keydown", onKey, true);
    window.addEventListener("keyup", onKeyUp, true);
    return () => {
      window.removeEventListener("keydown", onKey, true);
      window.removeEventListener("keyup", onKeyUp, true);
    };
  }, []);
}
