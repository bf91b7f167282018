// A screen rendered against a fake service: fetch stubbed, a fresh query cache, a router.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ComponentType } from "react";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** Stubs fetch with `service`, then imports the screen afresh (the API client reads fetch
 * when it is created) and renders it. Pair with `vi.unstubAllGlobals()` after each test. */
export async function renderScreen(
  load: () => Promise<ComponentType>,
  service: (request: Request) => Promise<Response>,
): Promise<void> {
  vi.resetModules();
  vi.stubGlobal("fetch", vi.fn(service));
  const Screen = await load();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <Screen />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}
