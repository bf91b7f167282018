// Read-only share links in a real browser: Coach Ana shares Leo's seeded goblet-squat
// thread, a visitor with no account opens it (video and comments), Ana revokes it and the
// visitor's page says the link no longer works.
import { expect, test, type Page } from "@playwright/test";

const COACH = { email: "coach@practika.test", password: "practika-demo" };

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Exercise library" })).toBeVisible();
}

async function squatThread(page: Page): Promise<string> {
  const threads = await (await page.request.get("/api/v1/threads?role=coach&limit=100")).json();
  const thread = threads.items.find((t: { exercise: { title: string } }) => t.exercise.title === "Goblet squat");
  return thread.id as string;
}

test("a coach shares a thread read-only, a signed-out visitor opens it, revoking ends it", async ({ browser, page }) => {
  await signIn(page, COACH);
  const threadId = await squatThread(page);
  await page.goto(`/threads/${threadId}`);
  const panel = page.getByRole("group", { name: "Share read-only" });
  await panel.getByLabel("For (a note for your list)").fill("for Leo's physio");
  await panel.getByLabel("Expires after (days)").fill("3");
  await panel.getByRole("button", { name: "Create share link" }).click();
  const url = await panel.getByTestId("new-share-url").textContent();
  expect(url).toMatch(/\/shared\/[A-Za-z0-9_-]{20,}$/);
  const links = panel.getByRole("list", { name: "Share links" });
  await expect(links.getByText("for Leo's physio")).toBeVisible();
  await expect(links.getByText("active")).toBeVisible();

  // A visitor with no account: a fresh context, no cookies.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(url!);
  await expect(visitor.getByRole("heading", { name: "Goblet squat" })).toBeVisible();
  await expect(visitor.getByText("coached by Coach Ana")).toBeVisible();
  const player = visitor.locator("article video").first();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 30_000 }).toBeGreaterThan(1);
  const comments = visitor.getByRole("list", { name: /Comments on attempt/ }).first();
  await expect(comments.getByRole("listitem").first()).toBeVisible();
  await expect(visitor.getByRole("button", { name: "Create share link" })).toHaveCount(0);
  await expect(visitor.getByRole("textbox")).toHaveCount(0); // nothing to write with
  // A comment's time seeks the video there.
  await comments.getByRole("button").first().click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0);
  await visitor.screenshot({ path: "../docs/screenshots/shared-review.png", fullPage: false });

  await page.reload();
  await expect(links.getByText("opened", { exact: false })).toBeVisible();
  await links.getByRole("button", { name: "Revoke" }).click();
  await expect(links.getByText("revoked")).toBeVisible();

  await visitor.reload();
  await expect(visitor.getByRole("heading", { name: "This link does not work" })).toBeVisible();
  await expect(visitor.getByText("This share link was revoked.")).toBeVisible();

  await visitor.goto("/shared/never-issued-token-0000000000");
  await expect(visitor.getByRole("heading", { name: "This link does not work" })).toBeVisible();
});
