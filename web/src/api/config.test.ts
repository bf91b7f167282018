import { afterEach, describe, expect, it, vi } from "vitest";
import { loadApiTarget } from "./config";

const APP = "https://app.practika.example.com";
const SAME_ORIGIN = { baseUrl: APP, credentials: "same-origin" };

const answer = (status: number, body: string, type: string) => async () =>
  new Response(body, { status, headers: { "Content-Type": type } });

describe("where the API is", () => {
  it("is the apiBaseUrl of the app's /config.json, with cookies sent along", async () => {
    const seen: string[] = [];
    const fetchConfig = vi.fn(async (url: URL | RequestInfo) => {
      seen.push(String(url));
      return answer(200, JSON.stringify({ apiBaseUrl: "https://api.practika.example.com/" }), "application/json")();
    });
    const target = await loadApiTarget(APP, fetchConfig as typeof fetch);
    expect(seen).toEqual([`${APP}/config.json`]);
    expect(target).toEqual({ baseUrl: "https://api.practika.example.com", credentials: "include" });
  });

  it.each([
    ["the service's SPA fallback (index.html)", answer(200, "<!doctype html><html></html>", "text/html; charset=utf-8")],
    ["a 404", answer(404, JSON.stringify({ error: { code: "not_found" } }), "application/json")],
    ["JSON without apiBaseUrl", answer(200, JSON.stringify({ other: 1 }), "application/json")],
    ["an apiBaseUrl that is not a string", answer(200, JSON.stringify({ apiBaseUrl: 42 }), "application/json")],
    ["an apiBaseUrl that is not an address", answer(200, JSON.stringify({ apiBaseUrl: "api" }), "application/json")],
    ["JSON that does not parse", answer(200, "{", "application/json")],
    [
      "a network error",
      async () => {
        throw new TypeError("Failed to fetch");
      },
    ],
  ])("is the page's own origin after %s", async (_what, fetchConfig) => {
    expect(await loadApiTarget(APP, fetchConfig as typeof fetch)).toEqual(SAME_ORIGIN);
  });
});

describe("the configured client", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.cookie = "practika_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
  });

  it("calls the API's host with credentials and still sends the CSRF header", async () => {
    vi.resetModules();
    const seen: Request[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        seen.push(request);
        return new Response(JSON.stringify({ unread: 0 }), { headers: { "Content-Type": "application/json" } });
      }),
    );
    // The cookie the service set for Domain=<domain>, readable on app.<domain>.
    document.cookie = "practika_csrf=tok";
    const client = await import("./client");
    client.configureApi({ baseUrl: "https://api.practika.example.com", credentials: "include" });
    await client.call(client.api.GET("/api/v1/notifications/unread-count"));
    await client.call(client.api.POST("/api/v1/notifications/read", { body: { ids: null } }));
    expect(seen.map((r) => r.url)).toEqual([
      "https://api.practika.example.com/api/v1/notifications/unread-count",
      "https://api.practika.example.com/api/v1/notifications/read",
    ]);
    expect(seen.map((r) => r.credentials)).toEqual(["include", "include"]);
    expect(seen[1].headers.get("X-CSRF-Token")).toBe("tok");
  });

  it("stays on the page's origin when nothing configures it", async () => {
    vi.resetModules();
    const seen: Request[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        seen.push(request);
        return new Response(JSON.stringify({ unread: 0 }), { headers: { "Content-Type": "application/json" } });
      }),
    );
    const { api, call } = await import("./client");
    await call(api.GET("/api/v1/notifications/unread-count"));
    expect(new URL(seen[0].url).origin).toBe(window.location.origin);
    expect(seen[0].credentials).toBe("same-origin");
  });
});
