import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, renderScreen } from "../../test/screen";

const exercise = (id: string, title: string, tags: string[]) => ({
  id,
  title,
  description: "**Slow** and steady.",
  category: "strength",
  difficulty: "beginner",
  tags,
  visibility: "public",
  reference_video_id: null,
  published_at: "2026-01-01T00:00:00Z",
  author: { id: "c1", display_name: "Ana" },
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});

// The service, as far as the library asks it: what each list request filtered by.
async function libraryWith(answer: (query: URLSearchParams) => unknown) {
  const queries: URLSearchParams[] = [];
  await renderScreen(
    async () => (await import("./Library")).Library,
    async (request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/exercises/categories") return json(["mobility", "strength"]);
      queries.push(url.searchParams);
      const items = answer(url.searchParams) as unknown[];
      const corrected = url.searchParams.get("q") === "sqaut" ? "squat" : null;
      return json({ items, next_cursor: null, total: items.length, corrected_q: corrected });
    },
  );
  return queries;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("Library", () => {
  it("filters by text, category, difficulty and a tag picked from a card", async () => {
    const queries = await libraryWith(() => [exercise("e1", "Goblet squat", ["legs", "hips"])]);
    expect(await screen.findByRole("heading", { name: "Goblet squat" })).toBeTruthy();
    expect(screen.getByText("Slow and steady.")).toBeTruthy(); // Markdown shown as plain text

    fireEvent.change(screen.getByLabelText("Search exercises"), { target: { value: " squat " } });
    fireEvent.click(screen.getByRole("button", { name: "Search" }));
    await waitFor(() => expect(queries.at(-1)?.get("q")).toBe("squat"));

    await screen.findByRole("option", { name: "Mobility" });
    fireEvent.change(screen.getByLabelText("Category"), { target: { value: "mobility" } });
    await waitFor(() => expect(queries.at(-1)?.get("category")).toBe("mobility"));
    fireEvent.change(screen.getByLabelText("Difficulty"), { target: { value: "advanced" } });
    await waitFor(() => expect(queries.at(-1)?.get("difficulty")).toBe("advanced"));

    fireEvent.click(await screen.findByRole("button", { name: "#hips" }));
    await waitFor(() => expect(queries.at(-1)?.getAll("tag")).toEqual(["hips"]));
    const last = queries.at(-1)!;
    expect([last.get("q"), last.get("category"), last.get("difficulty")]).toEqual(["squat", "mobility", "advanced"]);

    // The tag's chip in the filter bar clears it again.
    fireEvent.click(screen.getByRole("button", { name: "#hips ✕" }));
    await waitFor(() => expect(queries.at(-1)?.has("tag")).toBe(false));
  });

  it("says so when nothing matches", async () => {
    await libraryWith(() => []);
    expect(await screen.findByText("No exercises match. Try fewer filters.")).toBeTruthy();
  });
});

describe("Library words", () => {
  it("says how many match, offers the corrected search and names categories in words", async () => {
    await libraryWith(() => [exercise("e1", "Goblet squat", ["legs"])]);
    expect((await screen.findByTestId("result-count")).textContent).toBe("1 exercise");
    expect(await screen.findByRole("option", { name: "Mobility" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Search exercises"), { target: { value: "sqaut" } });
    fireEvent.click(screen.getByRole("button", { name: "Search" }));
    await waitFor(() => expect(screen.getByTestId("result-count").textContent).toContain("Showing 1 result for “squat”"));
    expect(screen.getByText(/Strength · Beginner · by Ana/)).toBeTruthy();
  });
});

describe("Library after joining a coach", () => {
  it("greets a learner who just joined with the coach's name", async () => {
    const { QueryClient, QueryClientProvider } = await import("@tanstack/react-query");
    const { render } = await import("@testing-library/react");
    const { MemoryRouter } = await import("react-router");
    vi.resetModules();
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) =>
        new URL(request.url).pathname.endsWith("/categories") ? json([]) : json({ items: [], next_cursor: null, total: 0, corrected_q: null }),
      ),
    );
    const { Library } = await import("./Library");
    render(
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter initialEntries={[{ pathname: "/", state: { joined: "Coach Nora" } }]}>
          <Library />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    expect((await screen.findByTestId("joined")).textContent).toContain("You’re now practising with Coach Nora");
  });
});
