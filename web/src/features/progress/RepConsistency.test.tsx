import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, renderScreen } from "../../test/screen";

const progress = {
  current_streak_days: 1,
  longest_streak_days: 1,
  practice_days: 1,
  minutes_per_week: [],
  attempts_per_exercise: [],
  feedback_received: 0,
  sessions_completed: 1,
};

const item = (at: string, tempo: number | null, range: number | null) => ({
  id: at,
  playlist_item_id: null,
  exercise_id: "e1",
  sets_done: null,
  reps_done: tempo === null ? 8 : 3,
  duration_s: null,
  rep_tempo_cv: tempo,
  rep_range_cv: range,
  notes: "",
  completed_at: at,
});

async function progressWith(items: unknown[]) {
  await renderScreen(
    async () => (await import("./Progress")).Progress,
    async (request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/progress") return json(progress);
      return json({ items: [{ id: "s1", items }], next_cursor: null });
    },
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("rep consistency on the progress page", () => {
  it("charts how much counted reps varied, set by set", async () => {
    await progressWith([item("2026-11-30T10:00:00Z", 0.12, 0.05), item("2026-11-29T10:00:00Z", null, null)]);
    expect(await screen.findByRole("heading", { name: "Rep consistency" })).toBeTruthy();
    expect(screen.getByText(/Tempo variation per set/)).toBeTruthy();
  });

  it("stays away until a set's reps were counted from a video", async () => {
    await progressWith([item("2026-11-29T10:00:00Z", null, null)]);
    await screen.findByRole("heading", { name: "Progress" });
    // The sessions were asked for and answered: only then does "nothing shown" mean something.
    const asked = () => vi.mocked(fetch).mock.calls.some(([r]) => new URL((r as Request).url).pathname === "/api/v1/sessions");
    await waitFor(() => expect(asked()).toBe(true));
    await new Promise((done) => setTimeout(done, 50));
    expect(screen.queryByRole("heading", { name: "Rep consistency" })).toBeNull();
  });
});
