import { afterEach, describe, expect, it, vi } from "vitest";

// The client reads fetch when it is created, so each test imports a fresh copy.
async function clientWith(fetchMock: (request: Request) => Promise<Response>) {
  vi.resetModules();
  vi.stubGlobal("fetch", vi.fn(fetchMock));
  return import("./client");
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = "practika_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

describe("API client", () => {
  it("echoes the CSRF cookie on writes, not on reads", async () => {
    document.cookie = "practika_csrf=tok%2Ben";
    const seen: Request[] = [];
    const { api, call } = await clientWith(async (request) => {
      seen.push(request);
      return json(200, { unread: 0 });
    });
    await call(api.GET("/api/v1/notifications/unread-count"));
    await call(api.POST("/api/v1/notifications/read", { body: { ids: null } }));
    expect(seen[0].headers.get("X-CSRF-Token")).toBeNull();
    expect(seen[1].headers.get("X-CSRF-Token")).toBe("tok+en");
  });

  it("turns the service's error shape into an ApiError with its code and words", async () => {
    const { api, call } = await clientWith(async () =>
      json(409, { error: { code: "thread_exists", message: "You already practise this.", details: { thread_id: "t1" } } }),
    );
    const failure = await call(api.POST("/api/v1/threads", { body: { exercise_id: "e1" } })).catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 409, code: "thread_exists", message: "You already practise this.", details: { thread_id: "t1" } });
  });

  it("says 'offline' when the request never reached the service", async () => {
    const { api, call } = await clientWith(async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(call(api.GET("/api/v1/auth/me"))).rejects.toMatchObject({ code: "network", message: expect.stringMatching(/offline/) });
  });
});
