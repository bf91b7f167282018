import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, renderScreen } from "../../test/screen";

type Fields = {
  thread_id?: string;
  attempt_id?: string;
  video_id?: string;
  exercise_title?: string;
  actor_name?: string;
  t_ms?: number;
  snippet?: string;
};
const note = (id: string, kind: string, fields: Fields, read = false) => ({
  id,
  kind,
  payload: {},
  thread_id: null,
  attempt_id: null,
  video_id: null,
  exercise_title: null,
  actor_name: null,
  t_ms: null,
  snippet: null,
  ...fields,
  read_at: read ? "2026-01-02T00:00:00Z" : null,
  created_at: new Date(Date.now() - 60_000).toISOString(),
});

async function notificationsWith(items: unknown[]) {
  const marked: unknown[] = [];
  await renderScreen(
    async () => (await import("./Notifications")).Notifications,
    async (request) => {
      if (request.method === "POST") {
        marked.push((await request.json()).ids);
        return json({ marked: 1 });
      }
      return json({ items, next_cursor: null });
    },
  );
  return marked;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("Notifications", () => {
  it("says what happened, links to it, and marks one or all read", async () => {
    const marked = await notificationsWith([
      note("n1", "feedback", {
        actor_name: "Ana",
        exercise_title: "Goblet squat",
        thread_id: "t1",
        attempt_id: "a1",
        video_id: "v1",
        t_ms: 6120,
        snippet: "Knees out at the bottom",
      }),
      note("n2", "attempt", { exercise_title: "Pistol", actor_name: "Lea", thread_id: "t2", attempt_id: "a2", snippet: "Left knee" }),
      note("n3", "invite_accepted", { actor_name: "Lea" }, true),
      note("n4", "learner_comment", { actor_name: "Lea", exercise_title: "Kata", thread_id: "t3", video_id: "ref", t_ms: 0 }),
    ]);
    // Which exercise, which moment, a snippet; the link opens the attempt at that moment.
    const feedback = await screen.findByRole("link", { name: "Ana left feedback on Goblet squat at 0:06.1" });
    expect(feedback.getAttribute("href")).toBe("/threads/t1/review/a1?t=6120");
    expect(within(feedback.closest("li")!).getByText("Knees out at the bottom")).toBeTruthy();
    expect(screen.getByRole("link", { name: "New attempt at Pistol from Lea" }).getAttribute("href")).toBe("/threads/t2/review/a2");
    const onReference = screen.getByRole("link", { name: "Lea commented on Kata at 0:00.0 (reference video)" });
    expect(onReference.getAttribute("href")).toBe("/threads/t3/review/reference?t=0");
    const accepted = screen.getByRole("link", { name: "Lea accepted your invite" }).closest("li")!;
    expect(within(accepted).queryByRole("button", { name: "Mark read" })).toBeNull(); // already read

    fireEvent.click(within(feedback.closest("li")!).getByRole("button", { name: "Mark read" }));
    await waitFor(() => expect(marked).toEqual([["n1"]]));
    fireEvent.click(screen.getByRole("button", { name: "Mark all read" }));
    await waitFor(() => expect(marked).toEqual([["n1"], null]));
  });

  it("has a word for an empty list", async () => {
    await notificationsWith([]);
    expect(await screen.findByText(/Nothing new/)).toBeTruthy();
  });
});
