// /api/docs in a real browser with every other origin cut off: Swagger UI renders the API
// from files the app serves itself (so it works offline), within the page's CSP.
import { expect, test } from "@playwright/test";

test("the API docs render offline, from this origin only", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const elsewhere: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto("/api/docs");
  // Rendering the ~200 KB spec takes a while on a busy machine: a generous deadline.
  await expect(page.locator(".swagger-ui .info .title")).toContainText("Practika API", {
    timeout: 90_000,
  });
  await expect(page.locator(".opblock-summary-path", { hasText: "/api/v1/threads" }).first()).toBeVisible();
  expect(elsewhere).toEqual([]);
  expect(errors.filter((text) => /Content Security Policy|Refused/i.test(text))).toEqual([]);
});
