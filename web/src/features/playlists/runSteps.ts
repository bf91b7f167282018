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
  | { type: "start"; now: number }
  | { type: "next"; now: number } // the item was done or skipped
  | { type: "restOver"; now: number };

export function step(items: Pick<PlaylistItem, "rest_s">[], state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case "start":
      return state.phase === "ready" && items.length > 0 ? { phase: "work", index: 0, since: event.now } : state;
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
