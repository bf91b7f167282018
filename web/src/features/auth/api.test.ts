import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json } from "../../test/screen";

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = "practika_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
});

async function askMe() {
  vi.resetModules();
  const fetch = vi.fn(async () => json({ id: "u1", display_name: "Ana", email: "a@x.org" }));
  vi.stubGlobal("fetch", fetch);
  const { meQuery } = await import("./api");
  const me = await new QueryClient().fetchQuery(meQuery());
  return { me, fetch };
}

describe("meQuery", () => {
  it("does not ask /auth/me without a session (the 401 would be a console error)", async () => {
    const { me, fetch } = await askMe();
    expect(me).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("asks /auth/me when the session's CSRF cookie is there", async () => {
    document.cookie = "practika_csrf=abc; path=/";
    const { me, fetch } = await askMe();
    expect(me).toMatchObject({ id: "u1" });
    expect(fetch).toHaveBeenCalledOnce();
  });
});
