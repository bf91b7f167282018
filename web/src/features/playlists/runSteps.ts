// Running a playlist, as a small state machine: each item is worked (a timer counts up),
// then rested (a countdown, skippable), and after the last one the run is finished.
import type { PlaylistItem } from "../../api/client";
import { plural } from "../../lib/labels";

export type RunState =
  | { phase: "ready" }
  | { phase: "work"; index: number; since: number }
  | { phase: "rest"; index: number; until: number }
  | { phase: "finish" };

export type RunEvent =
  | { type: "start"; now: number; at?: number } // `at`: the item a resumed run goes on from
  | { type: "next"; now: number } // the item was done or skipped
  | { type: "restOver"; now: number };

export function step(items: Pick<PlaylistItem, "rest_s">[], state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case "start": {
      if (state.phase !== "ready" || items.length === 0) return state;
      const at = event.at ?? 0;
      return at >= items.length ? { phase: "finish" } : { phase: "work", index: at, since: event.now };
    }
    case "next": {
      if (state.phase !== "work") return state;
      const last = state.index + 1 >= items.length;
      if (last) return { phase: "finish" };
      const rest = items[state.index].rest_s ?? 0;
      return rest > 0
        ? { phase: "rest", index: state.index + 1, until: event.now + rest * 1000 }
        : { phase: "work", index: state.index + 1, since: event.now };
    }
    case "restOver":
      return state.phase === "rest" ? { phase: "work", index: state.index, since: event.now } : state;
  }
}

/** "3 sets · 10 reps · 45 s · rest 60 s" */
export function prescription(item: Pick<PlaylistItem, "sets" | "reps" | "duration_s" | "rest_s">): string {
  return [
    item.sets && plural(item.sets, "set"),
    item.reps && plural(item.reps, "rep"),
    item.duration_s && `${item.duration_s} s`,
    item.rest_s && `rest ${item.rest_s} s`,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** Where a resumed run goes on: the first item its session has not recorded yet. */
export function resumeAt(items: Pick<PlaylistItem, "id">[], recorded: { playlist_item_id: string | null }[]): number {
  const done = new Set(recorded.map((r) => r.playlist_item_id));
  const next = items.findIndex((item) => !done.has(item.id));
  return next === -1 ? items.length : next;
}

/** Seconds left of a timed item being worked (null when the item is not timed). */
export function timeLeft(item: Pick<PlaylistItem, "duration_s"> | undefined, state: RunState, now: number): number | null {
  if (state.phase !== "work" || !item?.duration_s) return null;
  return Math.max(0, item.duration_s - (now - state.since) / 1000);
}
