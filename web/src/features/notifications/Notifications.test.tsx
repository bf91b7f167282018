import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, renderScreen } from "../../test/screen";

const note = (id: string, kind: string, payload: Record<string, string>, read = false) => ({
  id,
  kind,
  payload,
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
      note("n1", "feedback", { author_name: "Ana", exercise_title: "Goblet squat", thread_id: "t1" }),
      note("n2", "attempt", { exercise_title: "Pistol", learner_name: "Lea", thread_id: "t2" }),
      note("n3", "invite_accepted", { learner_name: "Lea" }, true),
    ]);
    const feedback = await screen.findByRole("link", { name: "Ana left feedback on Goblet squat" });
    expect(feedback.getAttribute("href")).toBe("/threads/t1");
    expect(screen.getByRole("link", { name: "New attempt at Pistol from Lea" }).getAttribute("href")).toBe("/threads/t2");
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
