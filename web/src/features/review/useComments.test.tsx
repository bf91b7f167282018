import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json } from "../../test/screen";

const comment = (n: number) => ({
  id: `c${n}`,
  thread_id: "t",
  video_id: "v",
  author: { id: "a", display_name: "Ana" },
  reply_to_id: null,
  t_start_ms: n * 10,
  t_end_ms: null,
  body: `comment ${n}`,
  kind: null,
  tags: [],
  drawing: null,
  created_at: `2026-01-01T00:00:00.${String(n).padStart(3, "0")}Z`,
  updated_at: `2026-01-01T00:00:00.${String(n).padStart(3, "0")}Z`,
  edited_at: null,
  deleted_at: null,
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("useComments", () => {
  it("loads the 101st comment: it follows next_cursor before moving `since` on", async () => {
    const all = Array.from({ length: 101 }, (_, i) => comment(i + 1));
    const asked: URLSearchParams[] = [];
    vi.resetModules();
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const query = new URL(request.url).searchParams;
        asked.push(query);
        const limit = Number(query.get("limit"));
        const start = query.get("cursor") ? Number(query.get("cursor")) : 0;
        const items = query.get("since") ? [] : all.slice(start, start + limit);
        const next = start + limit < all.length && !query.get("since") ? String(start + limit) : null;
        return json({ items, next_cursor: next, server_time: "2026-01-02T00:00:00Z" });
      }),
    );
    const { useComments } = await import("./useComments");
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => useComments("t", "v"), { wrapper });
    await waitFor(() => expect(result.current.comments.data?.length).toBe(101));
    expect(result.current.comments.data?.at(-1)?.body).toBe("comment 101");
    // The second page was asked with the first page's `since` (none), not the server time.
    expect(asked[1].get("cursor")).toBe("100");
    expect(asked[1].get("since")).toBeNull();
  });
});
