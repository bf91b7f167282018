// A voice-over review's actions, timed on the voice's clock, and their replay: the same
// model as the service's (src/practika/domain/reviews.py), so the player here and the
// worker's MP4 show the same frame and drawings at every moment of the voice.
import type { Shape } from "../../../api/client";

export type Action = "play" | "pause" | "seek" | "rate" | "draw" | "clear";

export interface ReviewEvent {
  at_ms: number;
  action: Action;
  position_ms: number;
  rate?: number | null;
  shape?: Shape | null;
}

export interface PlayerState {
  position: number;
  playing: boolean;
  rate: number;
}

export const MAX_EVENTS = 2000; // the service's limits
export const MIN_RATE = 0.1;
export const MAX_RATE = 4;

/** The player `t` ms into the voice: a paused frame holds, a playing one advances. */
export function stateAt(events: ReviewEvent[], t: number, videoMs: number): PlayerState {
  let state: PlayerState = { position: events[0]?.position_ms ?? 0, playing: false, rate: 1 };
  let since = 0;
  for (const e of events) {
    if (e.at_ms > t) break;
    since = e.at_ms;
    const position = e.position_ms;
    if (e.action === "play") state = { ...state, position, playing: true };
    else if (e.action === "pause") state = { ...state, position, playing: false };
    else if (e.action === "rate") state = { ...state, position, rate: e.rate ?? state.rate };
    else state = { ...state, position };
  }
  if (!state.playing) return state;
  const moved = state.position + (t - since) * state.rate;
  return { ...state, position: Math.min(videoMs, moved), playing: moved < videoMs };
}

/** The drawings on screen `t` ms into the voice: those drawn since the last clear. */
export function shapesAt(events: ReviewEvent[], t: number): Shape[] {
  let shapes: Shape[] = [];
  for (const e of events) {
    if (e.at_ms > t) break;
    if (e.action === "clear") shapes = [];
    else if (e.action === "draw" && e.shape) shapes = [...shapes, e.shape];
  }
  return shapes;
}

/** How the on-screen drawing changed from `before` to `after`, as actions. */
export function drawingChanges(before: Shape[], after: Shape[]): { clear: boolean; drawn: Shape[] } {
  const extends_ = before.length <= after.length && before.every((s, i) => s === after[i]);
  return extends_ ? { clear: false, drawn: after.slice(before.length) } : { clear: true, drawn: after };
}

export const clampRate = (rate: number) => Math.min(MAX_RATE, Math.max(MIN_RATE, rate));
